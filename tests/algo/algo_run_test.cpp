// The real tickshm-algo against a crafted in-test feed: exact trades and P&L, the status segment,
// feed restarts, lapping, the kill switch, the rate limit and verify mode, all through the binary.
#include <fcntl.h>
#include <sys/mman.h>

#include "algo_proc_support.hpp"

namespace tickshm::test {
namespace {

// Mids of a series on which sma-cross --fast 2 --slow 4 goes long at tick 6 and short at tick 8.
const std::vector<double> kCrossing = {10, 10, 10, 10, 9, 9, 12, 12, 8, 8};

struct CrossingRun {
  int code = -1;
  std::string out, err;
  nlohmann::json report;
  std::optional<AlgoStatusSnapshot> status;  // read while the algo ran, after the last tick
  pid_t pid = 0;
  std::optional<ReaderInfo> registry;  // the algo's row in the feed's reader registry, when asked for
};

// Starts the algo before the feed, plays kCrossing, reads the status, stops the algo with `sig`.
CrossingRun run_crossing(const std::vector<std::string>& extra, int sig = SIGTERM,
                         bool want_registry = false) {
  CrossingRun r;
  const std::string feed = unique_segment("algo-cross");
  ShmGuard guard(feed);
  TempPath report("report.json");
  std::vector<std::string> args = {"--strategy", "sma-cross", "--fast", "2", "--slow", "4", "--order-size",
                                   "100", "--slippage-ticks", "1", "--commission-per-share", "0.01",
                                   "--report", report.path(), "--status-interval-ms", "20",
                                   // kCrossing moves 33 % in a tick, beyond the default bound on what is
                                   // plausible (tests/hostile/nonsense_ticks_test covers that bound).
                                   "--max-tick-move", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  Child algo = start_algo(feed, args);
  r.pid = algo.pid();
  EXPECT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  {
    auto f = CraftedFeed::create(feed, {"AAA"});
    if (!f) return r;
    for (const double mid : kCrossing) f->quote(0, mid);
    EXPECT_TRUE(status_until(
        feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 10; }, &*f))
        << algo.err();
    r.status = algo_status(feed, "sma-cross");
    if (want_registry) {
      // The latency summary reaches the registry about once a second.
      EXPECT_TRUE(eventually([&] {
        f->heartbeat();
        for (const auto& row : f->pub().readers())
          if (row.name == "sma-cross" && row.received == 10 && row.max_ns > 0) r.registry = row;
        return r.registry.has_value();
      })) << algo.err();
    }
    algo.signal(sig);
    r.code = algo.wait_for(std::chrono::milliseconds(10000)).value_or(-1);
  }
  r.out = algo.out();
  r.err = algo.err();
  EXPECT_TRUE(guard.leftovers().empty() || !has(guard.leftovers().front(), ".algo."));
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/tickshm." + feed + ".algo.sma-cross"))
      << "status segment left";
  try {
    r.report = nlohmann::json::parse(report.read());
  } catch (const std::exception& e) {
    ADD_FAILURE() << "report: " << e.what() << "\n" << report.read();
  }
  return r;
}

constexpr std::int64_t kUnit = 10'000;

}  // namespace

TEST(AlgoRun, shouldTradeCraftedCrossoverExactlyWhenStartedBeforeTheFeed) {
  const CrossingRun r = run_crossing({}, SIGTERM, true);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(r.registry.has_value());
  EXPECT_EQ(r.registry->role, "algo");
  EXPECT_EQ(r.registry->pid, r.pid);
  EXPECT_EQ(r.registry->lost, 0u);
  EXPECT_LE(r.registry->p50_ns, r.registry->p99_ns);
  // Long 100 at ask 12.01 + 1 tick; flip with 200 at bid 7.99 - 1 tick; 300 shares of commission.
  const std::int64_t realized = 100 * (79'800 - 120'200) - 300 * 100;
  const std::int64_t unrealized = -100 * 80'000 + 100 * 79'800;
  const nlohmann::json& j = r.report;
  EXPECT_EQ(j.at("name").get<std::string>(), "sma-cross");
  EXPECT_EQ(j.at("params").get<std::string>(), "fast=2 slow=4");
  EXPECT_EQ(j.at("ticks").at("received").get<long long>(), 10);
  EXPECT_EQ(j.at("ticks").at("lost").get<long long>(), 0);
  ASSERT_EQ(j.at("epochs").size(), 1u);
  EXPECT_EQ(j.at("epochs")[0].at("joined_at").get<long long>(), 0);
  EXPECT_EQ(j.at("epochs")[0].at("received").get<long long>(), 10);
  EXPECT_EQ(j.at("orders").at("sent").get<long long>(), 2);
  EXPECT_EQ(j.at("orders").at("fills").get<long long>(), 2);
  EXPECT_EQ(j.at("orders").at("rejects").get<long long>(), 0);
  EXPECT_EQ(j.at("pnl").at("realized").get<long long>(), realized);
  EXPECT_EQ(j.at("pnl").at("unrealized").get<long long>(), unrealized);
  EXPECT_EQ(j.at("pnl").at("total").get<long long>(), realized + unrealized);
  EXPECT_EQ(j.at("pnl").at("commissions").get<long long>(), 300 * 100);
  EXPECT_EQ(j.at("positions")[0].at("symbol").get<std::string>(), "AAA");
  EXPECT_EQ(j.at("positions")[0].at("position").get<long long>(), -100);
  EXPECT_EQ(j.at("positions")[0].at("avg_cost").get<long long>(), 79'800);
  EXPECT_EQ(j.at("latency").at("publish_to_read").at("count").get<long long>(), 10);
  EXPECT_EQ(j.at("latency").at("publish_to_decision").at("count").get<long long>(), 10);
  EXPECT_GT(j.at("latency").at("publish_to_decision").at("max_ns").get<long long>(), 0);
  EXPECT_FALSE(j.at("risk").at("halted").get<bool>());
  // The summary on stdout says the same.
  EXPECT_TRUE(has(r.out, "ticks: received 10, lost 0")) << r.out;
  EXPECT_TRUE(has(r.out, "orders 2, fills 2, rejects 0")) << r.out;
  EXPECT_TRUE(has(r.out, "realized -407.0000, unrealized -2.0000, total -409.0000")) << r.out;
  EXPECT_TRUE(has(r.out, "publish->decision: p50")) << r.out;

  // The status segment, read back while the algo ran.
  ASSERT_TRUE(r.status.has_value());
  const AlgoStatusSnapshot& s = *r.status;
  EXPECT_EQ(s.pid, r.pid);
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.strategy, "sma-cross");
  EXPECT_EQ(s.params, "fast=2 slow=4");
  EXPECT_EQ(s.totals.ticks, 10u);
  EXPECT_EQ(s.totals.orders, 2u);
  EXPECT_EQ(s.totals.fills, 2u);
  EXPECT_EQ(s.totals.realized, realized);
  EXPECT_EQ(s.totals.unrealized, unrealized);
  EXPECT_EQ(s.totals.halted, 0u);
  EXPECT_NE(s.totals.feed_epoch, 0u);
  EXPECT_GT(s.totals.decide_max_ns, 0u);
  ASSERT_EQ(s.positions.size(), 1u);
  EXPECT_STREQ(s.positions[0].symbol, "AAA");
  EXPECT_EQ(s.positions[0].position, -100);
  ASSERT_EQ(s.fills.size(), 2u);
  EXPECT_EQ(s.fills[0].side, 1);
  EXPECT_EQ(s.fills[0].price, 120'200);
  EXPECT_EQ(s.fills[0].tick_seq, 6u);
  EXPECT_EQ(s.fills[1].side, -1);
  EXPECT_EQ(s.fills[1].quantity, 200);
  EXPECT_EQ(s.fills[1].price, 79'800);
  EXPECT_EQ(s.fills[1].realized, 100 * (79'800 - 120'200) - 200 * 100);
  EXPECT_EQ(s.fills[1].tick_seq, 8u);
}

TEST(AlgoRun, shouldPrintSummaryAndExitZeroWhenInterrupted) {
  const CrossingRun r = run_crossing({}, SIGINT);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "orders 2, fills 2")) << r.out;
}

TEST(AlgoRun, shouldHaltAndSaySoWhenDrawdownReachesTheLimit) {
  // At tick 8 the mid falls to 8 with 100 long from 12.02: a 403 drawdown, before the short signal.
  const CrossingRun r = run_crossing({"--max-drawdown", "100"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.report.at("risk").at("halted").get<bool>());
  EXPECT_TRUE(has(r.report.at("risk").at("halt_reason").get<std::string>(), "--max-drawdown 100.0000"))
      << r.report.at("risk").at("halt_reason").get<std::string>();
  EXPECT_EQ(r.report.at("orders").at("sent").get<long long>(), 1);
  EXPECT_EQ(r.report.at("orders").at("rejects_by").at("halted").get<long long>(), 1);
  EXPECT_EQ(r.report.at("positions")[0].at("position").get<long long>(), 100);
  EXPECT_GE(r.report.at("risk").at("max_drawdown").get<long long>(), 100 * kUnit);
  EXPECT_TRUE(has(r.err, "KILL SWITCH")) << r.err;
  EXPECT_TRUE(has(r.out, "HALTED: drawdown")) << r.out;
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->totals.halted, 1u);
  EXPECT_EQ(r.status->totals.rejects, 1u);
}

TEST(AlgoRun, shouldRefuseOrdersWhenRateLimitIsExceeded) {
  const CrossingRun r = run_crossing({"--max-orders-per-sec", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.report.at("orders").at("sent").get<long long>(), 1);
  EXPECT_EQ(r.report.at("orders").at("rejects_by").at("max-orders-per-sec").get<long long>(), 1);
  EXPECT_TRUE(has(r.out, "rejects 1 (max-orders-per-sec 1)")) << r.out;
}

TEST(AlgoRun, shouldRefuseOrdersWhenPositionOrNotionalLimitIsExceeded) {
  const CrossingRun pos = run_crossing({"--max-position", "50"});
  ASSERT_EQ(pos.code, 0) << pos.err;
  EXPECT_EQ(pos.report.at("orders").at("sent").get<long long>(), 0);
  EXPECT_EQ(pos.report.at("orders").at("rejects_by").at("max-position").get<long long>(), 2);
  EXPECT_TRUE(has(pos.err, "every order will be refused")) << pos.err;
  // Long 100 at ~12 = 1,200 of notional: over a 1,000 limit. Short 100 at ~8 = 800: passes.
  const CrossingRun notional = run_crossing({"--max-gross-notional", "1000"});
  ASSERT_EQ(notional.code, 0) << notional.err;
  EXPECT_EQ(notional.report.at("orders").at("rejects_by").at("max-gross-notional").get<long long>(), 1);
  EXPECT_EQ(notional.report.at("orders").at("sent").get<long long>(), 1);
  EXPECT_EQ(notional.report.at("positions")[0].at("position").get<long long>(), -100);
}

TEST(AlgoRun, shouldTradeOnlyFilteredSymbolsWhenSymbolsIsGiven) {
  const std::string feed = unique_segment("algo-filter");
  ShmGuard guard(feed);
  TempPath report("report.json");
  Child algo =
      start_algo(feed, {"--fast", "2", "--slow", "4", "--symbols", "BBB,NOPE", "--report", report.path()});
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  auto f = CraftedFeed::create(feed, {"AAA", "BBB"});
  ASSERT_TRUE(f);
  for (const double mid : kCrossing) {
    f->quote(0, mid);
    f->quote(1, 50);
  }
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 20; }, &*f));
  EXPECT_EQ(algo.stop(), 0);
  const nlohmann::json j = nlohmann::json::parse(report.read());
  EXPECT_EQ(j.at("orders").at("sent").get<long long>(), 0);  // AAA crossed, but it is not traded
  ASSERT_EQ(j.at("positions").size(), 1u);
  EXPECT_EQ(j.at("positions")[0].at("symbol").get<std::string>(), "BBB");
  EXPECT_TRUE(has(algo.err(), "symbol NOPE (--symbols) is not in feed")) << algo.err();
}

