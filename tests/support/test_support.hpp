// Test support: unique segment names, /dev/shm cleanup even on failure, and child processes
// (real binaries or forked functions) that are always reaped, with timeouts.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tickshm::test {

// "t<pid>-<tag>-<counter>": unique per process and call, a valid segment name.
std::string unique_segment(const std::string& tag);

// Removes every /dev/shm/tickshm.NAME and tickshm.NAME.* on construction and destruction.
class ShmGuard {
 public:
  explicit ShmGuard(std::string segment);
  ~ShmGuard();
  ShmGuard(const ShmGuard&) = delete;
  ShmGuard& operator=(const ShmGuard&) = delete;
  const std::string& name() const { return name_; }
  // Files in /dev/shm that belong to this segment now.
  std::vector<std::string> leftovers() const;

 private:
  std::string name_;
};

std::string bin_path(const std::string& program);  // build/bin/<program>
std::string source_path(const std::string& rel);   // <repo>/<rel>

// A child process in its own process group; stdout and stderr go to temporary files.
// The destructor SIGKILLs the group if it still runs and reaps it, so no test leaves a process.
class Child {
 public:
  // Runs program (a path) with args.
  static Child spawn(const std::string& program, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env = {});
  // Forks and runs fn in the child; the child exits with fn's return value.
  static Child fork_fn(const std::function<int()>& fn);

  Child(Child&&) noexcept;
  Child& operator=(Child&&) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);  // to the child only
  // Waits for exit; returns the exit code (or 128+signal), nullopt on timeout (child left running).
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after grace; returns the exit code as wait_for does.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  std::string out() const;  // what it printed so far
  std::string err() const;

 private:
  Child() = default;
  void reap_or_kill();
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string out_path_, err_path_;
};

// Runs a program to completion (timeout => killed, returns nullopt code).
struct RunResult {
  std::optional<int> code;
  std::string out, err;
};
RunResult run(const std::string& program, const std::vector<std::string>& args,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));

// Polls pred every 10 ms until true or timeout; returns pred's last value.
bool eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

}  // namespace tickshm::test
