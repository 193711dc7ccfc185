// ITCH 5.0 in process: framing errors and quirks, hand-checked books and ticks from byte arrays, the
// sample file against the reference replay (itch_reference.hpp), and the recorder's output.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "itch_books.hpp"
#include "itch_reader.hpp"
#include "itch_recorder.hpp"
#include "itch_reference.hpp"
#include "itch_replay.hpp"
#include "test_support.hpp"

namespace tickshm::feed {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A message built field by field, big-endian, written here by hand (not with the feed's helpers).
class Msg {
 public:
  Msg(char type, std::uint16_t locate, std::uint64_t ts) {
    b_.push_back(static_cast<std::uint8_t>(type));
    num(locate, 2).num(0, 2).num(ts, 6);
  }
  Msg& num(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) b_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  Msg& chr(char c) {
    b_.push_back(static_cast<std::uint8_t>(c));
    return *this;
  }
  Msg& str(const std::string& s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) b_.push_back(static_cast<std::uint8_t>(i < s.size() ? s[i] : ' '));
    return *this;
  }
  // Framed with its real length (or a zero prefix).
  void into(Bytes& out, bool zero_prefix = false) const {
    const std::size_t n = zero_prefix ? 0 : b_.size();
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
    out.insert(out.end(), b_.begin(), b_.end());
  }
  std::size_t size() const { return b_.size(); }

 private:
  Bytes b_;
};

Msg directory(std::uint16_t loc, const std::string& name) {
  Msg m('R', loc, 1);
  m.str(name, 8).chr('Q').chr('N').num(100, 4).chr('N').chr('C').str("Z ", 2).chr('P').chr('N').chr('N');
  m.chr('2').chr('N').num(0, 4).chr('N');
  return m;
}
Msg add(std::uint16_t loc, std::uint64_t ts, std::uint64_t ref, char side, std::uint32_t shares,
        const std::string& stock, std::uint32_t price) {
  Msg m('A', loc, ts);
  m.num(ref, 8).chr(side).num(shares, 4).str(stock, 8).num(price, 4);
  return m;
}
Msg exec(std::uint16_t loc, std::uint64_t ts, std::uint64_t ref, std::uint32_t shares) {
  Msg m('E', loc, ts);
  m.num(ref, 8).num(shares, 4).num(77, 8);
  return m;
}
Msg exec_price(std::uint16_t loc, std::uint64_t ts, std::uint64_t ref, std::uint32_t shares, char printable,
               std::uint32_t price) {
  Msg m('C', loc, ts);
  m.num(ref, 8).num(shares, 4).num(78, 8).chr(printable).num(price, 4);
  return m;
}
Msg cancel(std::uint16_t loc, std::uint64_t ts, std::uint64_t ref, std::uint32_t shares) {
  Msg m('X', loc, ts);
  m.num(ref, 8).num(shares, 4);
  return m;
}
Msg del(std::uint16_t loc, std::uint64_t ts, std::uint64_t ref) {
  Msg m('D', loc, ts);
  m.num(ref, 8);
  return m;
}
Msg replace(std::uint16_t loc, std::uint64_t ts, std::uint64_t old_ref, std::uint64_t new_ref,
            std::uint32_t shares, std::uint32_t price) {
  Msg m('U', loc, ts);
  m.num(old_ref, 8).num(new_ref, 8).num(shares, 4).num(price, 4);
  return m;
}
Msg trade_msg(std::uint16_t loc, std::uint64_t ts, std::uint32_t shares, const std::string& stock,
              std::uint32_t price) {
  Msg m('P', loc, ts);
  m.num(0, 8).chr('B').num(shares, 4).str(stock, 8).num(price, 4).num(99, 8);
  return m;
}

// Runs bytes through the reader and the books; collects every tick.
struct BooksRun {
  std::vector<TickRecord> ticks;
  ItchCounts counts;
  BookTop top;
  bool ok = true;
  std::string error;
};

BooksRun run_books(const Bytes& bytes, std::uint16_t locate = 1) {
  BooksRun r;
  ItchBooks books({ItchStock{"TEST", locate, 10000, 100}}, {locate}, 16);
  ItchReader reader = ItchReader::from_memory(bytes.data(), bytes.size());
  ItchFrame f;
  TickRecord out[ItchBooks::kMaxTicksPerMessage];
  ItchReader::Next n;
  while ((n = reader.next(f)) == ItchReader::Next::kMessage) {
    const std::uint32_t k = books.apply(f.msg, out);
    r.ticks.insert(r.ticks.end(), out, out + k);
  }
  const std::uint32_t k = books.flush(out);
  r.ticks.insert(r.ticks.end(), out, out + k);
  r.ok = n == ItchReader::Next::kEnd;
  r.error = reader.error();
  r.counts = books.counts();
  r.top = books.book(0).top();
  return r;
}

bool is_trade(const TickRecord& t) {
  return t.kind == static_cast<std::uint8_t>(TickKind::kTrade);
}

TEST(ItchBooks, shouldPublishQuotesAndTradesWhenOrdersAddExecuteCancelAndReplace) {
  Bytes b;
  directory(1, "TEST").into(b);
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(b);  // bid 10.00 x 100
  add(1, 200, 2, 'S', 200, "TEST", 100500).into(b);  // ask 10.05 x 200
  add(1, 300, 3, 'B', 50, "TEST", 99900).into(b);    // below the best bid: no quote
  exec(1, 400, 1, 40).into(b);                       // trade 40 @ 10.00, bid 10.00 x 60
  cancel(1, 500, 1, 60).into(b);                     // bid order gone: best bid 9.99 x 50
  replace(1, 600, 2, 4, 300, 100400).into(b);        // ask 10.04 x 300
  trade_msg(1, 700, 25, "TEST", 100200).into(b);     // hidden trade 25 @ 10.02, book unchanged
  exec_price(1, 800, 4, 100, 'N', 100300).into(b);   // not printable: ask 10.04 x 200, no trade
  exec_price(1, 900, 4, 50, 'Y', 100350).into(b);    // printable at its own price
  const BooksRun r = run_books(b);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.ticks.size(), 8u);
  // 1: bid only.
  EXPECT_FALSE(is_trade(r.ticks[0]));
  EXPECT_EQ(r.ticks[0].event_ns, 100u);
  EXPECT_EQ(r.ticks[0].bid, 100000u);
  EXPECT_EQ(r.ticks[0].bid_size, 100u);
  EXPECT_EQ(r.ticks[0].ask, 0u);
  // 2: both sides.
  EXPECT_EQ(r.ticks[1].ask, 100500u);
  EXPECT_EQ(r.ticks[1].ask_size, 200u);
  // 3: the execution, carrying the top after it.
  EXPECT_TRUE(is_trade(r.ticks[2]));
  EXPECT_EQ(r.ticks[2].event_ns, 400u);
  EXPECT_EQ(r.ticks[2].price, 100000u);
  EXPECT_EQ(r.ticks[2].size, 40u);
  EXPECT_EQ(r.ticks[2].bid_size, 60u);
  // 4: the cancel empties the best level.
  EXPECT_FALSE(is_trade(r.ticks[3]));
  EXPECT_EQ(r.ticks[3].bid, 99900u);
  EXPECT_EQ(r.ticks[3].bid_size, 50u);
  // 5: the replace.
  EXPECT_EQ(r.ticks[4].ask, 100400u);
  EXPECT_EQ(r.ticks[4].ask_size, 300u);
  // 6: P.
  EXPECT_TRUE(is_trade(r.ticks[5]));
  EXPECT_EQ(r.ticks[5].price, 100200u);
  EXPECT_EQ(r.ticks[5].size, 25u);
  // 7: the non-printable C moves the top only.
  EXPECT_FALSE(is_trade(r.ticks[6]));
  EXPECT_EQ(r.ticks[6].ask_size, 200u);
  // 8: the printable C at its own price.
  EXPECT_TRUE(is_trade(r.ticks[7]));
  EXPECT_EQ(r.ticks[7].price, 100350u);
  EXPECT_EQ(r.ticks[7].ask_size, 150u);
  EXPECT_EQ(r.counts.quotes, 5u);
  EXPECT_EQ(r.counts.trades, 3u);
  EXPECT_EQ(r.counts.non_printable, 1u);
  EXPECT_EQ(r.top, (BookTop{99900, 100400, 50, 150}));
}

