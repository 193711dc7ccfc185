// Validation and read-only views of the data and control segments; listing and cleaning /dev/shm.
#include "tickshm/segment.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "tickshm/algo_status.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {
namespace {

Error invalid(const std::string& what) {
  return make_error(Errc::kInvalidSegment, what);
}

std::string hex8(const char* p) {
  std::string s;
  char buf[4];
  for (int i = 0; i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(p[i]));
    s += buf;
  }
  return s;
}

template <class H>
H load_header(const std::byte* bytes) {
  // Validation works on a private copy, taken as relaxed atomic words: a live writer keeps storing its
  // heartbeat and cursor while we copy. `bytes` is page aligned (a mapping or the fuzzer's aligned copy).
  H h{};
  load_words(&h, bytes, sizeof h);
  return h;
}

std::string u64s(std::uint64_t v) {
  return std::to_string(v);
}

// Opens an existing /dev/shm object read-only or read-write and maps all of it, refusing anything that
// is not a regular file of at least min_size bytes. The descriptor is closed once mapped.
Result<Mapping> open_and_map(const std::string& path, bool writable, std::uint64_t min_size, const char* kind,
                             bool populate = false) {
  const int fd =
      retry_eintr([&] { return ::shm_open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0); });
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return make_error(Errc::kNotFound, std::string("no ") + kind + " " + path);
    if (err == EACCES) {
      struct stat st {};
      std::string owner;
      if (::stat(("/dev/shm" + path).c_str(), &st) == 0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, " (owned by uid %u, mode %04o)", st.st_uid, st.st_mode & 07777);
        owner = buf;
      }
      return make_error(Errc::kPermission, std::string("permission denied opening ") + kind + " " + path +
                                               (writable ? " read-write" : "") + owner);
    }
    return sys_error("shm_open " + path, err);
  }
  Fd owned(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return sys_error("fstat " + path, errno);
  if (S_ISDIR(st.st_mode)) return invalid(path + " is a directory, not a tickshm segment");
  if (!S_ISREG(st.st_mode)) return invalid(path + " is not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size == 0) {
    return make_error(Errc::kNotReady,
                      path + " is empty (0 bytes): its writer is creating it or died doing so");
  }
  if (size < min_size) {
    return invalid(path + " is truncated: " + u64s(size) + " bytes, smaller than its " + u64s(min_size) +
                   "-byte header");
  }
  return map_shared(fd, static_cast<std::size_t>(size), writable, path, populate);
}

}  // namespace

std::uint32_t tick_checksum(std::uint64_t s, const TickRecord& t) noexcept {
  std::uint64_t words[8];
  std::memcpy(words, &t, sizeof words);
  return tick_checksum_words(s, words);
}

