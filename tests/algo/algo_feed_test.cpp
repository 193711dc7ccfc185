// End to end with a real tickshm-feed: the algo trades, and its counts add up to what the feed published.
#include <regex>

#include "algo_proc_support.hpp"

namespace tickshm::test {
namespace {

std::uint64_t published_by(const std::string& feed_out) {
  std::smatch m;
  if (!std::regex_search(feed_out, m, std::regex(R"(published (\d+) ticks)"))) return 0;
  return std::stoull(m[1]);
}

}  // namespace

TEST(AlgoFeed, shouldAddUpToWhatTheFeedPublishedWhenTradingARealFeed) {
#ifndef TICKSHM_HAVE_FEED
  GTEST_SKIP() << "tickshm-feed is not part of this build";
#endif
  const std::string feed = unique_segment("algo-e2e");
  ShmGuard guard(feed);
  TempPath report("report.json");
  constexpr std::uint64_t kCount = 200'000;
  // Started first, the algo waits and then reads the epoch from its first tick.
  Child algo = start_algo(feed, {"--strategy", "mean-revert", "--z-window", "30", "--z-entry", "1.5",
                                 "--max-orders-per-sec", "1000", "--verify", "--wait", "adaptive",
                                 "--commission-per-share", "0.001", "--report", report.path()});
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  const RunResult f = run(bin_path("tickshm-feed"),
                          {"--segment", feed, "--rate", "100000", "--count", std::to_string(kCount), "--seed",
                           "7", "--verify", "--symbols", "AAPL,MSFT,NVDA,AMZN"},
                          std::chrono::milliseconds(60000));
  ASSERT_EQ(f.code, 0) << f.err;
  const std::uint64_t published = published_by(f.out);
  ASSERT_EQ(published, kCount) << f.out;
  // The feed closed: the algo drains the epoch, says so, and waits for the next one.
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "closed after"); }, std::chrono::milliseconds(20000)))
      << algo.err();
  EXPECT_EQ(algo.stop(), 0) << algo.err();

  const nlohmann::json j = nlohmann::json::parse(report.read());
  ASSERT_EQ(j.at("epochs").size(), 1u);
  const nlohmann::json& e = j.at("epochs")[0];
  EXPECT_EQ(e.at("joined_at").get<long long>(), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(e.at("received").get<long long>() + e.at("lost").get<long long>()),
            published);
  EXPECT_EQ(static_cast<std::uint64_t>(j.at("ticks").at("received").get<long long>() +
                                       j.at("ticks").at("lost").get<long long>()),
            published);
  EXPECT_EQ(j.at("ticks").at("verify_errors").get<long long>(), 0);
  EXPECT_GT(j.at("orders").at("sent").get<long long>(), 0);  // it really traded
  EXPECT_EQ(j.at("orders").at("fills").get<long long>(), j.at("orders").at("sent").get<long long>());
  EXPECT_EQ(j.at("pnl").at("total").get<long long>(),
            j.at("pnl").at("realized").get<long long>() + j.at("pnl").at("unrealized").get<long long>());
  std::int64_t realized = 0;
  for (const auto& p : j.at("positions")) realized += p.at("realized").get<long long>();
  EXPECT_EQ(realized, j.at("pnl").at("realized").get<long long>());
  EXPECT_EQ(j.at("latency").at("publish_to_read").at("count").get<long long>(),
            j.at("ticks").at("received").get<long long>());
  const auto& lat = j.at("latency").at("publish_to_decision");
  EXPECT_LE(lat.at("p50_ns").get<long long>(), lat.at("p99_ns").get<long long>());
  std::printf(
      "tick-to-trade (publish->decision): p50 %lld ns, p99 %lld ns, p99.9 %lld ns, max %lld ns; lost %lld of "
      "%llu\n",
      lat.at("p50_ns").get<long long>(), lat.at("p99_ns").get<long long>(),
      lat.at("p999_ns").get<long long>(), lat.at("max_ns").get<long long>(),
      j.at("ticks").at("lost").get<long long>(), static_cast<unsigned long long>(published));
  EXPECT_TRUE(guard.leftovers().empty());
}

}  // namespace tickshm::test
