// tickshm-algo's command line and process life: --help/--version, usage errors (exit 2, one line),
// --config files, waiting for the feed, and the status segment's owner checks (stale vs live).
#include "algo_proc_support.hpp"

namespace tickshm::test {
namespace {

RunResult algo_run(const std::vector<std::string>& args) {
  return run(bin_path("tickshm-algo"), args);
}

}  // namespace

TEST(AlgoCli, shouldPrintHelpAndVersionWhenAsked) {
  const RunResult help = algo_run({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* s : {"--strategy",
                        "sma-cross",
                        "mean-revert",
                        "momentum",
                        "--fast",
                        "--z-window",
                        "--lookback",
                        "--max-position",
                        "--max-gross-notional",
                        "--max-orders-per-sec",
                        "--max-drawdown",
                        "--order-size",
                        "--slippage-ticks",
                        "--commission-per-share",
                        "--symbols",
                        "--wait",
                        "--duration",
                        "--report",
                        "--verify",
                        "--config",
                        "--segment",
                        "--name",
                        "--log-level"})
    EXPECT_TRUE(has(help.out, s)) << s;
  const RunResult version = algo_run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(has(version.out, "tickshm")) << version.out;
}

TEST(AlgoCli, shouldExitTwoWithOneLineWhenInputIsBad) {
  const std::vector<std::vector<std::string>> bad = {
      {"--strategy", "martingale"},
      {"--strategy", "momentum", "--fast", "5"},
      {"--fast", "30", "--slow", "10"},
      {"--strategy", "mean-revert", "--z-entry", "1", "--z-exit", "2"},
      {"--commission-per-share", "abc"},
      {"--commission-per-share", "0.00001"},
      {"--max-drawdown", "-5"},
      {"--name", "../etc"},
      {"--segment", "a/b"},
      {"--wait", "sometimes"},
      {"--order-size", "0"},
      {"--symbols", "WAYTOOLONGSYMBOLNAME"},
      {"--mode", "999"},
      {"--no-such-flag"},
      {"--config", "/nonexistent/algo.toml"},
  };
  for (const auto& args : bad) {
    const RunResult r = algo_run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << joined;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined << "\n" << r.err;
  }
}

TEST(AlgoCli, shouldTakeOptionsFromConfigFileAndWaitForTheFeed) {
  const std::string feed = unique_segment("algo-config");
  ShmGuard guard(feed);
  TempPath config("algo.toml"), report("report.json");
  config.write("segment = \"" + feed +
               "\"\nstrategy = \"momentum\"\nlookback = 7\nthreshold-bps = 15\n"
               "name = \"mo1\"\nduration = 0.5\nreport = \"" +
               report.path() + "\"\n");
  const RunResult r = algo_run({"--config", config.path()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "waiting for feed '" + feed + "'")) << r.err;
  const nlohmann::json j = nlohmann::json::parse(report.read());
  EXPECT_EQ(j.at("name").get<std::string>(), "mo1");
  EXPECT_EQ(j.at("strategy").get<std::string>(), "momentum");
  EXPECT_EQ(j.at("params").get<std::string>(), "lookback=7 threshold_bps=15");
  EXPECT_EQ(j.at("feed").get<std::string>(), feed);
  EXPECT_EQ(j.at("ticks").at("received").get<long long>(), 0);
  EXPECT_GE(j.at("elapsed_s").get<double>(), 0.5);
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(AlgoCli, shouldPublishStatusWhileWaitingAndUnlinkItAtExit) {
  const std::string feed = unique_segment("algo-wait");
  ShmGuard guard(feed);
  Child algo = start_algo(feed, {"--strategy", "mean-revert", "--z-window", "5"});
  ASSERT_TRUE(
      status_until(feed, "mean-revert", [&](const AlgoStatusSnapshot& s) { return s.pid == algo.pid(); }));
  const auto s = algo_status(feed, "mean-revert");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->alive);
  EXPECT_EQ(s->strategy, "mean-revert");
  EXPECT_EQ(s->params, "window=5 entry_z=2 exit_z=0.5");
  EXPECT_EQ(s->feed, feed);
  EXPECT_EQ(algo.stop(), 0);
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(AlgoCli, shouldRefuseSecondAlgoWhenNameIsTakenByALiveOne) {
  const std::string feed = unique_segment("algo-twice");
  ShmGuard guard(feed);
  Child first = start_algo(feed, {"--name", "twin"});
  ASSERT_TRUE(status_until(feed, "twin", [&](const AlgoStatusSnapshot& s) { return s.pid == first.pid(); }));
  const RunResult second =
      run(bin_path("tickshm-algo"), {"--segment", feed, "--name", "twin", "--duration", "1"});
  EXPECT_EQ(second.code, 1) << second.err;
  EXPECT_TRUE(has(second.err, std::to_string(first.pid()))) << second.err;
  EXPECT_TRUE(first.running());
  EXPECT_EQ(first.stop(), 0);
}

TEST(AlgoCli, shouldReplaceStatusSegmentWhenItsAlgoDied) {
  const std::string feed = unique_segment("algo-stale");
  ShmGuard guard(feed);
  Child dead = start_algo(feed, {"--name", "ghost"});
  ASSERT_TRUE(status_until(feed, "ghost", [&](const AlgoStatusSnapshot& s) { return s.pid == dead.pid(); }));
  dead.signal(SIGKILL);  // no clean exit: the segment stays behind with a dead pid
  ASSERT_TRUE(dead.wait_for(std::chrono::milliseconds(5000)).has_value());
  ASSERT_TRUE(algo_status(feed, "ghost").has_value());
  EXPECT_FALSE(algo_status(feed, "ghost")->alive);
  Child next = start_algo(feed, {"--name", "ghost"});
  ASSERT_TRUE(status_until(feed, "ghost", [&](const AlgoStatusSnapshot& s) {
    return s.pid == next.pid() && s.alive;
  })) << next.err();
  EXPECT_EQ(next.stop(), 0);
}

}  // namespace tickshm::test
