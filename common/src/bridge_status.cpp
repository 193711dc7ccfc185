// A bridge's status segment: create (replacing a dead bridge's), read, validate.
#include "tickshm/bridge_status.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/trust.hpp"

namespace tickshm {
namespace {

void copy_bounded(char* dst, std::size_t cap, std::string_view src) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, src.data(), std::min(src.size(), cap - 1));
}
std::string bounded(const char* p, std::size_t n) {
  return std::string(p, strnlen(p, n));
}

}  // namespace

const char* bridge_direction_name(BridgeDirection d) noexcept {
  return d == BridgeDirection::kOut ? "out" : "in";
}

Status validate_bridge_segment(const std::byte* bytes, std::uint64_t file_size) {
  auto invalid = [](const std::string& m) { return make_error(Errc::kInvalidSegment, m); };
  if (file_size == 0) return make_error(Errc::kNotReady, "bridge status segment is empty (0 bytes)");
  if (file_size != sizeof(BridgeStatusLayout)) {
    return invalid(
        fmt::format("bridge status segment is {} bytes, not {}", file_size, sizeof(BridgeStatusLayout)));
  }
  // The magic is stored last (release) at creation: acquire it first, then the identity is whole.
  (void)observe(*reinterpret_cast<const std::uint64_t*>(bytes));
  BridgeStatusLayout h{};
  load_words(&h, bytes, 160);  // the identity: a private copy
  if (std::memcmp(h.magic, kBridgeMagic, sizeof h.magic) != 0) {
    if (std::all_of(h.magic, h.magic + sizeof h.magic, [](char c) { return c == 0; }))
      return make_error(Errc::kNotReady, "bridge status segment is being created");
    return invalid("not a tickshm bridge status segment (bad magic)");
  }
  if (h.layout_version != kBridgeLayoutVersion) {
    return invalid(fmt::format("bridge layout version {} is not supported (this build reads {})",
                               h.layout_version, kBridgeLayoutVersion));
  }
  if (h.size != sizeof(BridgeStatusLayout))
    return invalid(fmt::format("bridge size field {} != 512", h.size));
  if (h.direction != static_cast<std::uint32_t>(BridgeDirection::kOut) &&
      h.direction != static_cast<std::uint32_t>(BridgeDirection::kIn)) {
    return invalid(fmt::format("bridge direction {} is neither 1 (out) nor 2 (in)", h.direction));
  }
  if (strnlen(h.feed, sizeof h.feed) == sizeof h.feed ||
      strnlen(h.remote_feed, sizeof h.remote_feed) == sizeof h.remote_feed)
    return invalid("bridge status names lack their NUL");
  return ok_status();
}

Result<BridgeStatusWriter> BridgeStatusWriter::create(std::string_view feed, BridgeDirection direction,
                                                      std::string_view remote_feed, mode_t mode) {
  if (auto st = validate_name(feed); !st) return std::move(st).error();
  const std::string path = bridge_status_path(feed, bridge_direction_name(direction));
  Fd fd;
  for (int attempt = 0; attempt < 20 && !fd.valid(); ++attempt) {
    fd = Fd(
        retry_eintr([&] { return ::shm_open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode); }));
    if (fd.valid()) break;
    if (errno != EEXIST) return sys_error("shm_open(O_CREAT|O_EXCL) " + path, errno);
    auto existing = read_bridge_status(path);
    if (existing && existing->alive) {
      return make_error(Errc::kAlreadyRunning,
                        fmt::format("a bridge {} already runs for '{}' (pid {})",
                                    bridge_direction_name(direction), feed, existing->pid));
    }
    if (!existing && existing.error().code == Errc::kPermission) return std::move(existing).error();
    ::shm_unlink(path.c_str());
  }
  if (!fd.valid()) return make_error(Errc::kSystem, "could not create " + path);
  ::fchmod(fd.get(), mode);
  auto fail = [&](Error e) {
    ::shm_unlink(path.c_str());
    return e;
  };
  if (retry_eintr([&] { return ::ftruncate(fd.get(), sizeof(BridgeStatusLayout)); }) != 0)
    return fail(sys_error("ftruncate " + path, errno));
  auto m = map_shared(fd.get(), sizeof(BridgeStatusLayout), true, path);
  if (!m) return fail(std::move(m).error());
  BridgeStatusWriter w;
  w.path_ = path;
  w.map_ = std::move(m.value());
  BridgeStatusLayout& h = w.raw();
  h.layout_version = kBridgeLayoutVersion;
  h.size = sizeof(BridgeStatusLayout);
  h.direction = static_cast<std::uint32_t>(direction);
  h.pid = ::getpid();
  h.start_time = process_start_time(h.pid);
  copy_bounded(h.feed, sizeof h.feed, feed);
  copy_bounded(h.remote_feed, sizeof h.remote_feed, remote_feed);
  // Storing the magic publishes the identity (release: the fields above are visible first).
  char magic[8];
  std::memcpy(magic, kBridgeMagic, sizeof magic);
  std::uint64_t word = 0;
  std::memcpy(&word, magic, sizeof word);
  publish(*reinterpret_cast<std::uint64_t*>(h.magic), word);
  return w;
}