std::uint32_t tick_checksum_words(std::uint64_t s, const std::uint64_t* words) noexcept {
  // Words 1..6: everything but the sequence word and the checksum word itself.
  std::uint64_t h = 0xcbf29ce484222325ULL ^ (s * 0x9E3779B97F4A7C15ULL);
  for (int i = 1; i <= 6; ++i) {
    h ^= words[i];
    h *= 0x100000001b3ULL;
    h ^= h >> 29;
  }
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size) {
  if (file_size == 0) return make_error(Errc::kNotReady, "segment is empty (0 bytes)");
  if (file_size < sizeof(DataHeader)) {
    return invalid("segment is truncated: " + u64s(file_size) + " bytes, smaller than the 4096-byte header");
  }
  const auto h = load_header<DataHeader>(bytes);
  if (std::memcmp(h.magic, kDataMagic, sizeof kDataMagic) != 0) {
    return invalid("not a tickshm data segment: magic is " + hex8(h.magic) + ", expected 'TICKSHM\\0'");
  }
  if (h.layout_version != kLayoutVersion) {
    return invalid("layout version " + u64s(h.layout_version) +
                   " is not supported (this build reads version " + u64s(kLayoutVersion) + ")");
  }
  const auto state = static_cast<SegmentState>(observe(reinterpret_cast<const DataHeader*>(bytes)->state));
  if (state == SegmentState::kCreating) {
    return make_error(Errc::kNotReady, "segment is being created by pid " + std::to_string(h.writer_pid));
  }
  if (state != SegmentState::kLive && state != SegmentState::kClosed) {
    return invalid("state " + u64s(static_cast<std::uint32_t>(state)) + " is not creating/live/closed");
  }
  if (h.header_size != sizeof(DataHeader)) return invalid("header_size " + u64s(h.header_size) + " != 4096");
  if (h.tick_size != sizeof(TickRecord)) return invalid("tick_size " + u64s(h.tick_size) + " != 64");
  if (h.quote_size != sizeof(QuoteRecord)) return invalid("quote_size " + u64s(h.quote_size) + " != 128");
  if (h.symbol_entry_size != sizeof(SymbolEntry)) {
    return invalid("symbol_entry_size " + u64s(h.symbol_entry_size) + " != 32");
  }
  if (h.price_scale != kPriceScale) return invalid("price_scale " + u64s(h.price_scale) + " != 10000");
  if (!is_power_of_two(h.ring_capacity)) {
    return invalid("ring_capacity " + u64s(h.ring_capacity) + " is not a power of two");
  }
  if (h.ring_capacity < kMinRingCapacity || h.ring_capacity > kMaxRingCapacity) {
    return invalid("ring_capacity " + u64s(h.ring_capacity) + " is outside [2, 2^26]");
  }
  if (h.symbol_capacity == 0 || h.symbol_capacity > kMaxSymbols) {
    return invalid("symbol_capacity " + u64s(h.symbol_capacity) + " is outside [1, 65536]");
  }
  if (h.symbol_count > h.symbol_capacity) {
    return invalid("symbol_count " + u64s(h.symbol_count) + " exceeds symbol_capacity " +
                   u64s(h.symbol_capacity));
  }
  const DataGeometry g = data_geometry(h.ring_capacity, h.symbol_capacity);
  if (h.symbol_dir_offset != g.symbol_dir_offset) {
    return invalid("symbol_dir_offset " + u64s(h.symbol_dir_offset) + " != " + u64s(g.symbol_dir_offset));
  }
  if (h.quote_board_offset != g.quote_board_offset) {
    return invalid("quote_board_offset " + u64s(h.quote_board_offset) + " != " + u64s(g.quote_board_offset));
  }
  if (h.ring_offset != g.ring_offset)
    return invalid("ring_offset " + u64s(h.ring_offset) + " != " + u64s(g.ring_offset));
  if (h.total_size != g.total_size) {
    return invalid("total_size " + u64s(h.total_size) + " disagrees with the geometry (" +
                   u64s(g.total_size) + ")");
  }
  if (h.total_size != file_size) {
    return invalid("total_size " + u64s(h.total_size) + " disagrees with the file size " + u64s(file_size));
  }
  const auto* dir = reinterpret_cast<const SymbolEntry*>(bytes + h.symbol_dir_offset);
  for (std::uint32_t i = 0; i < h.symbol_count; ++i) {
    if (std::memchr(dir[i].name, '\0', kSymbolNameLength) == nullptr || dir[i].name[0] == '\0') {
      return invalid("symbol " + u64s(i) + " has no valid name");
    }
  }
  return ok_status();
}

Status validate_control_segment(const std::byte* bytes, std::uint64_t file_size) {
  if (file_size == 0) return make_error(Errc::kNotReady, "control segment is empty (0 bytes)");
  if (file_size < sizeof(ControlHeader)) {
    return invalid("control segment is truncated: " + u64s(file_size) + " bytes");
  }
  const auto h = load_header<ControlHeader>(bytes);
  if (std::memcmp(h.magic, kControlMagic, sizeof kControlMagic) != 0) {
    return invalid("not a tickshm control segment: magic is " + hex8(h.magic) + ", expected 'TICKCTL\\0'");
  }
  if (h.layout_version != kControlLayoutVersion) {
    return invalid("control layout version " + u64s(h.layout_version) +
                   " is not supported (this build reads " + u64s(kControlLayoutVersion) + ")");
  }
  if (h.header_size != sizeof(ControlHeader))
    return invalid("control header_size " + u64s(h.header_size) + " != 4096");
  if (h.slot_count != kReaderSlots) return invalid("slot_count " + u64s(h.slot_count) + " != 64");
  if (h.slot_size != sizeof(ReaderSlot)) return invalid("slot_size " + u64s(h.slot_size) + " != 384");
  if (h.total_size != kControlSize || file_size != kControlSize) {
    return invalid("control total_size " + u64s(h.total_size) + " / file size " + u64s(file_size) +
                   " != " + u64s(kControlSize));
  }
  return ok_status();
}

const char* health_name(WriterHealth h) noexcept {
  switch (h) {
    case WriterHealth::kLive:
      return "LIVE";
    case WriterHealth::kStale:
      return "STALE";
    case WriterHealth::kDead:
      return "DEAD";
    case WriterHealth::kClosed:
      return "CLOSED";
  }
  return "?";
}

// ---- DataView -----------------------------------------------------------------------------------