TEST(AlgoRun, shouldFollowTheFeedWhenItRestartsWithANewEpoch) {
  const std::string feed = unique_segment("algo-restart");
  ShmGuard guard(feed);
  TempPath report("report.json");
  std::uint64_t epoch1 = 0, epoch2 = 0;
  std::optional<Child> algo;
  {
    auto f1 = CraftedFeed::create(feed, {"AAA"});
    ASSERT_TRUE(f1);
    for (int i = 0; i < 5; ++i) f1->quote(0, 10);  // before the algo: it joins at the live edge
    epoch1 = f1->pub().epoch();
    algo = start_algo(feed, {"--report", report.path(), "--status-interval-ms", "20"});
    ASSERT_TRUE(status_until(
        feed, "sma-cross", [&](const AlgoStatusSnapshot& s) { return s.totals.feed_epoch == epoch1; }, &*f1));
    for (int i = 0; i < 5; ++i) f1->quote(0, 10);
    ASSERT_TRUE(status_until(
        feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 5; }, &*f1));
  }  // the first feed closes and unlinks its segments
  EXPECT_TRUE(eventually([&] { return has(algo->err(), "closed"); })) << algo->err();
  {
    auto f2 = CraftedFeed::create(feed, {"BBB", "AAA"});
    ASSERT_TRUE(f2);
    epoch2 = f2->pub().epoch();
    ASSERT_NE(epoch1, epoch2);
    for (int i = 0; i < 7; ++i) f2->quote(1, 11);
    ASSERT_TRUE(status_until(
        feed, "sma-cross",
        [&](const AlgoStatusSnapshot& s) { return s.totals.ticks == 12 && s.totals.feed_epoch == epoch2; },
        &*f2))
        << algo->err();
    EXPECT_EQ(algo->stop(), 0) << algo->err();
  }
  const nlohmann::json j = nlohmann::json::parse(report.read());
  EXPECT_EQ(j.at("ticks").at("received").get<long long>(), 12);
  ASSERT_EQ(j.at("epochs").size(), 2u);
  char hex[24];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(epoch1));
  EXPECT_EQ(j.at("epochs")[0].at("epoch").get<std::string>(), hex);
  EXPECT_EQ(j.at("epochs")[0].at("joined_at").get<long long>(), 5);
  EXPECT_EQ(j.at("epochs")[0].at("received").get<long long>() + j.at("epochs")[0].at("lost").get<long long>(),
            5);
  EXPECT_EQ(j.at("epochs")[1].at("joined_at").get<long long>(),
            0);  // it waited for this one: read from tick 0
  EXPECT_EQ(j.at("epochs")[1].at("received").get<long long>(), 7);
  // AAA was found by name in the new directory (same book), BBB is new.
  ASSERT_EQ(j.at("positions").size(), 2u);
  EXPECT_EQ(j.at("positions")[0].at("symbol").get<std::string>(), "AAA");
  EXPECT_EQ(j.at("positions")[1].at("symbol").get<std::string>(), "BBB");
}

