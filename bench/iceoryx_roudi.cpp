// The bench's own iceoryx daemon: see iceoryx_roudi.hpp.
#include "iceoryx_roudi.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"
#include "peers.hpp"

namespace tickshm::bench {

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

}  // namespace

std::string ensure_iceoryx_daemon() {
  return roudi().ensure();
}

void stop_iceoryx_daemon() noexcept {
  roudi().stop();
}

}  // namespace tickshm::bench
