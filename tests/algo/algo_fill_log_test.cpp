// The algo's fill log (status segment) against its --report, and the --report-svg chart: the real
// tickshm-algo against a crafted in-test feed, so every fill is known.
#include <map>

#include <nlohmann/json.hpp>

#include "algo_proc_support.hpp"

namespace tickshm::test {
namespace {

// The last value of the P&L polyline's data-pnl attribute, read by a real XML parser (python3's).
std::string svg_last_pnl(const std::string& path) {
  const auto r = run("/usr/bin/env",
                     {"python3", "-c",
                      "import sys, xml.etree.ElementTree as ET\n"
                      "t = ET.parse(sys.argv[1])\n"
                      "p = [e for e in t.iter() if e.get('id') == 'pnl'][0]\n"
                      "print(p.get('data-pnl').split()[-1])\n",
                      path},
                     std::chrono::seconds(20));
  if (!r.code || *r.code != 0) return "python3 failed: " + r.err;
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

TEST(AlgoFillLog, shouldMatchTheReportAndEndTheSvgOnItsTotalWhenTheRunStops) {
  const std::string feed = unique_segment("algo-fill-log");
  ShmGuard guard(feed);
  TempPath report("fill-report.json"), svg("fill-report.svg");
  Child algo = start_algo(feed, {"--strategy", "sma-cross", "--fast", "2", "--slow", "4", "--name", "logged",
                                 "--commission-per-share", "0.01", "--report", report.path(), "--report-svg",
                                 svg.path(), "--status-interval-ms", "20"});
  ASSERT_TRUE(eventually([&] { return has(algo.err(), "waiting for feed"); })) << algo.err();
  std::optional<AlgoStatusSnapshot> status;
  {
    auto f = CraftedFeed::create(feed, {"AAA", "BBB"});
    ASSERT_TRUE(f.has_value());
    // Warm-up, then swings that cross the averages each time: one fill per swing and symbol.
    for (const double mid : {10.0, 10.0, 10.0, 10.0, 9.0, 9.0}) {
      f->quote(0, mid);
      f->quote(1, mid * 2);
    }
    for (int k = 0; k < 6; ++k) {
      for (const double mid : {12.0, 12.0, 8.0, 8.0}) {
        f->quote(0, mid + k * 0.1);
        if (k % 2 == 0) f->quote(1, 2 * mid);
      }
    }
    ASSERT_TRUE(status_until(
        feed, "logged", [](const AlgoStatusSnapshot& s) { return s.totals.ticks == 12 + 24 + 12; }, &*f))
        << algo.err();
    status = algo_status(feed, "logged");
    // tickshm-stat --json shows the same fill log, risk record and P&L samples.
    const auto st = run(bin_path("tickshm-stat"), {"--segment", feed, "--json"}, std::chrono::seconds(20));
    const nlohmann::json sj = nlohmann::json::parse(st.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(sj.is_discarded()) << st.out;
    ASSERT_EQ(sj["algos"].size(), 1u) << st.out;
    const nlohmann::json& sa = sj["algos"][0];
    ASSERT_EQ(sa["fill_log"].size(), status->fills.size()) << st.out;
    const nlohmann::json& last = sa["fill_log"][sa["fill_log"].size() - 1];
    EXPECT_EQ(last["fill_id"].get<std::uint64_t>(), status->fills.back().fill_id);
    EXPECT_EQ(last["reason"].get<std::string>(),
              algo_text(status->fills.back().reason, sizeof status->fills.back().reason));
    EXPECT_EQ(sa["risk"]["max_orders_per_sec"].get<long long>(), 100);
    EXPECT_GE(sa["pnl_samples"].size(), 1u);
    algo.signal(SIGTERM);
    ASSERT_EQ(algo.wait_for(std::chrono::milliseconds(10000)).value_or(-1), 0) << algo.err();
  }
  ASSERT_TRUE(status.has_value());
  const nlohmann::json j = nlohmann::json::parse(report.read(), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << report.read();
  const auto& log = status->fills;
  ASSERT_FALSE(log.empty());
  ASSERT_LE(j["orders"]["fills"].get<long long>(),
            static_cast<long long>(kAlgoFillCapacity));  // the log holds all
  EXPECT_EQ(static_cast<long long>(log.size()), j["orders"]["fills"].get<long long>());
  EXPECT_EQ(static_cast<long long>(log.back().fill_id), j["orders"]["sent"].get<long long>());

  // Per symbol: as many fills, the same realized P&L and the position the last fill left.
  struct Sum {
    long long fills = 0, realized = 0, position = 0;
  };
  std::map<std::string, Sum> by;
  for (const FillRecord& fr : log) {
    Sum& s = by[algo_text(fr.symbol, sizeof fr.symbol)];
    ++s.fills;
    s.realized += fr.realized;
    s.position = fr.position_after;
    const std::string reason = algo_text(fr.reason, sizeof fr.reason);
    EXPECT_TRUE(reason.rfind("long: sma2>sma4", 0) == 0 || reason.rfind("short: sma2<sma4", 0) == 0)
        << reason;
  }
  ASSERT_EQ(j["positions"].size(), 2u);
  for (std::size_t i = 0; i < j["positions"].size(); ++i) {
    const nlohmann::json& p = j["positions"][i];
    const std::string symbol = p["symbol"].get<std::string>();
    const Sum& s = by[symbol];
    EXPECT_EQ(s.fills, p["fills"].get<long long>()) << symbol;
    EXPECT_EQ(s.realized, p["realized"].get<long long>()) << symbol;
    EXPECT_EQ(s.position, p["position"].get<long long>()) << symbol;
  }
  // The risk record says what the limits are (the defaults) and that nothing was refused.
  EXPECT_EQ(status->risk.order_size, 100);
  EXPECT_EQ(status->risk.max_orders_per_sec, 100u);
  EXPECT_EQ(status->risk.rejects_by[4], 0u);

  // The chart: valid XML, and its curve ends on the report's total P&L.
  EXPECT_EQ(svg_last_pnl(svg.path()), std::to_string(j["pnl"]["total"].get<long long>())) << svg.read();
}

}  // namespace
}  // namespace tickshm::test
