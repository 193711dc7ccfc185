// Validation of data and control segments: every field named with its value when it is wrong.
#include "tickshm/validation.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include "shm_map.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {
namespace {

Error invalid(const std::string& what) {
  return invalid_segment(what);
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

}  // namespace

Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size, DataHeader* copy) {
  if (file_size == 0) return make_error(Errc::kNotReady, "segment is empty (0 bytes)");
  if (file_size < sizeof(DataHeader)) {
    return invalid("segment is truncated: " + u64s(file_size) + " bytes, smaller than the 4096-byte header");
  }
  // The state first (acquire), then the copy: a copy taken after observing "live" holds every field
  // the writer stored before publishing it (SYNC POINT C1), never a header half-written.
  const auto state = static_cast<SegmentState>(observe(reinterpret_cast<const DataHeader*>(bytes)->state));
  const auto h = load_header<DataHeader>(bytes);
  if (std::memcmp(h.magic, kDataMagic, sizeof kDataMagic) != 0) {
    return invalid("not a tickshm data segment: magic is " + hex8(h.magic) + ", expected 'TICKSHM\\0'");
  }
  if (h.layout_version != kLayoutVersion) {
    return invalid("layout version " + u64s(h.layout_version) +
                   " is not supported (this build reads version " + u64s(kLayoutVersion) + ")");
  }
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
  if (copy != nullptr) *copy = h;
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
  if (h.slot_size != sizeof(ReaderSlot))
    return invalid("slot_size " + u64s(h.slot_size) + " != " + u64s(sizeof(ReaderSlot)));
  if (h.total_size != kControlSize || file_size != kControlSize) {
    return invalid("control total_size " + u64s(h.total_size) + " / file size " + u64s(file_size) +
                   " != " + u64s(kControlSize));
  }
  return ok_status();
}

}  // namespace tickshm
