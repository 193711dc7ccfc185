// A hostile writer against the real tickshm-algo: the test owns a data segment (a real Publisher) and
// publishes nonsense (zero prices, crossed and absurd quotes, wild jumps) or corrupts a checksummed tick
// behind the writer's back. The algo must refuse every one, never trade on it, count it in its status
// segment (shown by tickshm-stat and the dashboard), log it at a limited rate, and halt on a burst.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "../algo/algo_proc_support.hpp"
#include "hostile_support.hpp"

namespace tickshm::test {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void publish_raw(CraftedFeed& f, std::uint32_t symbol, std::uint8_t kind, std::uint32_t bid,
                 std::uint32_t ask, std::uint32_t price = 0) {
  TickRecord t{};
  t.symbol = symbol;
  t.kind = kind;
  t.bid = bid;
  t.ask = ask;
  t.price = price;
  t.size = price ? 100 : 0;
  t.event_ns = unix_now_ns();
  t.publish_ns = now_ns();
  f.pub().publish_and_wake(t);
}

constexpr auto kQuote = static_cast<std::uint8_t>(TickKind::kQuote);
constexpr auto kTrade = static_cast<std::uint8_t>(TickKind::kTrade);

TEST(NonsenseTicks, shouldBeRefusedCountedShownAndNeverTradedByTheRealAlgo) {
  const std::string feed = unique_segment("nonsense");
  ShmGuard guard(feed);
  auto f = CraftedFeed::create(feed, {"AAA", "BBB"});
  ASSERT_TRUE(f);
  // A fast strategy, so it trades on anything that reaches it; no burst halt, to see every kind counted.
  Child algo = start_algo(feed, {"--strategy", "momentum", "--name", "victim", "--max-bad-ticks-per-sec", "0",
                                 "--status-interval-ms", "20", "--order-size", "100"});
  ASSERT_TRUE(status_until(
      feed, "victim", [](const AlgoStatusSnapshot& s) { return s.totals.feed_epoch != 0; }, &*f))
      << algo.err();
  std::uint64_t sent = 0;
  for (int i = 0; i < 60; ++i, ++sent) f->quote(0, 100 + (i % 7) * 0.05);  // a sane, wiggling market
  // Nonsense, five of each: a zero quote, a zero trade, crossed, absurdly wide, a 100x jump up or down
  // (never twice the same level: three jumps that agree are taken as a real gap), unknown kind.
  for (int i = 0; i < 5; ++i) {
    publish_raw(*f, 0, kQuote, 0, 0);
    publish_raw(*f, 0, kTrade, 0, 0, 0);
    publish_raw(*f, 0, kQuote, px(100), px(1));
    publish_raw(*f, 0, kQuote, px(0.0001), px(420'000));
    publish_raw(*f, 0, kQuote, i % 2 ? px(1) : px(10'000), i % 2 ? px(1.0002) : px(10'000.02));
    publish_raw(*f, 0, 7, px(100), px(100.02));
    sent += 6;
  }
  for (int i = 0; i < 10; ++i, ++sent) f->quote(0, 100 + (i % 3) * 0.05);
  ASSERT_TRUE(status_until(
      feed, "victim", [&](const AlgoStatusSnapshot& s) { return s.totals.ticks == sent; }, &*f))
      << algo.err();
  auto st = algo_status(feed, "victim");
  ASSERT_TRUE(st);
  const AlgoTotals& t = st->totals;
  EXPECT_EQ(t.bad_ticks, 30u);
  EXPECT_EQ(t.bad_zero_price, 10u);
  EXPECT_EQ(t.bad_crossed, 5u);
  EXPECT_EQ(t.bad_wide_spread, 5u);
  EXPECT_EQ(t.bad_jump, 5u);
  EXPECT_EQ(t.bad_malformed, 5u);
  EXPECT_EQ(t.halted, 0u);
  // Every fill was at a sane price: within a dollar of 100.
  for (const FillRecord& fill : st->fills) {
    EXPECT_GT(fill.price, std::int64_t{px(99)}) << "fill on tick " << fill.tick_seq;
    EXPECT_LT(fill.price, std::int64_t{px(101)}) << "fill on tick " << fill.tick_seq;
  }
  // 100 shares moving a dollar at most, where nonsense once made it about -9e9.
  EXPECT_LT(std::llabs(t.total_pnl), 100LL * px(10)) << "P&L moved by nonsense: " << t.total_pnl;

  const ProgramRun stat = run_stat(feed);
  EXPECT_EQ(stat.code, 0) << stat.describe();
  EXPECT_NE(stat.out.find("victim refused 30 tick(s) as nonsense (zero-price 10, crossed 5, wide-spread 5, "
                          "jump 5, malformed 5)"),
            std::string::npos)
      << stat.describe();
  const ProgramRun dash = run_dash(feed);
  EXPECT_NE(dash.out.find("BAD"), std::string::npos) << dash.describe();
  const auto row = dash.out.find("victim", dash.out.find("Algos:"));  // its row in the algo table
  ASSERT_NE(row, std::string::npos) << dash.describe();
  const std::string line = dash.out.substr(row, dash.out.find('\n', row) - row);
  EXPECT_NE(line.find(" 30 "), std::string::npos) << line;

  EXPECT_EQ(algo.stop(), 0) << algo.err();
  const std::string err = algo.err();
  EXPECT_GE(count_of(err, "as nonsense"), 1u) << err;
  // Logged at a limited rate: at most one line a second (and one at exit), not one per tick.
  EXPECT_LE(count_of(err, "as nonsense"), 10u) << err;
  EXPECT_NE(err.find("newest: tick"), std::string::npos) << err;
}

TEST(NonsenseTicks, shouldTripTheKillSwitchOnABurstAndSayWhy) {
  const std::string feed = unique_segment("burst");
  ShmGuard guard(feed);
  auto f = CraftedFeed::create(feed, {"AAA"});
  ASSERT_TRUE(f);
  Child algo =
      start_algo(feed, {"--name", "burst", "--max-bad-ticks-per-sec", "20", "--status-interval-ms", "20"});
  ASSERT_TRUE(status_until(
      feed, "burst", [](const AlgoStatusSnapshot& s) { return s.totals.feed_epoch != 0; }, &*f))
      << algo.err();
  f->quote(0, 100);
  for (int i = 0; i < 25; ++i) publish_raw(*f, 0, kQuote, px(100), px(50));  // crossed, 25 in a burst
  ASSERT_TRUE(status_until(
      feed, "burst", [](const AlgoStatusSnapshot& s) { return s.totals.halted != 0; }, &*f))
      << algo.err();
  auto st = algo_status(feed, "burst");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->totals.halt_cause, 2u);
  const ProgramRun stat = run_stat(feed);
  EXPECT_NE(stat.out.find("HALTED (bad ticks)"), std::string::npos) << stat.describe();
  const ProgramRun dash = run_dash(feed);
  EXPECT_NE(dash.out.find("HALTED"), std::string::npos) << dash.describe();
  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_NE(algo.err().find("KILL SWITCH: 20 bad ticks within one second"), std::string::npos) << algo.err();
}

TEST(NonsenseTicks, shouldNeverHandATickThatFailedVerifyToTheEngine) {
  const std::string feed = unique_segment("forged");
  ShmGuard guard(feed);
  auto f = CraftedFeed::create(feed, {"AAA"}, 64, /*verify=*/true);
  ASSERT_TRUE(f);
  Child algo = start_algo(feed, {"--name", "checked", "--verify", "--status-interval-ms", "20"});
  ASSERT_TRUE(status_until(
      feed, "checked", [](const AlgoStatusSnapshot& s) { return s.totals.feed_epoch != 0; }, &*f))
      << algo.err();
  for (int i = 0; i < 3; ++i) f->quote(0, 100);
  ASSERT_TRUE(status_until(
      feed, "checked", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 3; }, &*f));
  algo.signal(SIGSTOP);
  f->quote(0, 100);
  f->quote(0, 100);
  {
    // Turn tick 3 into a crossed quote behind the writer's back: its checksum no longer matches. Had the
    // algo handed it to its engine, the engine would have counted it as crossed.
    const int fd = ::open(("/dev/shm/tickshm." + feed).c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    const DataHeader& h = f->pub().header();
    void* m = ::mmap(nullptr, h.total_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    ASSERT_NE(m, MAP_FAILED);
    auto* ring = reinterpret_cast<TickRecord*>(static_cast<std::byte*>(m) + h.ring_offset);
    ring[3].ask = 1;
    ::munmap(m, h.total_size);
  }
  algo.signal(SIGCONT);
  ASSERT_TRUE(status_until(
      feed, "checked", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 5; }, &*f));
  auto st = algo_status(feed, "checked");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->totals.verify_errors, 1u);
  EXPECT_EQ(st->totals.bad_crossed, 0u) << "the forged tick reached the engine";
  for (const FillRecord& fill : st->fills) EXPECT_NE(fill.tick_seq, 3u);
  const ProgramRun stat = run_stat(feed);
  EXPECT_NE(stat.out.find("and 1 that failed --verify"), std::string::npos) << stat.describe();
  EXPECT_EQ(algo.stop(), 1) << algo.err();  // a checksum mismatch makes the exit status 1
}

}  // namespace
}  // namespace tickshm::test
