// Scaling runs of tickshm-bench: see scaling.hpp.
#include "scaling.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <thread>

#include "run_common.hpp"

namespace tickshm::bench {

std::vector<WriterCostOutcome> run_writer_cost_scaling(const Config& c, SharedRegion& region,
                                                       const std::vector<std::size_t>& counts) {
  constexpr WakeMode kModes[] = {WakeMode::kFanOut, WakeMode::kAll};
  std::vector<WriterCostOutcome> out(counts.size() * std::size(kModes));
  for (std::uint32_t round = 0; round < c.writer_cost_rounds && !interrupted(); ++round) {
    for (std::size_t i = 0; i < counts.size() && !interrupted(); ++i) {
      for (std::size_t m = 0; m < std::size(kModes) && !interrupted(); ++m) {
        WriterCostOutcome& acc = out[i * std::size(kModes) + m];
        add_writer_cost_round(acc, run_wake_cost(c, region, counts[i], kModes[m]));
        acc.count = counts[i];
      }
    }
  }
  return out;
}

ScaleBinaries find_scale_binaries(const std::string& feed) {
  ScaleBinaries b;
  b.feed = feed;
  std::error_code ec;
  const auto dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return b;
  for (auto [name, field] : {std::pair{"tickshm-dash", &b.dash}, std::pair{"tickshm-stat", &b.stat}}) {
    const auto p = dir / name;
    if (access(p.c_str(), X_OK) == 0) *field = p.string();
  }
  return b;
}

namespace {

struct Measured {
  bool ok = false;
  std::string error;
  int code = -1;
  std::uint64_t cpu_ns = 0, wall_ns = 0;
};

// Starts argv pinned to cpu, its output thrown away; dies with the bench.
pid_t start(const std::vector<std::string>& args, int cpu) {
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  (void)pin_to_cpu(cpu);
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, 1);
    dup2(null, 2);
  }
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

// Waits for pid until timeout_ns (then SIGKILL); the child's CPU time from wait4.
Measured finish(pid_t pid, std::uint64_t started, std::uint64_t timeout_ns) {
  Measured m;
  int st = 0;
  rusage ru{};
  for (;;) {
    const pid_t r = wait4(pid, &st, WNOHANG, &ru);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      m.error = std::string("wait4: ") + std::strerror(errno);
      return m;
    }
    if (now_ns() - started > timeout_ns || interrupted()) {
      kill(pid, SIGKILL);
      wait4(pid, &st, 0, &ru);
      m.error = "timed out or interrupted";
      return m;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  m.wall_ns = now_ns() - started;
  auto ns = [](const timeval& tv) {
    return static_cast<std::uint64_t>(tv.tv_sec) * kNsPerSec + static_cast<std::uint64_t>(tv.tv_usec) * 1000;
  };
  m.cpu_ns = ns(ru.ru_utime) + ns(ru.ru_stime);
  m.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  m.ok = m.code == 0;
  if (!m.ok) m.error = "exit status " + std::to_string(m.code);
  return m;
}

Measured run_measured(const std::vector<std::string>& args, int cpu, std::uint64_t timeout_ns) {
  const std::uint64_t t0 = now_ns();
  const pid_t pid = start(args, cpu);
  if (pid < 0) {
    Measured m;
    m.error = std::string("fork: ") + std::strerror(errno);
    return m;
  }
  return finish(pid, t0, timeout_ns);
}

}  // namespace

SymbolScale run_symbol_scale(const Config& c, const ScaleBinaries& bins, std::uint32_t symbols,
                             std::uint64_t feed_count, std::uint32_t feed_runs, double dash_s) {
  SymbolScale out;
  out.symbols = symbols;
  for (auto [name, path] : {std::pair{"tickshm-feed", &bins.feed}, std::pair{"tickshm-dash", &bins.dash},
                            std::pair{"tickshm-stat", &bins.stat}}) {
    if (path->empty()) {
      out.error = std::string(name) + " not found beside tickshm-bench (build it)";
      return out;
    }
  }
  const std::string n = std::to_string(symbols);
  out.feed = run_feed(c, bins.feed, feed_count, feed_runs, {"--num-symbols", n});
  if (!out.feed.ok) {
    out.error = "feed: " + out.feed.error;
    return out;
  }
  // The feed flat out for as long as the readers need, stopped with SIGTERM once they are done.
  const std::string seg = unique_segment(c.prefix, "sym" + n);
  const pid_t feed =
      start({bins.feed, "--segment", seg, "--num-symbols", n, "--rate", "max", "--duration", "120"},
            c.cpus.writer());
  const std::string shm = "/dev/shm/tickshm." + seg;
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (access(shm.c_str(), F_OK) != 0 && now_ns() < until && !interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // past creation: the feed publishes
  const auto dash_ms = std::to_string(static_cast<int>(dash_s * 1000));
  const Measured dash =
      run_measured({bins.dash, "--segment", seg, "--snapshot", "--snapshot-ms", dash_ms, "--refresh-ms",
                    "100", "--height", "50"},
                   c.cpus.reader(0), kSetupTimeoutNs + static_cast<std::uint64_t>(dash_s * 1e9));
  std::vector<double> stat_cpu, stat_wall;
  std::string stat_error;
  for (int i = 0; i < kStatRuns && stat_error.empty(); ++i) {
    const Measured s =
        run_measured({bins.stat, "--segment", seg, "--json"}, c.cpus.reader(0), kSetupTimeoutNs);
    if (!s.ok) stat_error = s.error;
    stat_cpu.push_back(static_cast<double>(s.cpu_ns) / 1e6);
    stat_wall.push_back(static_cast<double>(s.wall_ns) / 1e6);
  }
  kill(feed, SIGTERM);
  const Measured f = finish(feed, now_ns(), kSetupTimeoutNs);
  remove_segment(seg);
  out.dash_seconds = static_cast<double>(dash.wall_ns) / 1e9;
  if (dash.wall_ns > 0)
    out.dash_cpu_percent = 100.0 * static_cast<double>(dash.cpu_ns) / static_cast<double>(dash.wall_ns);
  out.stat_cpu_ms = median(stat_cpu);
  out.stat_wall_ms = median(stat_wall);
  if (!dash.ok) {
    out.error = "tickshm-dash: " + dash.error;
  } else if (!stat_error.empty()) {
    out.error = "tickshm-stat: " + stat_error;
  } else if (f.code != 0 && f.code != 128 + SIGTERM) {
    out.error = "tickshm-feed: " + f.error;
  }
  out.ok = out.error.empty();
  return out;
}

}  // namespace tickshm::bench
