// The bridge's wire format: round trips, and every kind of hostile message refused with its reason.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "wire.hpp"

namespace tickshm::bridge {
namespace {

TickRecord tick(std::uint64_t s, std::uint32_t symbol) {
  TickRecord t{};
  t.seq = s;
  t.publish_ns = 1000 + s;
  t.symbol = symbol;
  t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  t.bid = 100;
  t.ask = 101;
  return t;
}

std::vector<std::byte> batch(std::string_view feed, std::uint64_t first, std::uint32_t n,
                             std::uint64_t epoch = 7) {
  std::vector<std::byte> b;
  begin_batch(b, feed, epoch, first, 0, 0);
  for (std::uint32_t i = 0; i < n; ++i) append_record(b, tick(first + i, i % 3));
  finish_batch(b, 123, first + n);
  return b;
}

template <class T>
void poke(std::vector<std::byte>& b, std::size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

TEST(WireTest, shouldRoundTripABatchWhenEncodedAndDecoded) {
  const auto b = batch("market", 40, 5);
  ASSERT_EQ(b.size(), 128u + 5 * 64);
  const DecodeResult d = decode_batch(b, "market");
  ASSERT_TRUE(d.ok) << wire_error_name(d.error);
  EXPECT_EQ(d.batch.header.count, 5u);
  EXPECT_EQ(d.batch.header.first_seq, 40u);
  EXPECT_EQ(d.batch.header.epoch, 7u);
  EXPECT_EQ(d.batch.header.send_unix_ns, 123u);
  EXPECT_EQ(d.batch.header.upstream_cursor, 45u);
  EXPECT_TRUE(check_batch_records(d.batch, 3));
  EXPECT_EQ(d.batch.record(4).seq, 44u);
  EXPECT_EQ(d.batch.record(4).symbol, 1u);
}

TEST(WireTest, shouldRefuseEveryMalformedBatchWhenDecoding) {
  const auto good = batch("market", 0, 3);
  std::vector<std::byte> b(good.begin(), good.begin() + 100);
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kShort);

  b = good;
  b[0] = std::byte{'X'};
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kMagic);

  b = good;
  poke<std::uint16_t>(b, 8, 2);
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kVersion);

  b = good;
  poke<std::uint16_t>(b, 12, 32);
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kGeometry);

  b = good;
  poke<std::uint32_t>(b, 16, 4);  // one more record than the message holds
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kCount);
  poke<std::uint32_t>(b, 16, 0xFFFFFFFFu);  // a count whose size would wrap
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kCount);

  b = good;
  b.pop_back();  // a torn last record
  EXPECT_EQ(decode_batch(b, "market").error, WireError::kCount);

  EXPECT_EQ(decode_batch(good, "other").error, WireError::kFeed);
  b = good;
  std::memset(b.data() + 56, 'a', 64);  // a name with no NUL
  EXPECT_EQ(decode_batch(b, std::string(64, 'a')).error, WireError::kFeed);
}

TEST(WireTest, shouldRefuseRecordsWhenASymbolOrKindIsOutOfRange) {
  auto b = batch("market", 0, 3);
  EXPECT_FALSE(check_batch_records(decode_batch(b, "market").batch, 2));  // symbol 2 of 2
  poke<std::uint8_t>(b, 128 + 64 + 28, 9);                                // record 1: kind 9
  EXPECT_FALSE(check_batch_records(decode_batch(b, "market").batch, 3));
}

TEST(WireTest, shouldRoundTripASnapshotAndRefuseABadOneWhenDecoding) {
  WireSnapshotHeader h{};
  std::memcpy(h.magic, kSnapshotMagic, 8);
  h.version = kWireVersion;
  h.header_size = sizeof h;
  h.entry_size = sizeof(WireSymbol);
  h.symbol_count = 2;
  h.epoch = 9;
  h.next_seq = 77;
  copy_feed_name(h.feed, "market");
  std::vector<WireSymbol> syms(2);
  std::strcpy(syms[0].name, "AAPL");
  syms[0].reference_price = 1'850'000;
  std::strcpy(syms[1].name, "BRK.B");
  syms[1].reference_price = 4'000'000;
  auto msg = encode_snapshot(h, syms);
  SnapshotResult r = decode_snapshot(msg, "market");
  ASSERT_TRUE(r.ok) << wire_error_name(r.error);
  EXPECT_EQ(r.snapshot.header.next_seq, 77u);
  ASSERT_EQ(r.snapshot.symbols.size(), 2u);
  EXPECT_STREQ(r.snapshot.symbols[1].name, "BRK.B");

  auto bad = msg;
  std::memset(bad.data() + 128, 'Z', 16);  // a symbol name without its NUL
  EXPECT_EQ(decode_snapshot(bad, "market").error, WireError::kRecord);
  bad = msg;
  bad.resize(bad.size() - 1);
  EXPECT_EQ(decode_snapshot(bad, "market").error, WireError::kCount);
  bad = msg;
  poke<std::uint32_t>(bad, 16, 0);
  EXPECT_EQ(decode_snapshot(bad, "market").error, WireError::kCount);
  EXPECT_EQ(decode_snapshot(batch("market", 0, 1), "market").error, WireError::kMagic);
}

}  // namespace
}  // namespace tickshm::bridge
