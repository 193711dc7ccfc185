// End-to-end tests of scripts/launch.sh headless: a whole run adds up and leaves nothing; a crashed
// algo is seen dead, its slot reused and its segment removed; start refuses twice, recovers from stale
// pidfiles and fails clearly when the feed cannot start.
#include <gtest/gtest.h>
#include <signal.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "e2e_support.hpp"

namespace tickshm::test::e2e {
namespace {

namespace fs = std::filesystem;

std::string describe(const RunResult& r) {
  return "exit " + (r.code ? std::to_string(*r.code) : std::string("timeout")) + "\nstdout:\n" + r.out +
         "stderr:\n" + r.err;
}

using LaunchTest = E2eTest;

TEST_F(LaunchTest, shouldDeliverEveryTickAndLeaveNothingWhenLaunchedHeadlessWithTwoAlgos) {
  const RunResult up = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate",
                               "2000", "--algos", "sma-cross,mean-revert"});
  ASSERT_EQ(up.code, 0) << describe(up);
  const auto feed = pidfile("feed");
  const auto a1 = pidfile("algo.sma-cross");
  const auto a2 = pidfile("algo.mean-revert");
  ASSERT_TRUE(feed && a1 && a2) << "pidfiles missing in " << run_dir_ << "\n" << describe(up);
  const std::vector<ProcId> started{*feed, *a1, *a2};
  for (const ProcId& p : started)
    EXPECT_TRUE(proc_alive(p)) << "pid " << p.pid << " is not running after start";

  // Ticks flow to both algos.
  const auto flowing = [](const nlohmann::json& j) {
    for (const char* n : {"sma-cross", "mean-revert"}) {
      const nlohmann::json* r = find_reader(j, n);
      if (r == nullptr || !(*r).at("alive").get<bool>() || (*r).at("received").get<long long>() == 0)
        return false;
    }
    return j.at("state").get<std::string>() == "LIVE" && j.at("published").get<long long>() > 0;
  };
  nlohmann::json j = stat_until(flowing);
  ASSERT_TRUE(flowing(j)) << "ticks did not reach both algos; last tickshm-stat:\n" << last_stat_;
  EXPECT_EQ(j.at("writer_pid").get<long long>(), feed->pid);
  const long long first_published = j.at("published").get<long long>();
  j = stat_until(
      [&](const nlohmann::json& s) { return s.at("published").get<long long>() > first_published + 1000; });
  ASSERT_GT(j.at("published").get<long long>(), first_published + 1000) << "the feed stopped publishing";

  // Pause the feed: once each reader has drained, its registry counters are exact and final.
  ASSERT_EQ(::kill(feed->pid, SIGSTOP), 0);
  const auto drained = [](const nlohmann::json& s) {
    for (const char* n : {"sma-cross", "mean-revert"}) {
      const nlohmann::json* r = find_reader(s, n);
      if (r == nullptr || (*r).at("cursor").get<long long>() != s.at("published").get<long long>())
        return false;
    }
    return true;
  };
  j = stat_until(drained, 20s);
  ::kill(feed->pid, SIGCONT);
  ASSERT_TRUE(drained(j)) << "a reader's cursor never reached the paused feed's published count:\n"
                          << last_stat_;
  const long long published = j.at("published").get<long long>();
  for (const char* n : {"sma-cross", "mean-revert"}) {
    SCOPED_TRACE(n);
    const nlohmann::json& r = *find_reader(j, n);
    EXPECT_TRUE(r.at("alive").get<bool>());
    EXPECT_GT(r.at("received").get<long long>(), 0);
    EXPECT_EQ(r.at("lost").get<long long>(), 0);
    // Each joined the running feed at its live edge: it owes every tick from joined_at on.
    EXPECT_EQ(r.at("received").get<long long>() + r.at("lost").get<long long>(),
              published - r.at("joined_at").get<long long>());
    EXPECT_LT(r.at("joined_at").get<long long>(), published);
    const nlohmann::json* a = find_algo(j, n);
    ASSERT_NE(a, nullptr) << "no status segment for algo " << n;
    EXPECT_EQ((*a).at("strategy").get<std::string>(), n);
    EXPECT_EQ((*a).at("lost").get<long long>(), 0);
  }

  const RunResult down = launch({"stop"});
  ASSERT_EQ(down.code, 0) << describe(down);
  for (const ProcId& p : started) EXPECT_FALSE(proc_alive(p)) << "pid " << p.pid << " still runs after stop";
  EXPECT_TRUE(guard_->leftovers().empty())
      << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
  EXPECT_TRUE(all_pidfiles().empty()) << "pidfiles left in " << run_dir_;

