// Removing only what is proven dead from /dev/shm (see cleanup.hpp).
#include "tickshm/cleanup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "tickshm/algo_status_layout.hpp"
#include "tickshm/bridge_status_layout.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/process.hpp"
#include "tickshm/shm_files.hpp"
#include "tickshm/trust.hpp"

namespace tickshm {
namespace {

// A creator sizes and locks its file within microseconds of O_CREAT; one left empty or "creating" for
// this long lost its creator.
constexpr std::int64_t kCreatingGraceSec = 10;

struct Opened {
  Fd fd;
  struct stat st {};
  std::string error;  // empty when open
  bool absent = false;
};

Opened open_shm(const std::string& shm_path) {
  Opened o;
  o.fd = Fd(retry_eintr([&] { return ::shm_open(shm_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0); }));
  if (!o.fd.valid()) {
    o.absent = errno == ENOENT;
    o.error = errno_text("open", errno);
    return o;
  }
  if (::fstat(o.fd.get(), &o.st) != 0) {
    o.error = errno_text("fstat", errno);
  } else if (!S_ISREG(o.st.st_mode)) {
    o.error = "not a regular file";
  }
  return o;
}

// Up to n bytes from the start of the file (fewer when it is shorter).
std::size_t read_head(int fd, void* out, std::size_t n) {
  std::memset(out, 0, n);
  const ssize_t r = retry_eintr([&] { return ::pread(fd, out, n, 0); });
  return r > 0 ? static_cast<std::size_t>(r) : 0;
}

bool young(const struct stat& st) {
  return std::time(nullptr) - st.st_mtim.tv_sec < kCreatingGraceSec;
}

// True when the name still points at the file open as fd: checked right before every unlink.
bool still_names(int fd, const std::string& shm_path) {
  struct stat a {
  }, b{};
  return ::fstat(fd, &a) == 0 && ::lstat(("/dev/shm" + shm_path).c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

void unlink_into(CleanDecision& d, int fd, const std::string& shm_path, std::string why) {
  if (!still_names(fd, shm_path)) {
    d.reason = "replaced while being judged: left alone";
    return;
  }
  if (::shm_unlink(shm_path.c_str()) != 0 && errno != ENOENT) {
    d.reason = why + ", but " + errno_text("unlink", errno);
    return;
  }
  d.removed = true;
  d.reason = std::move(why);
}

struct FeedFiles {
  std::string data, control;         // file names, empty when absent
  std::vector<std::string> algos;    // file names
  std::vector<std::string> bridges;  // file names
};

// The data segment: dead when nobody holds its writer lock. On return with dead == true the lock is
// held through `lock` until the caller is done unlinking.
struct DataVerdict {
  bool present = false, dead = false;
  std::string reason;
  Fd lock;
};

DataVerdict judge_data(const std::string& feed) {
  DataVerdict v;
  const std::string path = data_segment_path(feed);
  Opened o = open_shm(path);
  if (o.absent) {
    v.dead = true;
    v.reason = "its feed's data segment is gone";
    return v;
  }
  v.present = true;
  if (!o.error.empty()) {
    v.reason = o.error + ": cannot tell whether its writer lives, left alone";
    return v;
  }
  if (retry_eintr([&] { return ::flock(o.fd.get(), LOCK_EX | LOCK_NB); }) != 0) {
    v.reason = errno == EWOULDBLOCK ? "its writer holds the writer lock (live)"
                                    : errno_text("flock", errno) + ": left alone";
    return v;
  }
  DataHeader h{};
  const std::size_t got = read_head(o.fd.get(), &h, sizeof h);
  const bool tickshm = got == sizeof h && std::memcmp(h.magic, kDataMagic, sizeof kDataMagic) == 0;
  const bool creating =
      o.st.st_size == 0 || (tickshm && h.state == static_cast<std::uint32_t>(SegmentState::kCreating));
  if (creating && young(o.st)) {
    v.reason = fmt::format("being created (changed under {} s ago): left alone", kCreatingGraceSec);
    return v;
  }
  v.dead = true;
  v.reason = tickshm ? fmt::format("no process holds its writer lock (writer pid {} is gone)", h.writer_pid)
                     : "no process holds its writer lock (and it is not a tickshm segment)";
  v.lock = std::move(o.fd);
  return v;
}

CleanDecision judge_control(const std::string& feed, const DataVerdict& data) {
  CleanDecision d;
  const std::string path = control_segment_path(feed);
  d.name = path.substr(1);
  if (!data.dead) {
    d.reason = data.reason;
    return d;
  }
  Opened o = open_shm(path);
  if (!o.error.empty()) {
    d.reason = o.error + ": left alone";
    return d;
  }
  // The data segment is gone: a feed that is starting creates it before this, so a control segment
  // whose creator still runs belongs to such a feed. Its header names the creator (no start time there,
  // so a reused pid keeps the file: the safe side).
  ControlHeader h{};
  const std::size_t got = read_head(o.fd.get(), &h, offsetof(ControlHeader, reserved0));
  if (!data.present) {
    if (got < offsetof(ControlHeader, reserved0) ||
        std::memcmp(h.magic, kControlMagic, sizeof kControlMagic) != 0) {
      if (young(o.st)) {
        d.reason = "being created: left alone";
        return d;
      }
    } else if (process_alive(h.writer_pid, 0)) {
      d.reason = fmt::format("its feed's data segment is gone but its creator (pid {}) runs: left alone",
                             h.writer_pid);
      return d;
    }
  }
  unlink_into(d, o.fd.get(), path, data.reason);
  return d;
}

// What a status segment's header says about its writer, copied out by the kind's own reader.
struct StatusHead {
  bool valid = false;  // its magic, and a pid
  std::int32_t pid = 0;
  std::uint64_t start_time = 0;
  bool closed = false, creating = false;
};

// An algo's or a bridge's status segment: the two are judged alike, by their writer's pid and /proc
// start time (a reused pid is not it), and differ only in what their headers can say.
struct StatusKind {
  const char* noun;     // "algo", "bridge"
  const char* segment;  // "algo status segment", for the trust check and the messages
  // The bridge stores its magic last at creation: before it, the pid and start time may not be there yet,
  // so an invalid header that changed lately is a bridge being created.
  bool invalid_may_be_creating;
  StatusHead (*read)(int fd);
};

StatusHead read_algo_head(int fd) {
  AlgoStatusHeader h{};
  const std::size_t got = read_head(fd, &h, sizeof h);
  StatusHead s;
  s.valid = got == sizeof h && std::memcmp(h.magic, kAlgoMagic, sizeof h.magic) == 0 && h.pid > 0;
  s.pid = h.pid;
  s.start_time = h.start_time;
  s.closed = h.state == static_cast<std::uint32_t>(SegmentState::kClosed);
  // The start time is written with the pid, before "live": while creating it may still be 0.
  s.creating = h.state == static_cast<std::uint32_t>(SegmentState::kCreating);
  return s;
}

// A bridge unlinks its own segment when it ends, so there is no "closed" state to read.
StatusHead read_bridge_head(int fd) {
  BridgeStatusLayout h{};
  const std::size_t got = read_head(fd, &h, offsetof(BridgeStatusLayout, feed));
  StatusHead s;
  s.valid = got == offsetof(BridgeStatusLayout, feed) &&
            std::memcmp(h.magic, kBridgeMagic, sizeof h.magic) == 0 && h.pid > 0;
  s.pid = h.pid;
  s.start_time = h.start_time;
  return s;
}

constexpr StatusKind kAlgoStatus{"algo", "algo status segment", false, read_algo_head};
constexpr StatusKind kBridgeStatus{"bridge", "bridge status segment", true, read_bridge_head};

CleanDecision judge_status(const std::string& file, const StatusKind& kind) {
  CleanDecision d;
  d.name = file;
  const std::string path = "/" + file;
  Opened o = open_shm(path);
  if (!o.error.empty()) {
    d.reason = o.error + ": left alone";
    return d;
  }
  if (auto t = check_trusted_owner(o.st, path, kind.segment); !t) {
    d.reason = t.error().message + ": left alone";
    return d;
  }
  const StatusHead h = kind.read(o.fd.get());
  if (!h.valid) {
    d.reason = kind.invalid_may_be_creating && young(o.st)
                   ? "being created: left alone"
                   : fmt::format(
                         "no {} recorded in it (empty or not a tickshm {}): its writer cannot be proven "
                         "dead, left alone",
                         kind.noun, kind.segment);
    return d;
  }
  if (!h.closed && process_alive(h.pid, h.start_time)) {
    d.reason = fmt::format("its {} (pid {}) runs", kind.noun, h.pid);
    return d;
  }
  if (h.creating && young(o.st)) {
    d.reason = "being created: left alone";
    return d;
  }
  unlink_into(d, o.fd.get(), path,
              h.closed ? fmt::format("its {} closed it", kind.noun)
                       : fmt::format("its {} (pid {}) is gone", kind.noun, h.pid));
  return d;
}

}  // namespace

std::vector<CleanDecision> clean_proven_dead(std::string_view only_feed) {
  std::vector<CleanDecision> out;
  std::map<std::string, FeedFiles> feeds;
  for (const SegmentFile& f : list_segment_files()) {
    const ObjectName n = parse_object_name(f.name);
    if (n.kind == ObjectKind::kUnknown) {
      if (only_feed.empty()) {
        out.push_back({f.name, false,
                       "not a name tickshm gives its objects (feed and algo names have no '.'): "
                       "left alone"});
      }
      continue;
    }
    if (!only_feed.empty() && n.feed != only_feed) continue;
    FeedFiles& ff = feeds[n.feed];
    if (n.kind == ObjectKind::kData) ff.data = f.name;
    if (n.kind == ObjectKind::kControl) ff.control = f.name;
    if (n.kind == ObjectKind::kAlgo) ff.algos.push_back(f.name);
    if (n.kind == ObjectKind::kBridge) ff.bridges.push_back(f.name);
  }
  for (const auto& [feed, ff] : feeds) {
    if (!ff.data.empty() || !ff.control.empty()) {
      DataVerdict data = judge_data(feed);
      if (!ff.data.empty()) {
        CleanDecision d{ff.data, false, data.reason};
        if (data.dead && data.present) unlink_into(d, data.lock.get(), "/" + ff.data, data.reason);
        out.push_back(std::move(d));
      }
      if (!ff.control.empty()) out.push_back(judge_control(feed, data));
      // data.lock is released here, after both unlinks: no feed can take the name in between.
    }
    for (const std::string& a : ff.algos) out.push_back(judge_status(a, kAlgoStatus));
    for (const std::string& b : ff.bridges) out.push_back(judge_status(b, kBridgeStatus));
  }
  return out;
}

}  // namespace tickshm
