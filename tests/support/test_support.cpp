// Test support implementation: see test_support.hpp.
#include "test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

namespace tickshm::test {
namespace fs = std::filesystem;

std::string unique_segment(const std::string& tag) {
  static std::atomic<int> counter{0};
  return "t" + std::to_string(getpid()) + "-" + tag + "-" + std::to_string(counter++);
}

static void remove_segment_files(const std::string& name) {
  std::error_code ec;
  const std::string exact = "tickshm." + name;
  const std::string prefix = exact + ".";
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string f = e.path().filename().string();
    if (f == exact || f.rfind(prefix, 0) == 0) fs::remove(e.path(), ec);
  }
}

ShmGuard::ShmGuard(std::string segment) : name_(std::move(segment)) {
  remove_segment_files(name_);
}
ShmGuard::~ShmGuard() {
  remove_segment_files(name_);
}

std::vector<std::string> ShmGuard::leftovers() const {
  std::vector<std::string> out;
  std::error_code ec;
  const std::string exact = "tickshm." + name_;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string f = e.path().filename().string();
    if (f == exact || f.rfind(exact + ".", 0) == 0) out.push_back(f);
  }
  return out;
}

std::string bin_path(const std::string& program) {
  return std::string(TICKSHM_BIN_DIR) + "/" + program;
}
std::string source_path(const std::string& rel) {
  return std::string(TICKSHM_SOURCE_DIR) + "/" + rel;
}

static std::string temp_file(const char* what) {
  static std::atomic<int> n{0};
  const auto dir = fs::temp_directory_path();
  return (dir / ("tickshm-test-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "." + what))
      .string();
}

static int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

Child Child::spawn(const std::string& program, const std::vector<std::string>& args,
                   const std::vector<std::string>& extra_env) {
  Child c;
  c.out_path_ = temp_file("out");
  c.err_path_ = temp_file("err");
  std::vector<std::string> argv_s{program};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    const int out = open(c.out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(c.err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& kv : extra_env) putenv(const_cast<char*>(strdup(kv.c_str())));
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    std::fprintf(stderr, "exec %s: %s\n", program.c_str(), std::strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  c.pid_ = pid;
  return c;
}

Child Child::fork_fn(const std::function<int()>& fn) {
  Child c;
  c.out_path_ = temp_file("out");
  c.err_path_ = temp_file("err");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    int code = 1;
    try {
      code = fn();
    } catch (...) {
      code = 99;
    }
    std::fflush(nullptr);
    _exit(code);
  }
  setpgid(pid, pid);
  c.pid_ = pid;
  return c;
}

Child::Child(Child&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      status_(o.status_),
      out_path_(std::move(o.out_path_)),
      err_path_(std::move(o.err_path_)) {}

Child& Child::operator=(Child&& o) noexcept {
  if (this != &o) {
    reap_or_kill();
    pid_ = std::exchange(o.pid_, -1);
    status_ = o.status_;
    out_path_ = std::move(o.out_path_);
    err_path_ = std::move(o.err_path_);
  }
  return *this;
}

Child::~Child() {
  reap_or_kill();
}

void Child::reap_or_kill() {
  if (pid_ > 0 && !status_) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    int st = 0;
    while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  std::error_code ec;
  if (!out_path_.empty()) fs::remove(out_path_, ec);
  if (!err_path_.empty()) fs::remove(err_path_, ec);
}

bool Child::running() {
  if (pid_ <= 0 || status_) return false;
  int st = 0;
  const pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = decode(st);
    return false;
  }
  return true;
}

void Child::signal(int sig) {
  if (pid_ > 0 && !status_) kill(pid_, sig);
}

std::optional<int> Child::wait_for(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

int Child::stop(std::chrono::milliseconds grace) {
  if (!running()) return status_.value_or(-1);
  signal(SIGTERM);
  if (auto c = wait_for(grace)) return *c;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  return wait_for(std::chrono::milliseconds(5000)).value_or(-1);
}

static std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
std::string Child::out() const {
  return slurp(out_path_);
}
std::string Child::err() const {
  return slurp(err_path_);
}

RunResult run(const std::string& program, const std::vector<std::string>& args,
              std::chrono::milliseconds timeout) {
  Child c = Child::spawn(program, args);
  RunResult r;
  r.code = c.wait_for(timeout);
  if (!r.code) c.stop(std::chrono::milliseconds(100));
  r.out = c.out();
  r.err = c.err();
  return r;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= until) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace tickshm::test
