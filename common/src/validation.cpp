// Validation of data and control segments: every field named with its value when it is wrong.
#include "tickshm/validation.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <iterator>
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
  for (int i = 0; i < 8; ++i)
    fmt::format_to(std::back_inserter(s), "{:02x}", static_cast<unsigned char>(p[i]));
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

}  // namespace

Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size, DataHeader* copy) {
  if (file_size == 0) return make_error(Errc::kNotReady, "segment is empty (0 bytes)");
  if (file_size < sizeof(DataHeader)) {
    return invalid(
        fmt::format("segment is truncated: {} bytes, smaller than the 4096-byte header", file_size));
  }
  // The state first (acquire), then the copy: a copy taken after observing "live" holds every field
  // the writer stored before publishing it (SYNC POINT C1), never a header half-written.
  const auto state = static_cast<SegmentState>(observe(reinterpret_cast<const DataHeader*>(bytes)->state));
  const auto h = load_header<DataHeader>(bytes);
  if (std::memcmp(h.magic, kDataMagic, sizeof kDataMagic) != 0) {
    return invalid("not a tickshm data segment: magic is " + hex8(h.magic) + ", expected 'TICKSHM\\0'");
  }
  if (h.layout_version != kLayoutVersion) {
    return invalid(fmt::format("layout version {} is not supported (this build reads version {})",
                               h.layout_version, kLayoutVersion));
  }
  if (state == SegmentState::kCreating) {
    return make_error(Errc::kNotReady, fmt::format("segment is being created by pid {}", h.writer_pid));
  }
  if (state != SegmentState::kLive && state != SegmentState::kClosed) {
    return invalid(fmt::format("state {} is not creating/live/closed", static_cast<std::uint32_t>(state)));
  }
  if (h.header_size != sizeof(DataHeader))
    return invalid(fmt::format("header_size {} != 4096", h.header_size));
  if (h.tick_size != sizeof(TickRecord)) return invalid(fmt::format("tick_size {} != 64", h.tick_size));
  if (h.quote_size != sizeof(QuoteRecord)) return invalid(fmt::format("quote_size {} != 128", h.quote_size));
  if (h.symbol_entry_size != sizeof(SymbolEntry)) {
    return invalid(fmt::format("symbol_entry_size {} != 32", h.symbol_entry_size));
  }
  if (h.price_scale != kPriceScale) return invalid(fmt::format("price_scale {} != 10000", h.price_scale));
  if (!is_power_of_two(h.ring_capacity)) {
    return invalid(fmt::format("ring_capacity {} is not a power of two", h.ring_capacity));
  }
  if (h.ring_capacity < kMinRingCapacity || h.ring_capacity > kMaxRingCapacity) {
    return invalid(fmt::format("ring_capacity {} is outside [2, 2^26]", h.ring_capacity));
  }
  if (h.symbol_capacity == 0 || h.symbol_capacity > kMaxSymbols) {
    return invalid(fmt::format("symbol_capacity {} is outside [1, 65536]", h.symbol_capacity));
  }
  if (h.symbol_count > h.symbol_capacity) {
    return invalid(
        fmt::format("symbol_count {} exceeds symbol_capacity {}", h.symbol_count, h.symbol_capacity));
  }
  const DataGeometry g = data_geometry(h.ring_capacity, h.symbol_capacity);
  if (h.symbol_dir_offset != g.symbol_dir_offset) {
    return invalid(fmt::format("symbol_dir_offset {} != {}", h.symbol_dir_offset, g.symbol_dir_offset));
  }
  if (h.quote_board_offset != g.quote_board_offset) {
    return invalid(fmt::format("quote_board_offset {} != {}", h.quote_board_offset, g.quote_board_offset));
  }
  if (h.ring_offset != g.ring_offset)
    return invalid(fmt::format("ring_offset {} != {}", h.ring_offset, g.ring_offset));
  if (h.total_size != g.total_size) {
    return invalid(fmt::format("total_size {} disagrees with the geometry ({})", h.total_size, g.total_size));
  }
  if (h.total_size != file_size) {
    return invalid(fmt::format("total_size {} disagrees with the file size {}", h.total_size, file_size));
  }
  const auto* dir = reinterpret_cast<const SymbolEntry*>(bytes + h.symbol_dir_offset);
  for (std::uint32_t i = 0; i < h.symbol_count; ++i) {
    if (std::memchr(dir[i].name, '\0', kSymbolNameLength) == nullptr || dir[i].name[0] == '\0') {
      return invalid(fmt::format("symbol {} has no valid name", i));
    }
  }
  if (copy != nullptr) *copy = h;
  return ok_status();
}

Status validate_control_segment(const std::byte* bytes, std::uint64_t file_size) {
  if (file_size == 0) return make_error(Errc::kNotReady, "control segment is empty (0 bytes)");
  if (file_size < sizeof(ControlHeader)) {
    return invalid(fmt::format("control segment is truncated: {} bytes", file_size));
  }
  const auto h = load_header<ControlHeader>(bytes);
  if (std::memcmp(h.magic, kControlMagic, sizeof kControlMagic) != 0) {
    return invalid("not a tickshm control segment: magic is " + hex8(h.magic) + ", expected 'TICKCTL\\0'");
  }
  if (h.layout_version != kControlLayoutVersion) {
    return invalid(fmt::format("control layout version {} is not supported (this build reads {})",
                               h.layout_version, kControlLayoutVersion));
  }
  if (h.header_size != sizeof(ControlHeader))
    return invalid(fmt::format("control header_size {} != 4096", h.header_size));
  if (h.slot_count != kReaderSlots) return invalid(fmt::format("slot_count {} != 64", h.slot_count));
  if (h.slot_size != sizeof(ReaderSlot))
    return invalid(fmt::format("slot_size {} != {}", h.slot_size, sizeof(ReaderSlot)));
  if (h.total_size != kControlSize || file_size != kControlSize) {
    return invalid(
        fmt::format("control total_size {} / file size {} != {}", h.total_size, file_size, kControlSize));
  }
  return ok_status();
}

}  // namespace tickshm