TEST(AlgoRun, shouldCountLostTicksAndGoOnWhenLapped) {
  const std::string feed = unique_segment("algo-lapped");
  ShmGuard guard(feed);
  TempPath report("report.json");
  Child algo = start_algo(feed, {"--wait", "block", "--report", report.path(), "--status-interval-ms", "20"});
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  auto f = CraftedFeed::create(feed, {"AAA"}, 64);
  ASSERT_TRUE(f);
  f->quote(0, 10);
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 1; }, &*f));
  algo.signal(SIGSTOP);
  for (int i = 0; i < 1000; ++i) f->quote(0, 10 + (i % 7) * 0.01);
  algo.signal(SIGCONT);
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks + s.totals.lost == 1001; },
      &*f))
      << algo.err();
  f->quote(0, 10);  // and it goes on reading
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks + s.totals.lost == 1002; },
      &*f));
  EXPECT_EQ(algo.stop(), 0);
  const nlohmann::json j = nlohmann::json::parse(report.read());
  EXPECT_EQ(j.at("ticks").at("received").get<long long>() + j.at("ticks").at("lost").get<long long>(), 1002);
  EXPECT_GE(j.at("ticks").at("lost").get<long long>(), 1000 - 64);
  EXPECT_TRUE(has(algo.out(), "lost " + std::to_string(j.at("ticks").at("lost").get<long long>())))
      << algo.out();
}