TEST(ItchBooks, shouldFoldOneEventIntoOneQuoteWhenMessagesShareStockAndTimestamp) {
  Bytes b;
  directory(1, "TEST").into(b);
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(b);
  add(1, 100, 2, 'S', 100, "TEST", 100100).into(b);
  add(1, 100, 3, 'B', 100, "TEST", 100000).into(b);
  const BooksRun r = run_books(b);
  ASSERT_EQ(r.ticks.size(), 1u);
  EXPECT_EQ(r.ticks[0].bid_size, 200u);
  EXPECT_EQ(r.ticks[0].ask, 100100u);
}

TEST(ItchBooks, shouldCountAndSkipWhenMessagesNameOrdersNeverAdded) {
  Bytes b;
  directory(1, "TEST").into(b);
  exec(1, 10, 41, 5).into(b);
  cancel(1, 11, 42, 5).into(b);
  del(1, 12, 43).into(b);
  del(1, 13, 44).into(b);
  replace(1, 14, 45, 46, 10, 100).into(b);
  exec_price(1, 15, 47, 1, 'Y', 100).into(b);
  add(1, 16, 1, 'B', 10, "TEST", 100).into(b);
  add(1, 17, 1, 'B', 10, "TEST", 100).into(b);  // the same reference again
  add(1, 18, 2, 'Z', 10, "TEST", 100).into(b);  // no such side
  add(9, 19, 3, 'B', 10, "NOPE", 100).into(b);  // a locate with no directory entry
  const BooksRun r = run_books(b);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.counts.unknown_order['E'], 1u);
  EXPECT_EQ(r.counts.unknown_order['X'], 1u);
  EXPECT_EQ(r.counts.unknown_order['D'], 2u);
  EXPECT_EQ(r.counts.unknown_order['U'], 1u);
  EXPECT_EQ(r.counts.unknown_order['C'], 1u);
  EXPECT_EQ(r.counts.duplicate_adds, 1u);
  EXPECT_EQ(r.counts.bad_side, 1u);
  EXPECT_EQ(r.counts.unknown_stock, 1u);
  EXPECT_EQ(r.counts.trades, 0u);
  EXPECT_EQ(r.top, (BookTop{100, 0, 10, 0}));
}

