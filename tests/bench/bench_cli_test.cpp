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

#include <nlohmann/json.hpp>
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
void expect_lossless_search(const nlohmann::json& doc, std::size_t trials) {
  const nlohmann::json* flat = nullptr;
  for (std::size_t i = 0; i < doc.at("runs").size(); ++i) {
    const nlohmann::json& run_doc = doc.at("runs")[i];
    if (run_doc.at("name").get<std::string>() == "tickshm-spin" &&
        run_doc.at("mode").get<std::string>() == "throughput" && run_doc.at("readers").get<long long>() == 1)
      flat = &run_doc;
  }
  ASSERT_NE(flat, nullptr);
  const nlohmann::json& l = doc.at("lossless");
  ASSERT_TRUE(l.at("ok").get<bool>()) << l.at("error").get<std::string>();
  if ((*flat).at("lost_total").get<long long>() == 0) {
    EXPECT_TRUE(l.at("flat_out_lossless").get<bool>());
    EXPECT_EQ(l.at("trials").size(), 0u);
    EXPECT_DOUBLE_EQ(l.at("rate_per_s").get<double>(), (*flat).at("slowest_rate_per_s").get<double>());
    return;
  }
  EXPECT_FALSE(l.at("flat_out_lossless").get<bool>());
  ASSERT_EQ(l.at("trials").size(), trials);
  double lo = 0, hi = (*flat).at("writer_rate_per_s").get<double>(), best = 0;
  for (std::size_t i = 0; i < trials; ++i) {
    const nlohmann::json& t = l.at("trials")[i];
    ASSERT_TRUE(t.at("ok").get<bool>()) << t.at("error").get<std::string>();
    // JSON carries 10 significant digits.
    EXPECT_NEAR(t.at("offered_per_s").get<double>(), (lo + hi) / 2, 1e-6 * hi) << "trial " << i;
    EXPECT_GT(t.at("published").get<long long>(), 0) << "trial " << i;
    EXPECT_EQ(t.at("received").get<long long>() + t.at("lost").get<long long>(),
              t.at("published").get<long long>())
        << "trial " << i;
    if (t.at("lost").get<long long>() == 0) {
      lo = t.at("offered_per_s").get<double>();
      best = std::max(best, t.at("delivered_per_s").get<double>());
    } else {
      hi = t.at("offered_per_s").get<double>();
    }
  }
  EXPECT_DOUBLE_EQ(l.at("rate_per_s").get<double>(), best);
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

INSTANTIATE_TEST_SUITE_P(
    BenchCli, BenchMisuse,
    ::testing::Values(Misuse{"ReadersIsZero", {"--readers", "0"}},
                      Misuse{"RingIsNotAPowerOfTwo", {"--ring", "1000"}},
                      Misuse{"CpuIsNotUsable", {"--cpus", "0,99999"}},
                      Misuse{"FeedRunsIsZero", {"--feed-runs", "0"}},
                      Misuse{"WriterCostRoundsIsZero", {"--writer-cost-rounds", "0"}},
                      Misuse{"SymbolCountIsNegative", {"--symbol-counts", "20,-1"}},
                      Misuse{"SymbolDashDurationIsNan", {"--symbol-dash-duration", "nan"}},
                      Misuse{"MaxSpinnersIsNegative", {"--max-spinners", "-1"}},
                      Misuse{"PlotDirIsAFile", {"--plot", "/etc/passwd"}},
                      Misuse{"BridgeBatchIsZero", {"--bridge", "--bridge-batch", "64,0"}},
                      Misuse{"BridgeRateIsWords", {"--bridge", "--bridge-rate", "fast"}}),
    [](const ::testing::TestParamInfo<Misuse>& i) { return std::string(i.param.name); });

TEST(BenchRun, shouldMeasureEveryTransportAndAddUpCountsWhenCountsAreTiny) {
  const std::string prefix = unique_segment("bench");
  const std::string json_path = temp_json("tiny");
  const auto r = run(bench(), tiny_args(prefix, json_path), std::chrono::milliseconds(240'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("TARGETS.md"), std::string::npos) << r.out;

  const nlohmann::json doc = nlohmann::json::parse(slurp(json_path));
  fs::remove(json_path);
  EXPECT_EQ(doc.at("schema_version").get<int>(), 2);
  EXPECT_EQ(doc.at("tool").get<std::string>(), "tickshm-bench");
  EXPECT_FALSE(doc.at("machine").at("cpu_model").get<std::string>().empty());
  const nlohmann::json& floor = doc.at("floor");
  ASSERT_TRUE(floor.at("ok").get<bool>()) << floor.at("error").get<std::string>();
  EXPECT_GT(floor.at("one_way").at("count").get<long long>(), 0);
  // The bare ring carries as many ticks as a latency run: each timed or counted lost.
  EXPECT_EQ(floor.at("bare_ring").at("count").get<long long>() + floor.at("bare_ring_lost").get<long long>(),
            2000);
  EXPECT_GE(floor.at("cpu_away_percent").get<double>(), 0.0);
  EXPECT_LE(floor.at("cpu_away_percent").get<double>(), 100.0);
  if (floor.at("cpu_gaps").get<long long>() > 0) {
    EXPECT_GE(floor.at("cpu_longest_gap_ns").get<long long>(), 1000);
  }

  // The floor around the spin reader's latency run: repeated while the two disagree, at most 3 times,
  // and the TARGETS.md 1 ratio divides by the mean of the last pair.
  const nlohmann::json& bracket = doc.at("floor_bracket");
  const long long before = bracket.at("before_p50_ns").get<long long>();
  const long long after = bracket.at("after_p50_ns").get<long long>();
  EXPECT_GT(before, 0);
  EXPECT_GT(after, 0);
  EXPECT_EQ(bracket.at("floor_p50_ns").get<long long>(), (before + after) / 2);
  EXPECT_EQ(bracket.at("agreed").get<bool>(), static_cast<double>(std::max(before, after)) <=
                                                  1.5 * static_cast<double>(std::min(before, after)));
  EXPECT_GE(bracket.at("attempts").get<long long>(), 1);
  EXPECT_LE(bracket.at("attempts").get<long long>(), 3);
  if (!bracket.at("agreed").get<bool>()) {
    EXPECT_EQ(bracket.at("attempts").get<long long>(), 3)
        << "gave up on disagreeing floors before the third attempt";
  }

  // 2 reader counts x 2 modes x (3 wait strategies + Unix socket + pipe).
  const nlohmann::json& runs = doc.at("runs");
  ASSERT_EQ(runs.size(), 20u);
  std::set<std::string> names;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const nlohmann::json& run_doc = runs[i];
    const std::string what = run_doc.at("name").get<std::string>() + " " +
                             run_doc.at("mode").get<std::string>() + " x" +
                             std::to_string(run_doc.at("readers").get<long long>());
    names.insert(run_doc.at("name").get<std::string>());
    ASSERT_TRUE(run_doc.at("ok").get<bool>()) << what << ": " << run_doc.at("error").get<std::string>();
    const long long published = run_doc.at("published").get<long long>();
    EXPECT_GT(published, 0) << what;
    if (run_doc.at("mode").get<std::string>() == "latency") {
      EXPECT_EQ(published, 2000) << what;
    }
    const nlohmann::json& readers = run_doc.at("per_reader");
    ASSERT_EQ(static_cast<long long>(readers.size()), run_doc.at("readers").get<long long>()) << what;
    long long lost_total = 0;
    for (std::size_t k = 0; k < readers.size(); ++k) {
      const long long received = readers[k].at("received").get<long long>();
      const long long lost = readers[k].at("lost").get<long long>();
      EXPECT_EQ(received + lost, published) << what << " reader " << k;
      EXPECT_EQ(readers[k].at("mismatches").get<long long>(), 0) << what << " reader " << k;
      if (run_doc.at("transport").get<std::string>() != "tickshm") {
        EXPECT_EQ(lost, 0) << what << " reader " << k;
      }
      if (run_doc.at("mode").get<std::string>() == "latency") {
        EXPECT_EQ(readers[k].at("latency").at("count").get<long long>(), received) << what << " reader " << k;
      }
      lost_total += lost;
    }
    EXPECT_EQ(run_doc.at("lost_total").get<long long>(), lost_total) << what;
  }
  EXPECT_EQ(names, (std::set<std::string>{"tickshm-spin", "tickshm-adaptive", "tickshm-block", "unix-socket",
                                          "pipe"}));

  expect_lossless_search(doc, 6);

  ASSERT_TRUE(doc.at("idle").at("ok").get<bool>()) << doc.at("idle").at("error").get<std::string>();
  EXPECT_GE(doc.at("idle").at("block_cpu_percent").get<double>(), 0.0);
  const nlohmann::json& cost = doc.at("writer_cost");
  ASSERT_EQ(cost.size(), 5u);  // none, spinning, sleeping, dead, 16 sleeping
  for (std::size_t i = 0; i < cost.size(); ++i) {
    EXPECT_TRUE(cost[i].at("ok").get<bool>())
        << cost[i].at("readers").get<std::string>() << ": " << cost[i].at("error").get<std::string>();
    EXPECT_GT(cost[i].at("published").get<long long>(), 0);
    // Three interleaved rounds by default; the figure is their median.
    const nlohmann::json& rounds = cost[i].at("round_ns_per_tick");
    ASSERT_EQ(rounds.size(), 3u) << cost[i].at("readers").get<std::string>();
    std::vector<double> v{rounds[0].get<double>(), rounds[1].get<double>(), rounds[2].get<double>()};
    std::sort(v.begin(), v.end());
    EXPECT_GT(v[0], 0.0);
    EXPECT_DOUBLE_EQ(cost[i].at("ns_per_tick").get<double>(), v[1])
        << cost[i].at("readers").get<std::string>();
  }
  std::set<std::string> ratio_ids;
  for (std::size_t i = 0; i < doc.at("ratios").size(); ++i) {
    const nlohmann::json& ratio = doc.at("ratios")[i];
    ratio_ids.insert(ratio.at("id").get<std::string>());
    if (ratio.at("id").get<std::string>() == "1.spin_p50_vs_floor") {
      const nlohmann::json& spin = runs[0];  // the first run: tickshm-spin, latency, 1 reader
      ASSERT_EQ(spin.at("name").get<std::string>() + spin.at("mode").get<std::string>(),
                "tickshm-spinlatency");
      const double expected = static_cast<double>(spin.at("latency").at("p50_ns").get<long long>()) /
                              static_cast<double>(bracket.at("floor_p50_ns").get<long long>());
      EXPECT_NEAR(ratio.at("value").get<double>(), expected, expected * 1e-6);  // the JSON prints 10 digits
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

// Coordinated omission: every paced tick timed from its scheduled send time beside its stamp, for the bus
// and for the blocking baselines (whose writer stamps a tick only once a full pipe lets it write), in
// the JSON per run and per reader, and in the report's tables.
TEST(BenchRun, shouldTimeEveryPacedTickFromItsScheduleBesideItsStampWhenCountsAreTiny) {
  const std::string prefix = unique_segment("bco");
  const std::string json_path = temp_json("co");
  const auto r = run(bench(), {"--segment",         prefix,       "--readers",       "1,2",
                               "--count",           "1000",       "--rate",          "20000",
                               "--waits",           "block,spin", "--no-throughput", "--no-extras",
                               "--lossless-trials", "0",          "--feed",          "none",
                               "--peers",           "none",       "--json",          json_path},
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("sched p99"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("from the scheduled send time"), std::string::npos) << r.out;
  const nlohmann::json doc = nlohmann::json::parse(slurp(json_path));
  fs::remove(json_path);
  const nlohmann::json& runs = doc.at("runs");
  ASSERT_EQ(runs.size(), 8u);  // 2 counts x (block, spin, Unix socket, pipe)
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const nlohmann::json& run_doc = runs[i];
    const std::string what =
        run_doc.at("name").get<std::string>() + " x" + std::to_string(run_doc.at("readers").get<long long>());
    ASSERT_TRUE(run_doc.at("ok").get<bool>()) << what << ": " << run_doc.at("error").get<std::string>();
    auto check = [&](const nlohmann::json& j, const std::string& who, long long ticks) {
      const nlohmann::json& stamped = j.at("latency");
      const nlohmann::json& corrected = j.at("latency_corrected");
      EXPECT_EQ(stamped.at("count").get<long long>(), ticks) << who;
      EXPECT_EQ(corrected.at("count").get<long long>(), ticks) << who;
      // No tick is stamped before it is due, so none is younger from its schedule than from its stamp.
      for (const char* p : {"p50_ns", "p99_ns", "p999_ns", "max_ns"}) {
        EXPECT_GE(corrected.at(p).get<long long>(), stamped.at(p).get<long long>()) << who << " " << p;
      }
    };
    long long received = 0;
    const nlohmann::json& readers = run_doc.at("per_reader");
    for (std::size_t k = 0; k < readers.size(); ++k) {
      const long long got = readers[k].at("received").get<long long>();
      check(readers[k], what + " reader " + std::to_string(k), got);
      received += got;
    }
    check(run_doc, what, received);
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
  const nlohmann::json doc = nlohmann::json::parse(slurp(json_path));
  fs::remove(json_path);
  const nlohmann::json& feed = doc.at("feed");
  ASSERT_TRUE(feed.at("ok").get<bool>()) << feed.at("error").get<std::string>();
  EXPECT_EQ(feed.at("count").get<long long>(), 200000);
  const nlohmann::json& rates = feed.at("run_rates_per_s");
  ASSERT_EQ(rates.size(), 3u);
  std::vector<double> v;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    EXPECT_GT(rates[i].get<double>(), 0.0);
    v.push_back(rates[i].get<double>());
  }
  std::sort(v.begin(), v.end());
  EXPECT_DOUBLE_EQ(feed.at("rate_per_s").get<double>(), v[1]);
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
  const nlohmann::json doc = nlohmann::json::parse(slurp(json_path));
  fs::remove(json_path);
  const nlohmann::json& runs = doc.at("runs");
  ASSERT_EQ(runs.size(), 3u);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ASSERT_TRUE(runs[i].at("ok").get<bool>()) << runs[i].at("error").get<std::string>();
    for (std::size_t k = 0; k < runs[i].at("per_reader").size(); ++k) {
      const nlohmann::json& rd = runs[i].at("per_reader")[k];
      EXPECT_EQ(rd.at("received").get<long long>() + rd.at("lost").get<long long>(),
                runs[i].at("published").get<long long>());
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
  const nlohmann::json doc = nlohmann::json::parse(slurp(json_path));
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