TEST(AlgoRun, shouldCountChecksumMismatchAndExitNonZeroWhenVerifyFails) {
  const std::string feed = unique_segment("algo-verify");
  ShmGuard guard(feed);
  TempPath report("report.json");
  Child algo = start_algo(feed, {"--verify", "--report", report.path(), "--status-interval-ms", "20"});
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  auto f = CraftedFeed::create(feed, {"AAA"}, 64, true);
  ASSERT_TRUE(f);
  for (int i = 0; i < 3; ++i) f->quote(0, 10);
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 3; }, &*f));
  algo.signal(SIGSTOP);
  f->quote(0, 10);
  f->quote(0, 10);
  {
    // Flip one payload byte of tick 3 behind the writer's back, as a stray write would.
    const int fd = ::open(("/dev/shm/tickshm." + feed).c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    const DataHeader& h = f->pub().header();
    const std::size_t len = h.total_size;
    void* m = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    ASSERT_NE(m, MAP_FAILED);
    auto* ring = reinterpret_cast<TickRecord*>(static_cast<std::byte*>(m) + h.ring_offset);
    ring[3].bid ^= 1;
    ::munmap(m, len);
  }
  algo.signal(SIGCONT);
  ASSERT_TRUE(status_until(
      feed, "sma-cross", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 5; }, &*f));
  EXPECT_EQ(algo.stop(), 1) << algo.err();
  const nlohmann::json j = nlohmann::json::parse(report.read());
  EXPECT_TRUE(j.at("ticks").at("verify").get<bool>());
  EXPECT_EQ(j.at("ticks").at("verify_errors").get<long long>(), 1);
  EXPECT_TRUE(has(algo.out(), "checksum mismatches 1")) << algo.out();
  EXPECT_TRUE(has(algo.err(), "failed their checksum")) << algo.err();
}

}  // namespace tickshm::test
