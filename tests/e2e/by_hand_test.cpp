// End-to-end tests of the programs started by hand: in the "wrong" order (algo, feed, dashboard), and
// an algo that outlives a SIGKILLed feed and goes on reading the next feed's new epoch.
#include <gtest/gtest.h>
#include <signal.h>

#include "e2e_support.hpp"

namespace tickshm::test::e2e {
namespace {

using ByHandTest = E2eTest;

TEST_F(ByHandTest, shouldConnectEveryProgramWhenAlgoStartsBeforeTheFeed) {
  Child algo = Child::spawn(bin_path("tickshm-algo"), {"--segment", segment_, "--strategy", "momentum",
                                                       "--name", "early", "--wait", "block"});
  // It waits, and says so.
  ASSERT_TRUE(poll_until([&] { return algo.err().find("waiting for feed") != std::string::npos; }, 20s))
      << "the algo did not say it waits for the feed:\n"
      << algo.err();
  EXPECT_TRUE(algo.running());
  EXPECT_FALSE(stat().has_value()) << "a segment exists before any feed ran";

  Child feed = Child::spawn(bin_path("tickshm-feed"),
                            {"--segment", segment_, "--rate", "1000", "--symbols", "AAPL,MSFT,NVDA"});
  const nlohmann::json j = stat_until([](const nlohmann::json& s) {
    const nlohmann::json* r = find_reader(s, "early");
    const nlohmann::json* a = find_algo(s, "early");
    return s.at("state").get<std::string>() == "LIVE" && r != nullptr && (*r).at("alive").get<bool>() &&
           (*r).at("received").get<long long>() > 0 && a != nullptr && (*a).at("ticks").get<long long>() > 0;
  });
  const nlohmann::json* r = find_reader(j, "early");
  ASSERT_NE(r, nullptr) << "the waiting algo never attached:\n" << algo.err() << feed.err();
  EXPECT_GT((*r).at("received").get<long long>(), 0);
  EXPECT_EQ((*r).at("joined_at").get<long long>(), 0)
      << "a reader that waited reads the epoch from its first tick";
  EXPECT_EQ((*r).at("wait").get<std::string>(), "block");
  EXPECT_EQ((*r).at("role").get<std::string>(), "algo");

  const RunResult dash =
      run(bin_path("tickshm-dash"), {"--segment", segment_, "--snapshot", "--width", "160"}, 30s);
  ASSERT_EQ(dash.code, 0) << dash.err;
  for (const std::string& want : {segment_, std::string("LIVE"), std::string("AAPL"), std::string("MSFT"),
                                  std::string("NVDA"), std::string("early"), std::string("momentum")}) {
    EXPECT_NE(dash.out.find(want), std::string::npos) << "dashboard snapshot lacks '" << want << "':\n"
                                                      << dash.out;
  }

  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_NE(algo.out().find("received"), std::string::npos) << "no summary at exit:\n" << algo.out();
  EXPECT_EQ(feed.stop(), 0) << feed.err();
  EXPECT_TRUE(guard_->leftovers().empty()) << testing::PrintToString(guard_->leftovers());
}

TEST_F(ByHandTest, shouldFollowTheNewEpochWhenTheFeedIsKilledAndRestarted) {
  Child feed =
      Child::spawn(bin_path("tickshm-feed"), {"--segment", segment_, "--rate", "1000", "--seed", "1"});
  ASSERT_TRUE(poll_until([&] { return stat().has_value(); }, 20s)) << feed.err();
  Child algo = Child::spawn(bin_path("tickshm-algo"),
                            {"--segment", segment_, "--strategy", "sma-cross", "--name", "survivor"});
  nlohmann::json j = stat_until([](const nlohmann::json& s) {
    const nlohmann::json* a = find_algo(s, "survivor");
    return a != nullptr && (*a).at("ticks").get<long long>() > 100;
  });
  const nlohmann::json* a = find_algo(j, "survivor");
  ASSERT_NE(a, nullptr) << "the algo never received ticks:\n" << algo.err();
  const std::string epoch1 = j.at("epoch_hex").get<std::string>();
  const long long ticks1 = (*a).at("ticks").get<long long>();

  feed.signal(SIGKILL);
  ASSERT_TRUE(feed.wait_for(10s).has_value());
  j = stat_until([](const nlohmann::json& s) { return s.at("state").get<std::string>() == "DEAD"; }, 20s);
  EXPECT_EQ(j.at("state").get<std::string>(), "DEAD") << "tickshm-stat does not see the killed feed dead";
  EXPECT_TRUE(algo.running()) << "the algo died with the feed:\n" << algo.err();

  Child feed2 =
      Child::spawn(bin_path("tickshm-feed"), {"--segment", segment_, "--rate", "1000", "--seed", "2"});
  j = stat_until([&](const nlohmann::json& s) {
    const nlohmann::json* aa = find_algo(s, "survivor");
    const nlohmann::json* r = find_reader(s, "survivor");
    return s.at("state").get<std::string>() == "LIVE" && s.at("epoch_hex").get<std::string>() != epoch1 &&
           aa != nullptr && (*aa).at("ticks").get<long long>() > ticks1 + 100 && r != nullptr &&
           (*r).at("alive").get<bool>() && (*r).at("received").get<long long>() > 0;
  });
  ASSERT_NE(j.at("epoch_hex").get<std::string>(), epoch1) << "no new epoch:\n" << feed2.err();
  a = find_algo(j, "survivor");
  ASSERT_NE(a, nullptr);
  EXPECT_GT((*a).at("ticks").get<long long>(), ticks1 + 100) << "the algo's received count stopped growing";
  EXPECT_EQ((*a).at("pid").get<long long>(), algo.pid()) << "the algo was replaced, not followed";
  const nlohmann::json* r = find_reader(j, "survivor");
  ASSERT_NE(r, nullptr) << "the algo did not register with the new feed's registry";
  EXPECT_EQ((*r).at("pid").get<long long>(), algo.pid());
  EXPECT_TRUE(algo.running());
  EXPECT_NE(algo.err().find("waiting for a new epoch"), std::string::npos) << algo.err();

  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(feed2.stop(), 0) << feed2.err();
  EXPECT_TRUE(guard_->leftovers().empty()) << testing::PrintToString(guard_->leftovers());
}

}  // namespace
}  // namespace tickshm::test::e2e
