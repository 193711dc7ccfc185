// Process harness of tickshm-bench: see harness.hpp.
#include "harness.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <stdexcept>
#include <thread>

#include "tickshm/layout.hpp"

namespace tickshm::bench {

namespace {

// Known children and segments, in fixed arrays: the second-signal path reads them from a handler.
constexpr std::size_t kMaxTracked = 2 * kMaxReaders;
std::array<std::atomic<pid_t>, kMaxTracked> g_children{};
std::atomic<int> g_signals{0};
std::vector<std::string> g_segments;  // only touched outside handlers
bool g_realtime = false;
constexpr int kRealtimePriority = 10;

void track_child(pid_t pid) noexcept {
  for (auto& c : g_children) {
    pid_t expected = 0;
    if (c.compare_exchange_strong(expected, pid)) return;
  }
}
void untrack_child(pid_t pid) noexcept {
  for (auto& c : g_children) {
    pid_t expected = pid;
    if (c.compare_exchange_strong(expected, 0)) return;
  }
}

void on_bench_signal(int sig) {
  if (g_signals.fetch_add(1) == 0) return;  // first: the harness notices and cleans up
  for (auto& c : g_children) {
    const pid_t pid = c.load();
    if (pid > 0) kill(pid, SIGKILL);
  }
  _exit(128 + sig);
}

}  // namespace

SharedRegion::SharedRegion() {
  void* p = mmap(nullptr, sizeof(SharedBlock), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap shared block: ") + std::strerror(errno));
  block_ = new (p) SharedBlock();
}

SharedRegion::~SharedRegion() {
  block_->~SharedBlock();
  munmap(block_, sizeof(SharedBlock));
}

void SharedRegion::reset() {
  block_->~SharedBlock();
  block_ = new (block_) SharedBlock();
}

void set_error(char (&field)[160], const std::string& message) noexcept {
  const std::size_t n = std::min(message.size(), sizeof field - 1);
  std::memcpy(field, message.data(), n);
  field[n] = '\0';
}

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  for (std::size_t c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) out.push_back(static_cast<int>(c));
  }
  return out;
}

bool pin_to_cpu(int cpu) noexcept {
  if (cpu < 0) return true;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

void set_realtime(bool on) noexcept {
  g_realtime = on;
}
bool realtime() noexcept {
  return g_realtime;
}

Workers::~Workers() {
  kill_all();
}

pid_t Workers::spawn(int cpu, const std::function<int()>& fn) {
  std::fflush(nullptr);  // nothing buffered in the parent is printed twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int code = 1;
    if (g_realtime) {
      sched_param sp{};
      sp.sched_priority = kRealtimePriority;
      if (sched_setscheduler(0, SCHED_RR, &sp) != 0) {
        std::fprintf(stderr, "tickshm-bench: --realtime: sched_setscheduler: %s (running unprivileged?)\n",
                     std::strerror(errno));
      }
    }
    if (!pin_to_cpu(cpu)) {
      std::fprintf(stderr, "tickshm-bench: cannot pin to CPU %d: %s\n", cpu, std::strerror(errno));
    } else {
      try {
        code = fn();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "tickshm-bench: worker: %s\n", e.what());
        code = 1;
      }
    }
    std::fflush(nullptr);
    _exit(code);
  }
  track_child(pid);
  procs_.push_back(Proc{pid, -1, true});
  return pid;
}

void Workers::reap(bool block) noexcept {
  for (auto& p : procs_) {
    if (!p.running) continue;
    int st = 0;
    pid_t r = 0;
    do {
      r = waitpid(p.pid, &st, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == p.pid || (r < 0 && errno == ECHILD)) {
      p.running = false;
      if (r == p.pid) p.code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
      untrack_child(p.pid);
    }
  }
}

bool Workers::wait_all(std::uint64_t timeout_ns, std::atomic<bool>* abort) {
  const std::uint64_t until = now_ns() + timeout_ns;
  for (;;) {
    reap(false);
    if (std::none_of(procs_.begin(), procs_.end(), [](const Proc& p) { return p.running; })) return true;
    if (now_ns() >= until || interrupted()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (abort) abort->store(true);
  const std::uint64_t grace = now_ns() + 200 * kNsPerMs;
  while (now_ns() < grace) {
    reap(false);
    if (std::none_of(procs_.begin(), procs_.end(), [](const Proc& p) { return p.running; })) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill_all();
  return false;
}

void Workers::kill_all() noexcept {
  for (auto& p : procs_) {
    if (p.running) kill(p.pid, SIGKILL);
  }
  reap(true);
}

int Workers::exit_code(pid_t pid) const noexcept {
  for (const auto& p : procs_) {
    if (p.pid == pid) return p.code;
  }
  return -1;
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_bench_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a reader that died makes write() fail with EPIPE instead
}

bool interrupted() noexcept {
  return g_signals.load(std::memory_order_relaxed) != 0;
}

std::string unique_segment(const std::string& prefix, const std::string& tag) {
  static int counter = 0;
  std::string name = prefix + "-" + std::to_string(getpid()) + "-" + tag + "-" + std::to_string(counter++);
  if (name.size() > 64) name = name.substr(name.size() - 64);
  g_segments.push_back(name);
  return name;
}

void remove_segment(const std::string& name) noexcept {
  shm_unlink(("/tickshm." + name).c_str());
  shm_unlink(("/tickshm." + name + ".ctl").c_str());
}

void remove_all_segments() noexcept {
  for (const auto& s : g_segments) remove_segment(s);
  g_segments.clear();
}

std::uint64_t minor_faults() noexcept {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_minflt);
}

void touch_pages(const void* base, std::uint64_t bytes) noexcept {
  const auto* p = static_cast<const volatile unsigned char*>(base);
  for (std::uint64_t off = 0; off < bytes; off += kPageSize) (void)p[off];
}

std::uint64_t process_cpu_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * kNsPerSec + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace tickshm::bench