  const RunResult again = launch({"stop"});
  EXPECT_EQ(again.code, 0) << "stop is not idempotent: " << describe(again);
  const RunResult status = launch({"status"});
  EXPECT_EQ(status.code, 3) << "status after stop should say not running: " << describe(status);
}

TEST_F(LaunchTest, shouldShowDeadAlgoReclaimItsSlotAndRemoveItsSegmentWhenAlgoIsKilled) {
  const RunResult up = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate",
                               "500", "--algos", "momentum:victim"});
  ASSERT_EQ(up.code, 0) << describe(up);
  const auto victim = pidfile("algo.victim");
  ASSERT_TRUE(victim) << describe(up);
  nlohmann::json j = stat_until([](const nlohmann::json& s) {
    const nlohmann::json* r = find_reader(s, "victim");
    return r != nullptr && (*r).at("alive").get<bool>() && find_algo(s, "victim") != nullptr;
  });
  const nlohmann::json* r = find_reader(j, "victim");
  ASSERT_NE(r, nullptr) << "algo victim never attached";
  const long long slot = (*r).at("slot").get<long long>();

  ASSERT_EQ(::kill(victim->pid, SIGKILL), 0);
  j = stat_until([&](const nlohmann::json& s) {
    const nlohmann::json* rr = find_reader_pid(s, victim->pid);
    const nlohmann::json* a = find_algo(s, "victim");
    return rr != nullptr && !(*rr).at("alive").get<bool>() && a != nullptr && !(*a).at("alive").get<bool>();
  });
  r = find_reader_pid(j, victim->pid);
  ASSERT_NE(r, nullptr) << "the killed algo's registry slot vanished instead of showing it dead";
  EXPECT_FALSE((*r).at("alive").get<bool>()) << "tickshm-stat still shows the SIGKILLed algo alive";
  EXPECT_EQ((*r).at("state").get<std::string>(), "dead");
  ASSERT_NE(find_algo(j, "victim"), nullptr);
  EXPECT_FALSE((*find_algo(j, "victim")).at("alive").get<bool>());
  EXPECT_TRUE(fs::exists("/dev/shm/tickshm." + segment_ + ".algo.victim"));

  // Another reader takes the dead one's slot (the registry hands out the first free or dead slot).
  Child newcomer = Child::spawn(bin_path("tickshm-algo"),
                                {"--segment", segment_, "--strategy", "sma-cross", "--name", "newcomer"});
  j = stat_until([](const nlohmann::json& s) {
    const nlohmann::json* n = find_reader(s, "newcomer");
    return n != nullptr && (*n).at("alive").get<bool>();
  });
  const nlohmann::json* n = find_reader(j, "newcomer");
  ASSERT_NE(n, nullptr) << "the new algo never attached:\n" << newcomer.err();
  EXPECT_EQ((*n).at("slot").get<long long>(), slot) << "the dead algo's slot was not reclaimed";
  EXPECT_EQ(find_reader_pid(j, victim->pid), nullptr) << "the dead algo still holds a slot";
  EXPECT_EQ(newcomer.stop(), 0) << newcomer.err();

  const RunResult down = launch({"stop"});
  ASSERT_EQ(down.code, 0) << describe(down);
  EXPECT_FALSE(proc_alive(*victim));
  EXPECT_TRUE(guard_->leftovers().empty())
      << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
}

TEST_F(LaunchTest, shouldRefuseSecondStartAndRecoverWhenPidfilesAreStale) {
  const RunResult up = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate",
                               "200", "--algos", "sma-cross"});
  ASSERT_EQ(up.code, 0) << describe(up);
  const auto feed = pidfile("feed");
  const auto algo = pidfile("algo.sma-cross");
  ASSERT_TRUE(feed && algo) << describe(up);

  const RunResult twice = launch({"start", "--headless", "--segment", segment_});
  EXPECT_EQ(twice.code, 1) << describe(twice);
  EXPECT_NE(twice.err.find("already running"), std::string::npos) << describe(twice);
  EXPECT_EQ(pidfile("feed")->pid, feed->pid) << "a second start replaced the running feed";

  const RunResult status = launch({"status"});
  EXPECT_EQ(status.code, 0) << describe(status);
  EXPECT_NE(status.out.find(std::to_string(feed->pid)), std::string::npos) << describe(status);
  EXPECT_NE(status.out.find("running"), std::string::npos) << describe(status);

  // A crash of the whole run: every process gone, pidfiles and segments left behind.
  ::kill(algo->pid, SIGKILL);
  ::kill(feed->pid, SIGKILL);
  ASSERT_TRUE(poll_until([&] { return !proc_alive(*feed) && !proc_alive(*algo); }, 10s));
  const RunResult crashed = launch({"status"});
  EXPECT_EQ(crashed.code, 3) << describe(crashed);
  EXPECT_NE(crashed.out.find("gone"), std::string::npos) << describe(crashed);

  const RunResult restart = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate",
                                    "200", "--algos", "sma-cross"});
  ASSERT_EQ(restart.code, 0) << describe(restart);
  EXPECT_NE(restart.out.find("stale"), std::string::npos) << describe(restart);
  const auto feed2 = pidfile("feed");
  ASSERT_TRUE(feed2);
  EXPECT_NE(feed2->pid, feed->pid);
  EXPECT_TRUE(proc_alive(*feed2));

  const RunResult down = launch({"stop"});
  ASSERT_EQ(down.code, 0) << describe(down);
  EXPECT_FALSE(proc_alive(*feed2));
  EXPECT_TRUE(guard_->leftovers().empty())
      << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
}

