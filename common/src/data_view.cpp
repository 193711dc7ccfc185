// DataView: open and validate a data segment, then read it through the validated geometry.
#include "tickshm/data_view.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "shm_map.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/validation.hpp"

namespace tickshm {

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

Result<DataView> DataView::open(std::string_view feed, bool populate) {
  if (auto st = validate_name(feed); !st) return std::move(st).error();
  return open_path(data_segment_path(feed), populate);
}

namespace {

// A feed sizes its new file before it writes the header, and holds the file's writer lock from the
// moment it created it. So a header still all zero under a held lock is a segment being created (not
// ready yet: wait), and one with no lock holder is a file nobody will ever finish (refused).
bool being_created(const std::string& shm_path, const std::byte* bytes) {
  if (!std::all_of(bytes, bytes + sizeof(DataHeader::magic), [](std::byte b) { return b == std::byte{0}; }))
    return false;
  const Fd fd(retry_eintr([&] { return ::shm_open(shm_path.c_str(), O_RDONLY | O_CLOEXEC, 0); }));
  if (fd.get() < 0) return false;
  if (retry_eintr([&] { return ::flock(fd.get(), LOCK_SH | LOCK_NB); }) == 0) return false;
  return errno == EWOULDBLOCK;
}

}  // namespace

Result<DataView> DataView::open_path(const std::string& shm_path, bool populate) {
  auto m = open_and_map(shm_path, false, sizeof(DataHeader), "data segment", populate);
  if (!m) return std::move(m).error();
  DataHeader h{};
  if (auto st = validate_data_segment(m->data(), m->size(), &h); !st) {
    Error e = std::move(st).error();
    if (e.code == Errc::kInvalidSegment && being_created(shm_path, m->data())) {
      return make_error(Errc::kNotReady, shm_path +
                                             ": segment is being created (its writer holds the lock and "
                                             "has not written the header yet)");
    }
    e.message = shm_path + ": " + e.message;
    return e;
  }
  return DataView(std::move(m.value()), shm_path, h);
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
  return static_cast<SegmentState>(observe(live().state));
}

std::uint64_t DataView::write_cursor() const noexcept {
  return observe(live().write_cursor);
}

const std::uint64_t* DataView::write_cursor_word() const noexcept {
  return &live().write_cursor;
}

// Only the value matters: nothing is read on the strength of a heartbeat.
std::uint64_t DataView::heartbeat_ns() const noexcept {
  return load_relaxed(live().heartbeat_ns);
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

}  // namespace tickshm