Result<DataView> DataView::open(std::string_view feed, bool populate) {
  if (auto st = validate_name(feed); !st) return std::move(st).error();
  return open_path(data_segment_path(feed), populate);
}

Result<DataView> DataView::open_path(const std::string& shm_path, bool populate) {
  auto m = open_and_map(shm_path, false, sizeof(DataHeader), "data segment", populate);
  if (!m) return std::move(m).error();
  if (auto st = validate_data_segment(m->data(), m->size()); !st) {
    Error e = std::move(st).error();
    e.message = shm_path + ": " + e.message;
    return e;
  }
  return DataView(std::move(m.value()), shm_path);
}

std::span<const SymbolEntry> DataView::symbols() const noexcept {
  const auto* dir = reinterpret_cast<const SymbolEntry*>(map_.data() + header().symbol_dir_offset);
  return {dir, header().symbol_count};
}

std::string DataView::symbol_name(std::uint32_t index) const {
  if (index >= symbol_count()) return {};
  const SymbolEntry& e = symbols()[index];
  return std::string(e.name, strnlen(e.name, kSymbolNameLength));
}

const QuoteRecord* DataView::quotes() const noexcept {
  return reinterpret_cast<const QuoteRecord*>(map_.data() + header().quote_board_offset);
}

const TickRecord* DataView::ring() const noexcept {
  return reinterpret_cast<const TickRecord*>(map_.data() + header().ring_offset);
}

SegmentState DataView::state() const noexcept {
  return static_cast<SegmentState>(observe(header().state));
}

std::uint64_t DataView::write_cursor() const noexcept {
  return observe(header().write_cursor);
}

// Only the value matters: nothing is read on the strength of a heartbeat.
std::uint64_t DataView::heartbeat_ns() const noexcept {
  return load_relaxed(header().heartbeat_ns);
}

WriterHealth DataView::health(std::uint64_t now) const noexcept {
  if (state() == SegmentState::kClosed) return WriterHealth::kClosed;
  const std::uint64_t hb = heartbeat_ns();
  const std::uint64_t age = now > hb ? now - hb : 0;
  // A live writer beats every 100 ms: past two periods, ask /proc whether it still exists.
  if (age > 2 * kHeartbeatPeriodNs && !process_alive(header().writer_pid, header().writer_start_time)) {
    return WriterHealth::kDead;
  }
  return age > kStaleAfterNs ? WriterHealth::kStale : WriterHealth::kLive;
}

bool DataView::read_quote(std::uint32_t i, Quote& out) const noexcept {
  if (i >= symbol_count()) return false;
  const QuoteRecord& q = quotes()[i];
  QuoteRecord copy{};
  for (int attempt = 0; attempt < 10'000; ++attempt) {
    if (seqlock_try_read(q.seq, &copy.last, &q.last,
                         offsetof(QuoteRecord, reserved1) - offsetof(QuoteRecord, last))) {
      out =
          Quote{copy.last, copy.bid,  copy.ask, copy.bid_size,   copy.ask_size,  copy.last_size,  copy.volume,
                copy.open, copy.high, copy.low, copy.tick_count, copy.update_ns, copy.trade_count};
      return true;
    }
  }
  return false;
}

// ---- registry -------------------------------------------------------------------------------------

const char* wait_name(WaitStrategy w) noexcept {
  switch (w) {
    case WaitStrategy::kSpin:
      return "spin";
    case WaitStrategy::kBlock:
      return "block";
    case WaitStrategy::kAdaptive:
      return "adaptive";
  }
  return "?";
}

Result<WaitStrategy> parse_wait(std::string_view s) {
  if (s == "spin") return WaitStrategy::kSpin;
  if (s == "block") return WaitStrategy::kBlock;
  if (s == "adaptive") return WaitStrategy::kAdaptive;
  return make_error(Errc::kInvalidArgument,
                    "wait strategy '" + std::string(s) + "' is not one of spin, block, adaptive");
}

Result<ControlView> ControlView::open(std::string_view feed, bool writable) {
  if (auto st = validate_name(feed); !st) return std::move(st).error();
  const std::string path = control_segment_path(feed);
  auto m = open_and_map(path, writable, sizeof(ControlHeader), "control segment");
  if (!m) return std::move(m).error();
  if (auto st = validate_control_segment(m->data(), m->size()); !st) {
    Error e = std::move(st).error();
    e.message = path + ": " + e.message;
    return e;
  }
  return ControlView(std::move(m.value()));
}

static std::string bounded(const char* p, std::size_t n) {
  return std::string(p, strnlen(p, n));
}

