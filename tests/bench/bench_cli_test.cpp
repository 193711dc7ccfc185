// tickshm-bench end to end with tiny counts: it works, its JSON parses, received + lost = published for
// every reader, and nothing (segment or process) is left behind, even when interrupted.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "json_parse.hpp"
#include "test_support.hpp"

namespace tickshm::test {
namespace {

namespace fs = std::filesystem;

std::string bench() {
  return bin_path("tickshm-bench");
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// /dev/shm files whose name starts with "tickshm.PREFIX-": everything a bench run with --segment PREFIX
// makes.
std::vector<std::string> segments_with_prefix(const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string f = e.path().filename().string();
    if (f.rfind("tickshm." + prefix + "-", 0) == 0) out.push_back(f);
  }
  return out;
}

std::string temp_json(const std::string& tag) {
  return (fs::temp_directory_path() /
          ("tickshm-bench-test-" + std::to_string(getpid()) + "-" + tag + ".json"))
      .string();
}

// The smallest full run: every transport and wait strategy, 1 and 2 readers, floor, idle, writer cost.
std::vector<std::string> tiny_args(const std::string& prefix, const std::string& json) {
  return {"--segment",
          prefix,
          "--readers",
          "1,2",
          "--count",
          "2000",
          "--rate",
          "20000",
          "--throughput-duration",
          "0.05",
          "--idle-duration",
          "0.1",
          "--writer-cost-duration",
          "0.05",
          "--feed",
          "none",
          "--peers",
          "none",
          "--json",
          json};
}

// The lossless-throughput search of a run's JSON: the flat-out spin run with 1 reader either lost
// nothing (its rate is the answer) or `trials` trials halved the interval between the best rate that
// lost nothing and the lowest that lost, from [0, the flat-out writer's rate]; the answer is the best
// lossless trial's delivered rate. Every trial's counts add up.
void expect_lossless_search(const Json& doc, std::size_t trials) {
  const Json* flat = nullptr;
  for (std::size_t i = 0; i < doc["runs"].size(); ++i) {
    const Json& run_doc = doc["runs"][i];
    if (run_doc["name"].string() == "tickshm-spin" && run_doc["mode"].string() == "throughput" &&
        run_doc["readers"].integer() == 1)
      flat = &run_doc;
  }
  ASSERT_NE(flat, nullptr);
  const Json& l = doc["lossless"];
  ASSERT_TRUE(l["ok"].boolean()) << l["error"].string();
  if ((*flat)["lost_total"].integer() == 0) {
    EXPECT_TRUE(l["flat_out_lossless"].boolean());
    EXPECT_EQ(l["trials"].size(), 0u);
    EXPECT_DOUBLE_EQ(l["rate_per_s"].number(), (*flat)["slowest_rate_per_s"].number());
    return;
  }
  EXPECT_FALSE(l["flat_out_lossless"].boolean());
  ASSERT_EQ(l["trials"].size(), trials);
  double lo = 0, hi = (*flat)["writer_rate_per_s"].number(), best = 0;
  for (std::size_t i = 0; i < trials; ++i) {
    const Json& t = l["trials"][i];
    ASSERT_TRUE(t["ok"].boolean()) << t["error"].string();
    // JSON carries 10 significant digits.
    EXPECT_NEAR(t["offered_per_s"].number(), (lo + hi) / 2, 1e-6 * hi) << "trial " << i;
    EXPECT_GT(t["published"].integer(), 0) << "trial " << i;
    EXPECT_EQ(t["received"].integer() + t["lost"].integer(), t["published"].integer()) << "trial " << i;
    if (t["lost"].integer() == 0) {
      lo = t["offered_per_s"].number();
      best = std::max(best, t["delivered_per_s"].number());
    } else {
      hi = t["offered_per_s"].number();
    }
  }
  EXPECT_DOUBLE_EQ(l["rate_per_s"].number(), best);
}

TEST(BenchCli, shouldPrintHelpWhenAskedForHelp) {
  const auto r = run(bench(), {"--help"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("--readers"), std::string::npos);
  EXPECT_NE(r.out.find("--cpus"), std::string::npos);
  EXPECT_NE(r.out.find("--json"), std::string::npos);
}

TEST(BenchCli, shouldPrintVersionWhenAskedForVersion) {
  const auto r = run(bench(), {"--version"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("tickshm"), std::string::npos);
}

struct Misuse {
  const char* name;
  std::vector<std::string> args;
};
void PrintTo(const Misuse& m, std::ostream* os) {
  *os << m.name;
}

class BenchMisuse : public ::testing::TestWithParam<Misuse> {};

TEST_P(BenchMisuse, shouldExitWithUsageError) {
  const auto r = run(bench(), GetParam().args);
  EXPECT_EQ(r.code, 2) << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(BenchCli, BenchMisuse,
                         ::testing::Values(Misuse{"ReadersIsZero", {"--readers", "0"}},
                                           Misuse{"RingIsNotAPowerOfTwo", {"--ring", "1000"}},
                                           Misuse{"CpuIsNotUsable", {"--cpus", "0,99999"}},
                                           Misuse{"FeedRunsIsZero", {"--feed-runs", "0"}},
                                           Misuse{"WriterCostRoundsIsZero", {"--writer-cost-rounds", "0"}}),
                         [](const ::testing::TestParamInfo<Misuse>& i) { return std::string(i.param.name); });

TEST(BenchRun, shouldMeasureEveryTransportAndAddUpCountsWhenCountsAreTiny) {
  const std::string prefix = unique_segment("bench");
  const std::string json_path = temp_json("tiny");
  const auto r = run(bench(), tiny_args(prefix, json_path), std::chrono::milliseconds(240'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("TARGETS.md"), std::string::npos) << r.out;

  const Json doc = parse_json(slurp(json_path));
  fs::remove(json_path);
  EXPECT_EQ(doc["tool"].string(), "tickshm-bench");
  EXPECT_FALSE(doc["machine"]["cpu_model"].string().empty());
  const Json& floor = doc["floor"];
  ASSERT_TRUE(floor["ok"].boolean()) << floor["error"].string();
  EXPECT_GT(floor["one_way"]["count"].integer(), 0);
  // The bare ring carries as many ticks as a latency run: each timed or counted lost.
  EXPECT_EQ(floor["bare_ring"]["count"].integer() + floor["bare_ring_lost"].integer(), 2000);
  EXPECT_GE(floor["cpu_away_percent"].number(), 0.0);
  EXPECT_LE(floor["cpu_away_percent"].number(), 100.0);
  if (floor["cpu_gaps"].integer() > 0) {
    EXPECT_GE(floor["cpu_longest_gap_ns"].integer(), 1000);
  }

  // The floor around the spin reader's latency run: repeated while the two disagree, at most 3 times,
  // and the TARGETS.md 1 ratio divides by the mean of the last pair.
  const Json& bracket = doc["floor_bracket"];
  const long long before = bracket["before_p50_ns"].integer();
  const long long after = bracket["after_p50_ns"].integer();
  EXPECT_GT(before, 0);
  EXPECT_GT(after, 0);
  EXPECT_EQ(bracket["floor_p50_ns"].integer(), (before + after) / 2);
  EXPECT_EQ(bracket["agreed"].boolean(), static_cast<double>(std::max(before, after)) <=
                                             1.5 * static_cast<double>(std::min(before, after)));
  EXPECT_GE(bracket["attempts"].integer(), 1);
  EXPECT_LE(bracket["attempts"].integer(), 3);
  if (!bracket["agreed"].boolean()) {
    EXPECT_EQ(bracket["attempts"].integer(), 3) << "gave up on disagreeing floors before the third attempt";
  }

  // 2 reader counts x 2 modes x (3 wait strategies + Unix socket + pipe).
  const Json& runs = doc["runs"];
  ASSERT_EQ(runs.size(), 20u);
  std::set<std::string> names;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Json& run_doc = runs[i];
    const std::string what = run_doc["name"].string() + " " + run_doc["mode"].string() + " x" +
                             std::to_string(run_doc["readers"].integer());
    names.insert(run_doc["name"].string());
    ASSERT_TRUE(run_doc["ok"].boolean()) << what << ": " << run_doc["error"].string();
    const long long published = run_doc["published"].integer();
    EXPECT_GT(published, 0) << what;
    if (run_doc["mode"].string() == "latency") {
      EXPECT_EQ(published, 2000) << what;
    }
    const Json& readers = run_doc["per_reader"];
    ASSERT_EQ(static_cast<long long>(readers.size()), run_doc["readers"].integer()) << what;
    long long lost_total = 0;
    for (std::size_t k = 0; k < readers.size(); ++k) {
      const long long received = readers[k]["received"].integer();
      const long long lost = readers[k]["lost"].integer();
      EXPECT_EQ(received + lost, published) << what << " reader " << k;
      EXPECT_EQ(readers[k]["mismatches"].integer(), 0) << what << " reader " << k;
      if (run_doc["transport"].string() != "tickshm") {
        EXPECT_EQ(lost, 0) << what << " reader " << k;
      }
      if (run_doc["mode"].string() == "latency") {
        EXPECT_EQ(readers[k]["latency"]["count"].integer(), received) << what << " reader " << k;
      }
      lost_total += lost;
    }
    EXPECT_EQ(run_doc["lost_total"].integer(), lost_total) << what;
  }
  EXPECT_EQ(names, (std::set<std::string>{"tickshm-spin", "tickshm-adaptive", "tickshm-block", "unix-socket",
                                          "pipe"}));

  expect_lossless_search(doc, 6);

  ASSERT_TRUE(doc["idle"]["ok"].boolean()) << doc["idle"]["error"].string();
  EXPECT_GE(doc["idle"]["block_cpu_percent"].number(), 0.0);
  const Json& cost = doc["writer_cost"];
  ASSERT_EQ(cost.size(), 5u);  // none, spinning, sleeping, dead, 16 sleeping
  for (std::size_t i = 0; i < cost.size(); ++i) {
    EXPECT_TRUE(cost[i]["ok"].boolean()) << cost[i]["readers"].string() << ": " << cost[i]["error"].string();
    EXPECT_GT(cost[i]["published"].integer(), 0);
    // Three interleaved rounds by default; the figure is their median.
    const Json& rounds = cost[i]["round_ns_per_tick"];
    ASSERT_EQ(rounds.size(), 3u) << cost[i]["readers"].string();
    std::vector<double> v{rounds[0].number(), rounds[1].number(), rounds[2].number()};
    std::sort(v.begin(), v.end());
    EXPECT_GT(v[0], 0.0);
    EXPECT_DOUBLE_EQ(cost[i]["ns_per_tick"].number(), v[1]) << cost[i]["readers"].string();
  }
  std::set<std::string> ratio_ids;
  for (std::size_t i = 0; i < doc["ratios"].size(); ++i) {
    const Json& ratio = doc["ratios"][i];
    ratio_ids.insert(ratio["id"].string());
    if (ratio["id"].string() == "1.spin_p50_vs_floor") {
      const Json& spin = runs[0];  // the first run: tickshm-spin, latency, 1 reader
      ASSERT_EQ(spin["name"].string() + spin["mode"].string(), "tickshm-spinlatency");
      const double expected = static_cast<double>(spin["latency"]["p50_ns"].integer()) /
                              static_cast<double>(bracket["floor_p50_ns"].integer());
      EXPECT_NEAR(ratio["value"].number(), expected, expected * 1e-6);  // the JSON prints 10 digits
    }
  }
  for (const char* id : {"1.spin_p50_vs_floor", "1.spin_p99", "1.bare_ring_p99", "2.spin_lossless_throughput",
                         "2.spin_throughput", "2.throughput_vs_unix", "3.block_p99_vs_pipe_x2",
                         "3.adaptive_throughput_vs_pipe_x1", "3.block_lost_x2", "3.writer_cost_x2_vs_x1",
                         "4.idle_block_cpu", "4.writer_cost_dead", "5.feed_rate"}) {
    EXPECT_EQ(ratio_ids.count(id), 1u) << id;
  }
  EXPECT_TRUE(segments_with_prefix(prefix).empty());
}

TEST(BenchRun, shouldReportTheMedianOfTheFeedRunsWhenTheFeedIsTimed) {
  // The real tickshm-feed, three short flat-out runs: every run's rate is reported and the figure
  // checked against TARGETS.md is their median.
  const std::string prefix = unique_segment("bench");
  const std::string json_path = temp_json("feed");
  const auto r = run(bench(),
                     {"--segment",
                      prefix,
                      "--readers",
                      "1",
                      "--no-latency",
                      "--no-throughput",
                      "--no-baselines",
                      "--peers",
                      "none",
                      "--writer-cost-duration",
                      "0.02",
                      "--idle-duration",
                      "0.05",
                      "--count",
                      "2000",
                      "--feed",
                      bin_path("tickshm-feed"),
                      "--feed-count",
                      "200000",
                      "--feed-runs",
                      "3",
                      "--json",
                      json_path},
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("median of 3 runs"), std::string::npos) << r.out;
  const Json doc = parse_json(slurp(json_path));
  fs::remove(json_path);
  const Json& feed = doc["feed"];
  ASSERT_TRUE(feed["ok"].boolean()) << feed["error"].string();
  EXPECT_EQ(feed["count"].integer(), 200000);
  const Json& rates = feed["run_rates_per_s"];
  ASSERT_EQ(rates.size(), 3u);
  std::vector<double> v;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    EXPECT_GT(rates[i].number(), 0.0);
    v.push_back(rates[i].number());
  }
  std::sort(v.begin(), v.end());
  EXPECT_DOUBLE_EQ(feed["rate_per_s"].number(), v[1]);
  EXPECT_TRUE(segments_with_prefix(prefix).empty());
}

TEST(BenchRun, shouldCountWhatASlowReaderLostWhenTheRingIsTiny) {
  // A 64-tick ring, flat out, two readers sharing a CPU: readers are lapped, and must say by how much.
  const std::string prefix = unique_segment("bench");
  const std::string json_path = temp_json("lapped");
  const auto r = run(bench(),
                     {"--segment", prefix, "--readers", "2", "--ring", "64", "--no-latency", "--no-baselines",
                      "--no-extras", "--peers", "none", "--throughput-duration", "0.05", "--json", json_path},
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const Json doc = parse_json(slurp(json_path));
  fs::remove(json_path);
  const Json& runs = doc["runs"];
  ASSERT_EQ(runs.size(), 3u);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ASSERT_TRUE(runs[i]["ok"].boolean()) << runs[i]["error"].string();
    for (std::size_t k = 0; k < runs[i]["per_reader"].size(); ++k) {
      const Json& rd = runs[i]["per_reader"][k];
      EXPECT_EQ(rd["received"].integer() + rd["lost"].integer(), runs[i]["published"].integer());
    }
  }
  EXPECT_TRUE(segments_with_prefix(prefix).empty());
}

TEST(BenchRun, shouldSearchTheHighestLosslessRateWhenTheFlatOutReaderIsLapped) {
  // A 256-tick ring: the flat-out writer laps its one spin reader, so the bench searches, RFC 2544
  // style, for the highest paced rate that reader takes with nothing lost.
  const std::string prefix = unique_segment("bench");
  const std::string json_path = temp_json("lossless");
  const auto r = run(bench(),
                     {"--segment", prefix, "--readers", "1", "--waits", "spin", "--ring", "256",
                      "--no-latency", "--no-baselines", "--no-extras", "--peers", "none",
                      "--throughput-duration", "0.05", "--lossless-trials", "4", "--json", json_path},
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const Json doc = parse_json(slurp(json_path));
  fs::remove(json_path);
  expect_lossless_search(doc, 4);
  EXPECT_NE(r.out.find("lossless throughput"), std::string::npos) << r.out;
  EXPECT_TRUE(segments_with_prefix(prefix).empty());
}

TEST(BenchRun, shouldStopChildrenAndRemoveSegmentsWhenInterrupted) {
  const std::string prefix = unique_segment("bench");
  Child c = Child::spawn(
      bench(), {"--segment", prefix, "--readers", "2", "--rate", "1000", "--duration", "60", "--no-extras"});
  // Wait until a run is under way: its segment exists.
  ASSERT_TRUE(
      eventually([&] { return !segments_with_prefix(prefix).empty(); }, std::chrono::milliseconds(30'000)))
      << c.err();
  c.signal(SIGINT);
  const auto code = c.wait_for(std::chrono::milliseconds(10'000));
  ASSERT_TRUE(code.has_value()) << "still running after SIGINT";
  EXPECT_EQ(*code, 130) << c.err();
  EXPECT_TRUE(segments_with_prefix(prefix).empty());
  // Every worker was in the bench's process group (Child made it its own): none may be left.
  EXPECT_TRUE(eventually([&] { return kill(-c.pid(), 0) != 0; }, std::chrono::milliseconds(2000)));
}

}  // namespace
}  // namespace tickshm::test