TEST_F(LaunchTest, shouldSigkillWhatIgnoresSigtermWhenStopping) {
  const RunResult up = launch(
      {"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate", "100", "--algos", "none"});
  ASSERT_EQ(up.code, 0) << describe(up);
  const auto feed = pidfile("feed");
  ASSERT_TRUE(feed);
  // A process of the run that ignores SIGTERM, recorded as the launcher records its own.
  Child stubborn = Child::spawn("/bin/bash", {"-c", "trap '' TERM; while :; do sleep 0.1; done"});
  std::optional<unsigned long long> st;
  ASSERT_TRUE(poll_until([&] { return (st = proc_start_time(stubborn.pid())).has_value(); }, 5s, 10ms));
  {
    std::ofstream f(run_dir_ + "/algo.stubborn.pid");
    f << stubborn.pid() << " " << *st << "\n";
  }
  ::usleep(200'000);  // let bash install its trap

  const RunResult down = launch({"stop"}, 60s, {"TICKSHM_STOP_GRACE=1"});
  ASSERT_EQ(down.code, 0) << describe(down);
  EXPECT_NE(down.out.find("SIGKILL"), std::string::npos) << describe(down);
  EXPECT_EQ(stubborn.wait_for(5s), 128 + SIGKILL) << "the process that ignored SIGTERM was not SIGKILLed";
  EXPECT_FALSE(proc_alive(*feed));
  EXPECT_TRUE(guard_->leftovers().empty())
      << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
}

TEST_F(LaunchTest, shouldFailClearlyAndKeepOthersSegmentsWhenAnotherFeedOwnsTheSegment) {
  Child other = Child::spawn(bin_path("tickshm-feed"), {"--segment", segment_, "--rate", "100"});
  ASSERT_TRUE(poll_until([&] { return stat().has_value(); }, 20s)) << other.err();

  const RunResult up = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--algos",
                               "none", "--timeout", "20"});
  EXPECT_EQ(up.code, 1) << describe(up);
  EXPECT_NE(up.err.find("tickshm-feed"), std::string::npos) << describe(up);
  EXPECT_NE(up.err.find(std::to_string(other.pid())), std::string::npos)
      << "the error should name the running feed's pid: " << describe(up);
  EXPECT_TRUE(all_pidfiles().empty()) << "a failed start left pidfiles";

  // The live feed that was not the launcher's keeps running and keeps its segments.
  EXPECT_TRUE(other.running());
  auto j = stat();
  ASSERT_TRUE(j);
  EXPECT_EQ((*j).at("writer_pid").get<long long>(), other.pid());
  EXPECT_EQ(other.stop(), 0) << other.err();
  EXPECT_TRUE(guard_->leftovers().empty());
}

TEST_F(LaunchTest, shouldExplainWhenBinariesAreMissing) {
  Child c = Child::spawn(launcher(), {"start", "--headless", "--segment", segment_},
                         {"TICKSHM_BIN_DIR=" + run_dir_ + "/nowhere", "TICKSHM_RUN_DIR=" + run_dir_});
  const auto code = c.wait_for(30s);
  EXPECT_EQ(code, 1);
  EXPECT_NE(c.err().find("tickshm-feed not found"), std::string::npos) << c.err();
  EXPECT_TRUE(guard_->leftovers().empty());

  const RunResult help = launch({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* word : {"start", "stop", "status", "restart", "--headless", "TICKSHM_RUN_DIR"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  const RunResult bad = launch({"start", "--bogus"});
  EXPECT_EQ(bad.code, 2) << describe(bad);
}

}  // namespace
}  // namespace tickshm::test::e2e
