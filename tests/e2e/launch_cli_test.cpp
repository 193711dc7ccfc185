// End-to-end tests of the launcher's own command line: unknown options, a second start, restart's
// report, status --json for scripts and the results table printed when a run stops.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "e2e_support.hpp"

namespace tickshm::test::e2e {
namespace {

std::string describe(const RunResult& r) {
  return "exit " + (r.code ? std::to_string(*r.code) : std::string("timeout")) + "\nstdout:\n" + r.out +
         "stderr:\n" + r.err;
}

nlohmann::json parse(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// The row of `name` in the results table the launcher prints after a stop, split into its columns.
std::vector<std::string> results_row(const std::string& out, const std::string& name) {
  std::istringstream in(out.substr(std::min(out.size(), out.find("Results of the run"))));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream cols(line);
    std::vector<std::string> v;
    for (std::string c; cols >> c;) v.push_back(c);
    if (!v.empty() && v[0] == name) return v;
  }
  return {};
}

using LaunchCliTest = E2eTest;

TEST_F(LaunchCliTest, shouldCallATypoAnUnknownOptionWhenTheFlagTakesNoValue) {
  const RunResult typo = launch({"start", "--headles"});
  EXPECT_EQ(typo.code, 2) << describe(typo);
  EXPECT_NE(typo.err.find("unknown option of start: --headles"), std::string::npos) << describe(typo);
  const RunResult valued = launch({"start", "--headless=yes"});
  EXPECT_EQ(valued.code, 2) << describe(valued);
  const RunResult missing = launch({"start", "--rate"});
  EXPECT_EQ(missing.code, 2) << describe(missing);
  EXPECT_NE(missing.err.find("--rate needs a value"), std::string::npos) << describe(missing);
  const RunResult status = launch({"status", "--jsn"});
  EXPECT_EQ(status.code, 2) << describe(status);
  EXPECT_TRUE(guard_->leftovers().empty());
}

TEST_F(LaunchCliTest, shouldReportRunForScriptsAndPrintResultsWhenStopped) {
  const RunResult up = launch({"start", "--headless", "--timeout", "60", "--segment", segment_, "--rate",
                               "1000", "--algos", "sma-cross"});
  ASSERT_EQ(up.code, 0) << describe(up);
  const auto feed = pidfile("feed");
  const auto algo = pidfile("algo.sma-cross");
  ASSERT_TRUE(feed && algo) << describe(up);

  // A second start must not look like success to a script.
  const RunResult twice = launch({"start", "--headless", "--segment", segment_});
  EXPECT_EQ(twice.code, 1) << describe(twice);
  EXPECT_NE(twice.err.find("already running"), std::string::npos) << describe(twice);

  const RunResult status = launch({"status", "--json"});
  ASSERT_EQ(status.code, 0) << describe(status);
  const nlohmann::json j = parse(status.out);
  ASSERT_FALSE(j.is_discarded()) << "status --json is not JSON:\n" << status.out;
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["running"], true);
  EXPECT_EQ(j["segment"], segment_);
  ASSERT_TRUE(j["processes"].is_array());
  std::map<std::string, long long> pids;
  for (const auto& p : j["processes"]) {
    EXPECT_EQ(p["state"], "running") << p.dump();
    pids[p["process"].get<std::string>()] = p["pid"].get<long long>();
  }
  EXPECT_EQ(pids["feed"], feed->pid);
  EXPECT_EQ(pids["algo sma-cross"], algo->pid);
  ASSERT_TRUE(j["stat"].is_object()) << status.out;
  EXPECT_EQ(j["stat"]["state"], "LIVE");
  EXPECT_EQ(j["stat"]["writer_pid"], feed->pid);

  // restart says what it stopped, by pid.
  const RunResult again = launch({"restart"});
  ASSERT_EQ(again.code, 0) << describe(again);
  EXPECT_NE(again.out.find("stopped segment " + segment_), std::string::npos) << describe(again);
  EXPECT_NE(again.out.find("feed (pid " + std::to_string(feed->pid) + ")"), std::string::npos)
      << describe(again);
  const auto feed2 = pidfile("feed");
  ASSERT_TRUE(feed2);
  EXPECT_NE(feed2->pid, feed->pid);
  ASSERT_TRUE(poll_until(
      [&] {
        const auto s = stat();
        const nlohmann::json* r = s ? find_reader(*s, "sma-cross") : nullptr;
        return r != nullptr && (*r)["received"].get<long long>() > 100;
      },
      30s))
      << last_stat_;

  // stop prints each algo's results, the same figures as the algo's own report.
  const RunResult down = launch({"stop"});
  ASSERT_EQ(down.code, 0) << describe(down);
  const std::vector<std::string> row = results_row(down.out, "sma-cross");
  ASSERT_EQ(row.size(), 10u) << describe(down);
  std::ifstream rf(run_dir_ + "/logs/algo.sma-cross.report.json");
  std::stringstream text;
  text << rf.rdbuf();
  const nlohmann::json report = parse(text.str());
  ASSERT_FALSE(report.is_discarded()) << text.str();
  EXPECT_EQ(row[1], std::to_string(report["ticks"]["received"].get<long long>())) << describe(down);
  EXPECT_GT(std::stoll(row[1]), 100);
  EXPECT_EQ(row[2], std::to_string(report["ticks"]["lost"].get<long long>()));
  EXPECT_EQ(row[3], std::to_string(report["orders"]["sent"].get<long long>()));
  EXPECT_EQ(row[4], std::to_string(report["orders"]["fills"].get<long long>()));
  char pnl[32];
  std::snprintf(pnl, sizeof pnl, "%.2f", report["pnl"]["total"].get<double>() / 10000.0);
  EXPECT_EQ(row[6], pnl);

  const RunResult after = launch({"status", "--json"});
  EXPECT_EQ(after.code, 3) << describe(after);
  const nlohmann::json k = parse(after.out);
  ASSERT_FALSE(k.is_discarded()) << after.out;
  EXPECT_EQ(k["running"], false);
  EXPECT_TRUE(k["stat"].is_null());
  EXPECT_TRUE(guard_->leftovers().empty())
      << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
}

}  // namespace
}  // namespace tickshm::test::e2e
