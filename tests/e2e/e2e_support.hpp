// End-to-end test support: a fixture owning one run (unique segment, own run folder, tmux sockets) that
// drives the real launcher and binaries, reads tickshm-stat --json, and leaves nothing behind.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "test_support.hpp"

namespace tickshm::test::e2e {

using namespace std::chrono_literals;

// A process named by a pidfile: its pid and /proc start time, so a reused pid is never taken for it.
struct ProcId {
  pid_t pid = -1;
  unsigned long long start_time = 0;
};

// Start time of a running, non-zombie process, nullopt when it is gone.
std::optional<unsigned long long> proc_start_time(pid_t pid);
// The process named by id still runs (a zombie does not).
bool proc_alive(const ProcId& id);

// Polls pred every `every` until true or timeout (spawning tickshm-stat each time: not every 10 ms).
bool poll_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = 200ms);

// Looks up a reader (by name, live ones first) or an algo in a tickshm-stat --json document.
const nlohmann::json* find_reader(const nlohmann::json& stat, const std::string& name);
const nlohmann::json* find_reader_pid(const nlohmann::json& stat, pid_t pid);
const nlohmann::json* find_algo(const nlohmann::json& stat, const std::string& name);

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // scripts/launch.sh ARGS with TICKSHM_BIN_DIR and TICKSHM_RUN_DIR set for this test.
  RunResult launch(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 90s,
                   const std::vector<std::string>& extra_env = {}) const;
  std::vector<std::string> launcher_env() const;
  std::string launcher() const;
  std::string bin_dir() const;

  // tickshm-stat --segment <ours> --json, parsed; nullopt when it fails (no segment yet) or is not JSON.
  std::optional<nlohmann::json> stat() const;
  // Polls stat() until pred holds on a document; returns the last document seen (or null nlohmann::json).
  nlohmann::json stat_until(const std::function<bool(const nlohmann::json&)>& pred,
                            std::chrono::milliseconds timeout = 30s) const;

  // The process in RUN_DIR/<name>.pid ("feed", "algo.NAME", "dash"), if the file is there and well formed.
  std::optional<ProcId> pidfile(const std::string& name) const;
  std::vector<ProcId> all_pidfiles() const;

  // A tmux socket name for this test; the fixture kills its server at the end.
  std::string tmux_socket();

  // Every log of the run folder, for failure messages.
  std::string logs() const;

  std::string segment_;
  std::string run_dir_;
  mutable std::string last_stat_;  // what the last stat() printed (JSON or the error), for messages
  std::unique_ptr<ShmGuard> guard_;

 private:
  std::vector<std::string> tmux_sockets_;
};

}  // namespace tickshm::test::e2e