BridgeStatusWriter::~BridgeStatusWriter() {
  if (map_.valid()) ::shm_unlink(path_.c_str());
}

Result<BridgeStatusSnapshot> read_bridge_status(const std::string& shm_path) {
  const int raw = retry_eintr([&] { return ::shm_open(shm_path.c_str(), O_RDONLY | O_CLOEXEC, 0); });
  if (raw < 0) return sys_error("open bridge status " + shm_path, errno);
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return sys_error("fstat " + shm_path, errno);
  if (!S_ISREG(st.st_mode)) return make_error(Errc::kInvalidSegment, shm_path + " is not a regular file");
  if (auto t = check_trusted_owner(st, shm_path, "bridge status segment"); !t) return std::move(t).error();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size != sizeof(BridgeStatusLayout)) {
    return make_error(size == 0 ? Errc::kNotReady : Errc::kInvalidSegment,
                      fmt::format("{}: bridge status segment is {} bytes, not 512", shm_path, size));
  }
  auto m = map_shared(fd.get(), size, false, shm_path);
  if (!m) return std::move(m).error();
  if (auto v = validate_bridge_segment(m->data(), size); !v) {
    Error e = std::move(v).error();
    e.message = shm_path + ": " + e.message;
    return e;
  }
  BridgeStatusLayout h{};
  load_words(&h, m->data(), sizeof h);
  BridgeStatusSnapshot s;
  s.segment = shm_path.substr(1);
  s.direction = static_cast<BridgeDirection>(h.direction);
  s.feed = bounded(h.feed, sizeof h.feed);
  s.remote_feed = bounded(h.remote_feed, sizeof h.remote_feed);
  s.pid = h.pid;
  s.alive = process_alive(h.pid, h.start_time);
  s.heartbeat_ns = h.heartbeat_ns;
  s.batches = h.batches;
  s.ticks = h.ticks;
  s.gaps = h.gaps;
  s.lost_ticks = h.lost_ticks;
  s.duplicates = h.duplicates;
  s.rejected = h.rejected;
  s.reconnects = h.reconnects;
  s.connected = h.connected;
  s.lag_ns = h.lag_ns;
  s.upstream_epoch = h.upstream_epoch;
  s.epochs = h.epochs;
  s.next_seq = h.next_seq;
  s.upstream_cursor = h.upstream_cursor;
  s.snapshots = h.snapshots;
  s.publish_errors = h.publish_errors;
  s.joined_at = h.joined_at;
  return s;
}

std::vector<BridgeStatusSnapshot> read_bridge_statuses(std::string_view feed,
                                                       std::vector<std::string>* errors) {
  std::vector<BridgeStatusSnapshot> out;
  for (const char* dir : {"out", "in"}) {
    const std::string path = bridge_status_path(feed, dir);
    auto s = read_bridge_status(path);
    if (s) {
      out.push_back(std::move(s.value()));
    } else if (s.error().code != Errc::kNotFound && errors != nullptr) {
      errors->push_back(s.error().message);
    }
  }
  return out;
}

}  // namespace tickshm
