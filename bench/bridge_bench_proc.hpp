// tickshm-bench --bridge: the child processes it starts (nats-server, the two bridges) and the waiting for
// them to come up or settle.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tickshm::bench::bridge_bench {

// A child process with its output in a log file; stopped (SIGTERM, then SIGKILL) when destroyed.
struct Proc {
  pid_t pid = -1;
  Proc() = default;
  Proc(const Proc&) = delete;
  Proc& operator=(const Proc&) = delete;
  ~Proc() { stop(); }
  bool start(const std::vector<std::string>& argv, const std::string& log);
  void stop();
};

// A loopback TCP port free at the time of asking (0 when none could be had).
int free_port();

// Polls pred every 10 ms until it holds or timeout_ns passes; its last answer.
bool wait_until(const std::function<bool()>& pred, std::uint64_t timeout_ns);

}  // namespace tickshm::bench::bridge_bench
