// Encoding and defensive decoding of the bridge's wire format: a message is copied and checked
// field by field before anything in it is used.
#include "wire.hpp"

#include <algorithm>
#include <cstring>

namespace tickshm::bridge {
namespace {

bool feed_matches(const char (&field)[kWireFeedLength], std::string_view feed) noexcept {
  const void* nul = std::memchr(field, '\0', kWireFeedLength);
  if (nul == nullptr) return false;
  const auto len = static_cast<std::size_t>(static_cast<const char*>(nul) - field);
  return std::string_view(field, len) == feed;
}

bool symbol_name_ok(const char (&name)[kSymbolNameLength]) noexcept {
  const void* nul = std::memchr(name, '\0', kSymbolNameLength);
  if (nul == nullptr || nul == name) return false;
  for (const char* p = name; p != nul; ++p) {
    const char c = *p;
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const char* wire_error_name(WireError e) noexcept {
  switch (e) {
    case WireError::kShort:
      return "short message";
    case WireError::kMagic:
      return "wrong magic";
    case WireError::kVersion:
      return "unknown wire version";
    case WireError::kGeometry:
      return "wrong header or record size";
    case WireError::kCount:
      return "count does not fit the message";
    case WireError::kFeed:
      return "feed name mismatch";
    case WireError::kRecord:
      return "malformed record";
    case WireError::kEpoch:
      return "foreign epoch";
  }
  return "?";
}

void copy_feed_name(char (&dst)[kWireFeedLength], std::string_view feed) noexcept {
  std::memset(dst, 0, kWireFeedLength);
  std::memcpy(dst, feed.data(), std::min(feed.size(), kWireFeedLength - 1));
}

TickRecord BatchView::record(std::uint32_t i) const noexcept {
  TickRecord t;
  std::memcpy(&t, records + std::size_t{i} * sizeof(TickRecord), sizeof t);
  return t;
}

DecodeResult decode_batch(std::span<const std::byte> msg, std::string_view feed) noexcept {
  DecodeResult r;
  auto fail = [&](WireError e) {
    r.error = e;
    return r;
  };
  if (msg.size() < sizeof(WireBatchHeader)) return fail(WireError::kShort);
  WireBatchHeader& h = r.batch.header;
  std::memcpy(&h, msg.data(), sizeof h);
  if (std::memcmp(h.magic, kBatchMagic, sizeof h.magic) != 0) return fail(WireError::kMagic);
  if (h.version != kWireVersion) return fail(WireError::kVersion);
  if (h.header_size != sizeof(WireBatchHeader) || h.record_size != sizeof(TickRecord))
    return fail(WireError::kGeometry);
  if (h.count > kMaxBatchCount ||
      msg.size() != sizeof(WireBatchHeader) + std::size_t{h.count} * sizeof(TickRecord))
    return fail(WireError::kCount);
  if (((h.flags & kBatchFlagHeartbeat) != 0 && h.count != 0) || h.first_seq > (std::uint64_t{1} << 62))
    return fail(WireError::kCount);
  if (!feed_matches(h.feed, feed)) return fail(WireError::kFeed);
  r.batch.records = msg.data() + sizeof(WireBatchHeader);
  r.ok = true;
  return r;
}

bool check_batch_records(const BatchView& b, std::uint32_t symbol_count) noexcept {
  for (std::uint32_t i = 0; i < b.header.count; ++i) {
    const TickRecord t = b.record(i);
    if (t.symbol >= symbol_count) return false;
    if (t.kind != static_cast<std::uint8_t>(TickKind::kQuote) &&
        t.kind != static_cast<std::uint8_t>(TickKind::kTrade))
      return false;
    if ((b.header.flags & kBatchFlagSymbolStream) != 0 && t.symbol != b.header.symbol) return false;
  }
  return true;
}

SnapshotResult decode_snapshot(std::span<const std::byte> msg, std::string_view feed) {
  SnapshotResult r;
  auto fail = [&](WireError e) {
    r.error = e;
    r.snapshot.symbols.clear();
    return r;
  };
  if (msg.size() < sizeof(WireSnapshotHeader)) return fail(WireError::kShort);
  WireSnapshotHeader& h = r.snapshot.header;
  std::memcpy(&h, msg.data(), sizeof h);
  if (std::memcmp(h.magic, kSnapshotMagic, sizeof h.magic) != 0) return fail(WireError::kMagic);
  if (h.version != kWireVersion) return fail(WireError::kVersion);
  if (h.header_size != sizeof(WireSnapshotHeader) || h.entry_size != sizeof(WireSymbol))
    return fail(WireError::kGeometry);
  if (h.symbol_count == 0 || h.symbol_count > kMaxSymbols ||
      msg.size() != sizeof(WireSnapshotHeader) + std::size_t{h.symbol_count} * sizeof(WireSymbol))
    return fail(WireError::kCount);
  if (!feed_matches(h.feed, feed)) return fail(WireError::kFeed);
  r.snapshot.symbols.resize(h.symbol_count);
  std::memcpy(r.snapshot.symbols.data(), msg.data() + sizeof h,
              std::size_t{h.symbol_count} * sizeof(WireSymbol));
  for (const WireSymbol& s : r.snapshot.symbols) {
    if (!symbol_name_ok(s.name) || s.reference_price <= 0 || s.reference_price > kMaxTickPrice)
      return fail(WireError::kRecord);
  }
  r.ok = true;
  return r;
}

void begin_batch(std::vector<std::byte>& buf, std::string_view feed, std::uint64_t epoch,
                 std::uint64_t first_seq, std::uint16_t flags, std::uint32_t symbol) noexcept {
  WireBatchHeader h{};
  std::memcpy(h.magic, kBatchMagic, sizeof h.magic);
  h.version = kWireVersion;
  h.header_size = sizeof(WireBatchHeader);
  h.record_size = sizeof(TickRecord);
  h.flags = flags;
  h.symbol = symbol;
  h.epoch = epoch;
  h.first_seq = first_seq;
  copy_feed_name(h.feed, feed);
  buf.resize(sizeof h);
  std::memcpy(buf.data(), &h, sizeof h);
}

void append_record(std::vector<std::byte>& buf, const TickRecord& tick) noexcept {
  const std::size_t at = buf.size();
  buf.resize(at + sizeof(TickRecord));
  std::memcpy(buf.data() + at, &tick, sizeof tick);
}

void finish_batch(std::vector<std::byte>& buf, std::uint64_t send_unix_ns,
                  std::uint64_t upstream_cursor) noexcept {
  const auto count = static_cast<std::uint32_t>((buf.size() - sizeof(WireBatchHeader)) / sizeof(TickRecord));
  std::memcpy(buf.data() + offsetof(WireBatchHeader, count), &count, sizeof count);
  std::memcpy(buf.data() + offsetof(WireBatchHeader, send_unix_ns), &send_unix_ns, sizeof send_unix_ns);
  std::memcpy(buf.data() + offsetof(WireBatchHeader, upstream_cursor), &upstream_cursor,
              sizeof upstream_cursor);
}

std::vector<std::byte> encode_snapshot(const WireSnapshotHeader& header,
                                       std::span<const WireSymbol> symbols) {
  std::vector<std::byte> out(sizeof header + symbols.size_bytes());
  std::memcpy(out.data(), &header, sizeof header);
  if (!symbols.empty()) std::memcpy(out.data() + sizeof header, symbols.data(), symbols.size_bytes());
  return out;
}

}  // namespace tickshm::bridge