TEST(ItchBooks, shouldPublishAndCountWhenTheBookIsCrossed) {
  Bytes b;
  directory(1, "TEST").into(b);
  add(1, 1, 1, 'S', 10, "TEST", 100000).into(b);
  add(1, 2, 2, 'B', 10, "TEST", 100100).into(b);  // bid above the ask
  const BooksRun r = run_books(b);
  ASSERT_EQ(r.ticks.size(), 2u);
  EXPECT_EQ(r.ticks[1].bid, 100100u);
  EXPECT_EQ(r.ticks[1].ask, 100000u);
  EXPECT_EQ(r.counts.crossed_ticks, 1u);
}

TEST(ItchReader, shouldUseTheSpecLengthWhenTheLengthPrefixIsZero) {
  Bytes b;
  directory(1, "TEST").into(b, true);
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(b, true);
  const BooksRun r = run_books(b);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.ticks.size(), 1u);
  ItchReader reader = ItchReader::from_memory(b.data(), b.size());
  ItchFrame f;
  while (reader.next(f) == ItchReader::Next::kMessage) {
  }
  EXPECT_TRUE(reader.zero_prefix_seen());
  EXPECT_EQ(reader.messages(), 2u);
}

std::string framing_error(const Bytes& b) {
  ItchReader reader = ItchReader::from_memory(b.data(), b.size());
  ItchFrame f;
  ItchReader::Next n;
  while ((n = reader.next(f)) == ItchReader::Next::kMessage) {
  }
  return n == ItchReader::Next::kError ? reader.error() : "";
}