std::vector<ReaderInfo> ControlView::readers() const {
  return read_registry(&slot(0));
}

std::vector<ReaderInfo> read_registry(const ReaderSlot* slots) {
  std::vector<ReaderInfo> out;
  for (std::uint32_t i = 0; i < kReaderSlots; ++i) {
    const ReaderSlot& s = slots[i];
    const std::uint64_t owner = observe(s.owner);
    const SlotState st = owner_state(owner);
    if (st != SlotState::kActive && st != SlotState::kClaiming) continue;
    ReaderInfo r;
    r.slot = i;
    r.pid = owner_pid(owner);
    r.name = bounded(s.name, kReaderNameLength);
    r.role = bounded(s.role, kReaderRoleLength);
    const auto w = load_relaxed(s.wait_strategy);
    r.wait = w <= 2 ? static_cast<WaitStrategy>(w) : WaitStrategy::kAdaptive;
    r.attached_ns = load_relaxed(s.attached_ns);
    r.heartbeat_ns = load_relaxed(s.heartbeat_ns);
    r.cursor = load_relaxed(s.cursor);
    r.received = load_relaxed(s.received);
    r.lost = load_relaxed(s.lost);
    r.joined_at = load_relaxed(s.joined_at);
    r.p50_ns = load_relaxed(s.p50_ns);
    r.p99_ns = load_relaxed(s.p99_ns);
    r.p999_ns = load_relaxed(s.p999_ns);
    r.max_ns = load_relaxed(s.max_ns);
    r.verify_errors = load_relaxed(s.verify_errors);
    r.alive = process_alive(r.pid, st == SlotState::kActive ? load_relaxed(s.start_time) : 0);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- /dev/shm housekeeping ------------------------------------------------------------------------

std::vector<SegmentFile> list_segment_files() {
  namespace fs = std::filesystem;
  std::vector<SegmentFile> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("tickshm.", 0) != 0) continue;
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    out.push_back({name, static_cast<std::uint64_t>(st.st_size), st.st_uid, st.st_mode});
  }
  std::sort(out.begin(), out.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.name < b.name; });
  return out;
}

namespace {

enum class FileKind { kData, kControl, kAlgo, kBridge };

// "tickshm.F" -> data of F; "tickshm.F.ctl" -> control of F; "tickshm.F.algo.ID" -> status of an algo on F;
// "tickshm.F.bridge.DIR" -> status of a bridge on F.
FileKind classify(const std::string& file, std::string& feed) {
  std::string rest = file.substr(std::strlen("tickshm."));
  if (auto p = rest.find(".algo."); p != std::string::npos) {
    feed = rest.substr(0, p);
    return FileKind::kAlgo;
  }
  if (auto p = rest.find(".bridge."); p != std::string::npos) {
    feed = rest.substr(0, p);
    return FileKind::kBridge;
  }
  if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".ctl") == 0) {
    feed = rest.substr(0, rest.size() - 4);
    return FileKind::kControl;
  }
  feed = rest;
  return FileKind::kData;
}

}  // namespace

std::vector<std::string> clean_dead_segments(std::string_view only_feed) {
  std::vector<std::string> removed;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const SegmentFile& f : list_segment_files()) {
    std::string feed;
    const FileKind kind = classify(f.name, feed);
    if (!only_feed.empty() && feed != only_feed) continue;
    bool dead = false;
    Errc why = Errc::kSystem;
    switch (kind) {
      case FileKind::kData:
      case FileKind::kControl: {
        auto dv = DataView::open_path("/tickshm." + feed);
        if (!dv) why = dv.error().code;
        dead = !dv || dv->state() == SegmentState::kClosed ||
               !process_alive(dv->header().writer_pid, dv->header().writer_start_time);
        break;
      }
      case FileKind::kAlgo: {
        auto st = read_algo_status("/" + f.name);
        if (!st) why = st.error().code;
        dead = !st || !st->alive;
        break;
      }
      case FileKind::kBridge: {
        auto st = read_bridge_status("/" + f.name);
        if (!st) why = st.error().code;
        dead = !st || !st->alive;
        break;
      }
    }
    if (dead && why == Errc::kNotReady) {
      // Empty or still "creating": its creator may be at work right now. Only a file left in that
      // state for a while is debris of a creator that died.
      std::error_code ec;
      const auto mtime = std::filesystem::last_write_time("/dev/shm/" + f.name, ec);
      if (ec || now - mtime < std::chrono::seconds(10)) continue;
    }
    if (dead && ::shm_unlink(("/" + f.name).c_str()) == 0) removed.push_back(f.name);
  }
  return removed;
}

}  // namespace tickshm
