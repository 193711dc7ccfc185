// The iceoryx rows of tickshm-bench: a RouDi of the bench's own, and one publisher with N subscribers,
// each a process, carrying the bus's ticks: spinning subscribers, WaitSet subscribers, and a publisher
// that waits for a full subscriber queue instead of dropping its oldest tick.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "peers.hpp"

#if TICKSHM_HAVE_ICEORYX
#include "iceoryx_hoofs/log/logmanager.hpp"
#include "iceoryx_posh/popo/publisher.hpp"
#include "iceoryx_posh/popo/subscriber.hpp"
#include "iceoryx_posh/popo/wait_set.hpp"
#include "iceoryx_posh/runtime/posh_runtime.hpp"
#endif

namespace tickshm::bench {

#if TICKSHM_HAVE_ICEORYX
namespace {

// The names iceoryx 2.0 gives every RouDi: one per machine, no domain id to pick another.
constexpr const char* kFixedNames[] = {"/dev/shm/iceoryx_mgmt", "/tmp/roudi", "/tmp/roudi.lock"};
// Chunks of 256 bytes (a 64-byte tick, its 64-byte alignment and iceoryx's chunk header): enough for
// every subscriber queue (256 each) full at 64 readers, and the publisher's loans.
constexpr int kChunkSize = 256;
constexpr int kChunks = 20'000;
constexpr std::uint64_t kRoudiStartNs = 10 * kNsPerSec;
constexpr std::uint64_t kRoudiStopNs = 10 * kNsPerSec;

std::string read_text(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The pid of an iox-roudi process running here, or -1.
pid_t running_roudi() {
  DIR* d = opendir("/proc");
  if (d == nullptr) return -1;
  pid_t found = -1;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0') continue;
    std::string comm = read_text(std::string("/proc/") + e->d_name + "/comm");
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    if (comm == "iox-roudi") {
      found = static_cast<pid_t>(pid);
      break;
    }
  }
  closedir(d);
  return found;
}

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');) {
    const std::string full = dir + "/" + name;
    if (access(full.c_str(), X_OK) == 0) return full;
  }
  return {};
}

// The bench's own RouDi: started once, with a private config file, stopped with SIGTERM so it removes
// its shared memory and socket. One that was already running is never touched.
class Roudi {
 public:
  ~Roudi() { stop(); }
  Roudi() = default;
  Roudi(const Roudi&) = delete;
  Roudi& operator=(const Roudi&) = delete;