TEST(ItchReader, shouldNameTheByteOffsetWhenTheLastMessageIsTruncated) {
  Bytes b;
  directory(1, "TEST").into(b);  // 2 + 39 bytes
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(b);
  b.resize(b.size() - 5);
  const std::string e = framing_error(b);
  EXPECT_NE(e.find("truncated message 'A' at byte offset 41"), std::string::npos) << e;
  EXPECT_NE(e.find("36 bytes announced, 31 left"), std::string::npos) << e;
}

TEST(ItchReader, shouldNameTheByteOffsetWhenALengthDisagreesWithItsType) {
  Bytes b;
  directory(1, "TEST").into(b);
  Bytes bad;
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(bad);
  bad[1] = 35;  // one short of A's 36
  b.insert(b.end(), bad.begin(), bad.end() - 1);
  const std::string e = framing_error(b);
  EXPECT_NE(e.find("message 'A' at byte offset 41 has length 35, the ITCH 5.0 specification says 36"),
            std::string::npos)
      << e;
}

TEST(ItchReader, shouldSkipAndCountWhenAnUnknownTypeHasALength) {
  Bytes b;
  directory(1, "TEST").into(b);
  Msg unknown('z', 1, 5);
  unknown.num(1234, 4);
  unknown.into(b);
  add(1, 100, 1, 'B', 100, "TEST", 100000).into(b);
  ItchReader reader = ItchReader::from_memory(b.data(), b.size());
  ItchFrame f;
  std::size_t seen = 0;
  ItchReader::Next n;
  while ((n = reader.next(f)) == ItchReader::Next::kMessage) ++seen;
  EXPECT_EQ(n, ItchReader::Next::kEnd) << reader.error();
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(reader.unknown_skipped(), 1u);
}

TEST(ItchReader, shouldFailWithOffsetWhenAnUnknownTypeHasAZeroPrefix) {
  Bytes b;
  directory(1, "TEST").into(b);
  Msg unknown('z', 1, 5);
  unknown.into(b, true);
  const std::string e = framing_error(b);
  EXPECT_NE(e.find("unknown message type 'z' with a zero length prefix at byte offset 41"), std::string::npos)
      << e;
}

TEST(ItchReader, shouldSayNotItchWhenTheFirstMessageIsNoItchType) {
  const std::string text = "timestamp,symbol,bid,ask\n1,ABC,1,2\n";
  const Bytes b(text.begin(), text.end());
  const std::string e = framing_error(b);
  EXPECT_NE(e.find("not an ITCH 5.0 file"), std::string::npos) << e;
  EXPECT_NE(e.find("byte offset 0"), std::string::npos) << e;
}

TEST(ItchTime, shouldParseAndFormatWhenGivenTimesOfDay) {
  std::uint64_t ns = 0;
  std::string why;
  ASSERT_TRUE(parse_time_of_day("09:30:00", ns, why));
  EXPECT_EQ(ns, 34'200'000'000'000ULL);
  ASSERT_TRUE(parse_time_of_day("23:59:59.5", ns, why));
  EXPECT_EQ(format_time_of_day(ns), "23:59:59.500000000");
  EXPECT_FALSE(parse_time_of_day("24:00:00", ns, why));
  EXPECT_FALSE(parse_time_of_day("9:30", ns, why));
  EXPECT_FALSE(parse_time_of_day("09:30:00.", ns, why));
  EXPECT_FALSE(why.empty());
}

// The sample through the scan and the replay source, against the reference replay.
TEST(ItchSample, shouldMatchTheReferenceReplayWhenReplayingTheSample) {
  const std::string path = test::source_path("data/ex20101224.TEST_ITCH_50");
  const ref::Result want = ref::replay(ref::read_file(path));
  auto scan = scan_itch(path, {});
  ASSERT_TRUE(scan) << scan.error().message;
  EXPECT_EQ(scan->messages, 12'012u);
  EXPECT_EQ(want.messages, 12'012u);
  EXPECT_TRUE(scan->zero_prefix);
  ASSERT_EQ(scan->stocks.size(), 3u);
  auto src = ItchReplaySource::open(path, *scan, {});
  ASSERT_TRUE(src) << src.error().message;
  std::vector<ref::Stats> got(3);
  TickRecord t;
  while (src->next(t)) {
    ASSERT_LT(t.symbol, 3u);
    if (!is_trade(t)) continue;
    ref::Stats& s = got[t.symbol];
    const std::int64_t px = t.price;
    if (s.trades++ == 0) s.open = s.high = s.low = px;
    s.volume += t.size;
    s.last = px;
    s.high = std::max(s.high, px);
    s.low = std::min(s.low, px);
  }
  EXPECT_TRUE(src->error().empty()) << src->error();
  for (std::uint32_t i = 0; i < 3; ++i) {
    const ItchStock& stock = scan->stocks[i];
    const ref::Stats& w = want.stocks.at(stock.locate);
    SCOPED_TRACE(stock.name);
    EXPECT_EQ(stock.name, w.name);
    EXPECT_GT(w.trades, 0u);
    EXPECT_EQ(got[i].trades, w.trades);
    EXPECT_EQ(got[i].volume, w.volume);
    EXPECT_EQ(got[i].open, w.open);
    EXPECT_EQ(got[i].last, w.last);
    EXPECT_EQ(got[i].high, w.high);
    EXPECT_EQ(got[i].low, w.low);
    const BookTop top = src->books().book(i).top();
    EXPECT_EQ(top.bid, w.bid);
    EXPECT_EQ(top.ask, w.ask);
    EXPECT_EQ(top.bid_size, w.bid_size);
    EXPECT_EQ(top.ask_size, w.ask_size);
  }
  const ItchCounts& c = src->books().counts();
  for (const char type : {'E', 'C', 'X', 'D', 'U'}) {
    const auto it = want.unknown_order.find(type);
    EXPECT_EQ(c.unknown_order[static_cast<std::uint8_t>(type)],
              it == want.unknown_order.end() ? 0u : it->second)
        << type;
  }
  EXPECT_GT(c.unknown_order['D'], 0u);  // the sample starts mid-session
}

TEST(ItchRecorder, shouldWriteFramesTheReaderAcceptsWhenRecordingTicks) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tickshm-itchrec-" + std::to_string(::getpid()))).string();
  {
    auto rec = ItchRecorder::open(path, {"AAA", "BBBB"});
    ASSERT_TRUE(rec) << rec.error().message;
    TickRecord q{};
    q.kind = static_cast<std::uint8_t>(TickKind::kQuote);
    q.event_ns = 1'704'205'800'000'000'000ULL;  // 14:30 UTC
    q.symbol = 1;
    q.bid = 100000;
    q.ask = 100100;
    q.bid_size = 300;
    q.ask_size = 400;
    rec->write(q);
    TickRecord t = q;
    t.kind = static_cast<std::uint8_t>(TickKind::kTrade);
    t.price = 100100;
    t.size = 50;
    rec->write(t);
    ASSERT_TRUE(rec->close());
  }
  const Bytes bytes = ref::read_file(path);
  std::remove(path.c_str());
  const ref::Result r = ref::replay(bytes);
  ASSERT_EQ(r.stocks.size(), 2u);
  EXPECT_EQ(r.stocks.at(1).name, "AAA");
  const ref::Stats& s = r.stocks.at(2);
  EXPECT_EQ(s.name, "BBBB");
  EXPECT_EQ(s.trades, 1u);
  EXPECT_EQ(s.last, 100100);
  EXPECT_EQ(s.bid, 100000u);
  EXPECT_EQ(s.ask_size, 400u);
  // First message S 'O' at 14:30:00 since midnight, framed with its real length (12).
  ASSERT_GT(bytes.size(), 14u);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[1], 12);
  EXPECT_EQ(bytes[2], 'S');
  std::uint64_t ts = 0;
  for (int i = 0; i < 6; ++i) ts = ts << 8 | bytes[7 + static_cast<std::size_t>(i)];
  EXPECT_EQ(ts, 52'200'000'000'000ULL);
}

}  // namespace
}  // namespace tickshm::feed