  // "" once our RouDi is ready for clients, else why it is not.
  std::string ensure() {
    if (pid_ > 0) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        failed_ = "our RouDi exited during the run: " + tail(read_text(log_));
      }
    }
    if (!failed_.empty()) return failed_;
    if (pid_ > 0) return {};
    failed_ = start();
    return failed_;
  }

  void stop() noexcept {
    // A forked worker's exit() runs this destructor too: only the process that started RouDi stops it.
    if (pid_ <= 0 || getpid() != owner_) return;
    kill(pid_, SIGTERM);
    const std::uint64_t until = now_ns() + kRoudiStopNs;
    int st = 0;
    while (waitpid(pid_, &st, WNOHANG) == 0) {
      if (now_ns() >= until) {
        std::fprintf(stderr, "tickshm-bench: our RouDi (pid %d) did not stop in 10 s: killed\n", pid_);
        kill(pid_, SIGKILL);
        waitpid(pid_, &st, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    unlink(config_.c_str());
    unlink(log_.c_str());
  }

 private:
  static std::string tail(const std::string& text) {
    std::string t = text.size() > 300 ? text.substr(text.size() - 300) : text;
    for (char& ch : t) {
      if (ch == '\n') ch = ' ';
    }
    return t;
  }

  std::string start() {
    const std::string binary = find_in_path("iox-roudi");
    if (binary.empty())
      return "iox-roudi not found in PATH (Debian package iceoryx, scripts/install-deps.sh)";
    if (const pid_t other = running_roudi(); other > 0) {
      return "an iceoryx RouDi is already running here (pid " + std::to_string(other) +
             "); iceoryx 2.0 gives every RouDi the same names (/dev/shm/iceoryx_mgmt, /tmp/roudi), so the "
             "bench neither starts a second one nor uses that one";
    }
    for (const char* name : kFixedNames) {
      if (access(name, F_OK) == 0) {
        return std::string(name) +
               " exists: an iceoryx RouDi we cannot see (another PID namespace) or one that did not stop "
               "cleanly holds the names every iceoryx 2.0 RouDi uses; the bench does not touch them";
      }
    }
    const std::string base = "/tmp/tickshm-bench-" + std::to_string(getpid()) + "-roudi";
    config_ = base + ".toml";
    log_ = base + ".log";
    {
      std::ofstream f(config_);
      f << "# tickshm-bench's private RouDi: one mempool for 64-byte ticks\n[general]\nversion = 1\n\n"
        << "[[segment]]\n\n[[segment.mempool]]\nsize = " << kChunkSize << "\ncount = " << kChunks << "\n";
      if (!f) return "cannot write " + config_;
    }
    std::fflush(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) return std::string("fork: ") + std::strerror(errno);
    if (pid == 0) {
      // SIGTERM, not SIGKILL: a RouDi that outlives the bench removes its names on the way out.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(1);
      signal(SIGINT, SIG_IGN);  // a Ctrl-C at the terminal is the bench's to handle; it stops us after
      const int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      execl(binary.c_str(), binary.c_str(), "-c", config_.c_str(), "-l", "info", "-k", "1",
            static_cast<char*>(nullptr));
      std::fprintf(stderr, "exec %s: %s\n", binary.c_str(), std::strerror(errno));
      _exit(127);
    }
    pid_ = pid;
    owner_ = getpid();
    const std::uint64_t until = now_ns() + kRoudiStartNs;
    for (;;) {
      if (read_text(log_).find("RouDi is ready for clients") != std::string::npos) return {};
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return "iox-roudi exited at start: " + tail(read_text(log_));
      }
      if (now_ns() >= until || interrupted()) {
        stop();
        return "iox-roudi was not ready within 10 s";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  pid_t pid_ = -1;
  pid_t owner_ = -1;
  std::string config_, log_, failed_;
};

Roudi& roudi() {
  static Roudi r;
  return r;
}

using Tick = TickRecord;

iox::capro::ServiceDescription service(const std::string& instance) {
  return {iox::capro::IdString_t(iox::cxx::TruncateToCapacity, "tickshm-bench"),
          iox::capro::IdString_t(iox::cxx::TruncateToCapacity, instance.c_str()),
          iox::capro::IdString_t(iox::cxx::TruncateToCapacity, "ticks")};
}

void init_runtime(const char* role) {
  iox::log::LogManager::GetLogManager().SetDefaultLogLevel(iox::log::LogLevel::kWarn,
                                                           iox::log::LogLevelOutput::kHideLogLevel);
  const std::string name = std::string("tickshm-bench-") + role + "-" + std::to_string(getpid());
  iox::runtime::PoshRuntime::initRuntime(iox::RuntimeName_t(iox::cxx::TruncateToCapacity, name.c_str()));
}

// Leaves the way a process using iceoryx should: exit() runs the runtime's destructor, which
// unregisters from RouDi (the harness's _exit would leave RouDi a dead client to find and clean up).
[[noreturn]] void leave(int code) {
  std::fflush(nullptr);
  std::exit(code);
}

int iox_writer(const Config& c, Transport t, Mode m, const std::string& instance, std::uint32_t readers,
               SharedBlock& b) {
  init_runtime("w");
  RunControl& ctl = b.control;
  iox::popo::PublisherOptions po;
  po.historyCapacity = 0;
  if (t == Transport::kIceoryxBlocking)
    po.subscriberTooSlowPolicy = iox::popo::ConsumerTooSlowPolicy::WAIT_FOR_CONSUMER;
  iox::popo::Publisher<Tick> pub(service(instance), po);
  ctl.writer_ready.store(1);
  if (!wait_for_count(ctl.readers_ready, readers, ctl.abort, kSetupTimeoutNs)) {
    set_error(b.writer.error, "iceoryx subscribers did not connect within 10 s");
    ctl.writer_done.store(true);
    return 1;
  }
  std::string error;
  const int code = peer_write(c, m, readers, b, [&](const Tick& tick) {
    auto loan = pub.loan();
    if (loan.has_error()) {
      error = "iceoryx loan failed (error " + std::to_string(static_cast<int>(loan.get_error())) + ")";
      return false;
    }
    *loan.value() = tick;
    loan.value().publish();
    return true;
  });
  if (!error.empty()) set_error(b.writer.error, error);
  return code;
}

int iox_reader(const Config& c, Transport t, Mode m, const std::string& instance, std::size_t index,
               SharedBlock& b) {
  init_runtime("r");
  RunControl& ctl = b.control;
  ReaderReport& rep = b.readers[index];
  if (!wait_for_count(ctl.writer_ready, 1, ctl.abort, kSetupTimeoutNs)) {
    set_error(rep.error, "the iceoryx publisher did not start");
    return 1;
  }
  iox::popo::SubscriberOptions so;
  so.queueCapacity = iox::MAX_SUBSCRIBER_QUEUE_CAPACITY;
  so.historyRequest = 0;
  if (t == Transport::kIceoryxBlocking) so.queueFullPolicy = iox::popo::QueueFullPolicy::BLOCK_PRODUCER;
  iox::popo::Subscriber<Tick> sub(service(instance), so);
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (sub.getSubscriptionState() != iox::SubscribeState::SUBSCRIBED) {
    if (now_ns() >= until || ctl.abort.load()) {
      set_error(rep.error, "not subscribed within 10 s");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto take = [&](TickRecord& out) {
    auto r = sub.take();
    if (r.has_error()) return false;
    out = *r.value();
    return true;
  };
  ctl.readers_ready.fetch_add(1);
  if (t != Transport::kIceoryxWaitSet) {
    return peer_read(c, m, index, b, 0, [&](TickRecord& out, bool) {
      if (take(out)) return true;
      cpu_relax();
      return false;
    });
  }
  iox::popo::WaitSet<> ws;
  if (ws.attachState(sub, iox::popo::SubscriberState::HAS_DATA).has_error()) {
    set_error(rep.error, "cannot attach the subscriber to a WaitSet");
    return 1;
  }
  return peer_read(c, m, index, b, 0, [&](TickRecord& out, bool wait) {
    if (take(out)) return true;
    if (!wait) return false;
    // Timed, so a reader whose last tick has come notices writer_done.
    (void)ws.timedWait(iox::units::Duration::fromMilliseconds(10));
    return take(out);
  });
}

}  // namespace

RunOutcome run_iceoryx(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers) {
  const std::string why = roudi().ensure();
  if (!why.empty()) return skipped_run(t, m, readers, why);
  RunOutcome out = peer_run_base(t, m, readers);
  region.reset();
  SharedBlock& b = region.block();
  // The run's own service: nothing of an earlier run is connected to it.
  static int runs = 0;
  const std::string instance = std::to_string(getpid()) + "-" + std::to_string(runs++);
  std::vector<std::string> runtimes;  // "r-PID", "w-PID": the names init_runtime gave them
  {
    Workers procs;
    for (std::size_t i = 0; i < readers; ++i) {
      const pid_t pid =
          procs.spawn(c.cpus.reader(i), [&, i]() -> int { leave(iox_reader(c, t, m, instance, i, b)); });
      runtimes.push_back("r-" + std::to_string(pid));
    }
    const auto n = static_cast<std::uint32_t>(readers);
    const pid_t pid =
        procs.spawn(c.cpus.writer(), [&]() -> int { leave(iox_writer(c, t, m, instance, n, b)); });
    runtimes.push_back("w-" + std::to_string(pid));
    const double secs = m == Mode::kLatency
                            ? static_cast<double>(c.latency_count()) / static_cast<double>(c.rate)
                            : c.throughput_s;
    const bool exited = procs.wait_all(c.timeout_ns(secs, readers), &b.control.abort);
    collect_outcome(out, b, exited, exited ? "" : "timed out or interrupted");
  }
  // A worker that had to be killed (a timeout, a signal) left its runtime's socket and lock in /tmp;
  // the process is gone (reaped above), so they are ours to remove.
  for (const auto& r : runtimes) {
    const std::string path = "/tmp/tickshm-bench-" + r;
    unlink(path.c_str());
    unlink((path + ".lock").c_str());
  }
  const std::string still = roudi().ensure();
  if (!still.empty()) {
    out.ok = false;
    out.error += (out.error.empty() ? "" : "; ") + still;
  }
  return out;
}

void stop_iceoryx_daemon() noexcept {
  roudi().stop();
}

#else

RunOutcome run_iceoryx(const Config&, SharedRegion&, Transport t, Mode m, std::size_t readers) {
  return skipped_run(t, m, readers,
                     "iceoryx_posh was not found when tickshm-bench was built (Debian libiceoryx-posh-dev, "
                     "scripts/install-deps.sh; then rebuild)");
}

void stop_iceoryx_daemon() noexcept {}

#endif

}  // namespace tickshm::bench
