// tickshm-bench's peer rows (iceoryx, ZeroMQ), scaling series, symbol scaling and --plot, end to end
// with tiny counts: every row is in the JSON, received + lost = published for every reader, the SVGs are
// XML with one series per transport, nothing is left behind. Times are never asserted. A peer that is
// not available here makes its test skip with the bench's reason.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include "test_support.hpp"

namespace tickshm::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A scratch directory for one test's JSON and SVGs, removed at the end whatever happens.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& tag)
      : dir(fs::temp_directory_path() / ("tickshm-bench-test-" + std::to_string(getpid()) + "-" + tag)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string json() const { return (dir / "bench.json").string(); }
  std::string plots() const { return (dir / "img").string(); }
};

bool shm_has_prefix(const std::string& prefix) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    if (e.path().filename().string().rfind("tickshm." + prefix + "-", 0) == 0) return true;
  }
  return false;
}

// Short runs of every kind: 1,500 paced ticks, 50 ms flat out.
std::vector<std::string> tiny(const std::string& prefix, const Scratch& s, std::vector<std::string> more) {
  std::vector<std::string> args{
      "--segment",         prefix, "--count", "1500", "--rate", "20000", "--throughput-duration", "0.05",
      "--lossless-trials", "0",    "--feed",  "none", "--json", s.json()};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A latency run (or one reader of it) timed both ways: the same ticks from the scheduled send time as
// from the writer's stamp, and never less, since no tick is stamped before it is due.
void expect_corrected_not_below_stamped(const nlohmann::json& r, const std::string& what) {
  const nlohmann::json& stamped = r.at("latency");
  const nlohmann::json& corrected = r.at("latency_corrected");
  EXPECT_EQ(corrected.at("count").get<long long>(), stamped.at("count").get<long long>()) << what;
  for (const char* p : {"p50_ns", "p99_ns", "p999_ns", "max_ns"}) {
    EXPECT_GE(corrected.at(p).get<long long>(), stamped.at(p).get<long long>()) << what << " " << p;
  }
}

// Every run of the JSON: worked, and for each reader received + lost = published (a paced run
// publishes exactly --count); the names of the runs seen, by mode.
std::set<std::string> check_runs(const nlohmann::json& runs, const std::string& mode,
                                 std::size_t* skipped_out = nullptr, std::string* skip_reason = nullptr) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const nlohmann::json& r = runs[i];
    const std::string what = r.at("name").get<std::string>() + " " + r.at("mode").get<std::string>() + " x" +
                             std::to_string(r.at("readers").get<long long>());
    if (r.at("skipped").get<bool>()) {
      if (skipped_out) ++*skipped_out;
      if (skip_reason) *skip_reason = what + ": " + r.at("error").get<std::string>();
      continue;
    }
    EXPECT_TRUE(r.at("ok").get<bool>()) << what << ": " << r.at("error").get<std::string>();
    if (r.at("mode").get<std::string>() != mode) continue;
    names.insert(r.at("name").get<std::string>());
    const long long published = r.at("published").get<long long>();
    EXPECT_GT(published, 0) << what;
    if (mode == "latency") {
      EXPECT_EQ(published, 1500) << what;
      expect_corrected_not_below_stamped(r, what);
      // The merged histogram's [percent, ns] points: from 0 to 100, neither going down.
      const nlohmann::json& pct = r.at("percentiles");
      EXPECT_GE(pct.size(), 2u) << what;
      if (pct.size() < 2) continue;
      EXPECT_EQ(pct.front().at(0).get<double>(), 0.0) << what;
      EXPECT_EQ(pct.back().at(0).get<double>(), 100.0) << what;
      for (std::size_t k = 1; k < pct.size(); ++k) {
        EXPECT_GT(pct[k].at(0).get<double>(), pct[k - 1].at(0).get<double>()) << what;
        EXPECT_GE(pct[k].at(1).get<long long>(), pct[k - 1].at(1).get<long long>()) << what;
      }
    }
    const nlohmann::json& readers = r.at("per_reader");
    EXPECT_EQ(static_cast<long long>(readers.size()), r.at("readers").get<long long>()) << what;
    long long lost_total = 0;
    for (std::size_t k = 0; k < readers.size(); ++k) {
      EXPECT_EQ(readers[k].at("received").get<long long>() + readers[k].at("lost").get<long long>(),
                published)
          << what << " reader " << k;
      EXPECT_EQ(readers[k].at("mismatches").get<long long>(), 0) << what << " reader " << k;
      if (mode == "latency") {
        EXPECT_EQ(readers[k].at("latency").at("count").get<long long>(),
                  readers[k].at("received").get<long long>())
            << what;
        expect_corrected_not_below_stamped(readers[k], what + " reader " + std::to_string(k));
      }
      lost_total += readers[k].at("lost").get<long long>();
    }
    EXPECT_EQ(r.at("lost_total").get<long long>(), lost_total) << what;
    // Lossless by construction: pipes, sockets, a blocking iceoryx publisher, ZeroMQ without drops.
    const std::string n = r.at("name").get<std::string>();
    if (n == "pipe" || n == "unix-socket" || n == "iceoryx-blocking" || n == "zeromq-nodrop") {
      EXPECT_EQ(lost_total, 0) << what;
    }
  }
  return names;
}

// The peer run of the bench with one transport family; skips with the bench's reason when it could
// not be measured here.
void run_peer(const std::string& peer, const std::set<std::string>& expected) {
  const std::string prefix = unique_segment("bpeer");
  Scratch s("peer-" + peer);
  const auto r =
      run(bin_path("tickshm-bench"),
          tiny(prefix, s,
               {"--readers", "1,2", "--waits", "block", "--no-baselines", "--no-extras", "--peers", peer}),
          std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const nlohmann::json doc = nlohmann::json::parse(slurp(s.json()));
  std::size_t skipped = 0;
  std::string reason;
  const auto latency = check_runs(doc.at("runs"), "latency", &skipped, &reason);
  if (skipped > 0) GTEST_SKIP() << reason;
  const auto throughput = check_runs(doc.at("runs"), "throughput");
  std::set<std::string> want = expected;
  want.insert("tickshm-block");
  EXPECT_EQ(latency, want);
  EXPECT_EQ(throughput, want);
  // Two reader counts, two modes, the peer's variants and tickshm-block.
  EXPECT_EQ(doc.at("runs").size(), 4 * want.size());
  EXPECT_FALSE(shm_has_prefix(prefix));
}

TEST(BenchPeers, shouldMeasureEveryIceoryxVariantWhenItsOwnRoudiCanRun) {
  run_peer("iceoryx", {"iceoryx-spin", "iceoryx-waitset", "iceoryx-blocking"});
  // Our RouDi stopped with the bench and took its shared memory and socket with it, and every worker
  // unregistered (its runtime's socket in /tmp is gone).
  EXPECT_FALSE(fs::exists("/dev/shm/iceoryx_mgmt"));
  EXPECT_FALSE(fs::exists("/tmp/roudi"));
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/tmp", ec)) {
    EXPECT_NE(e.path().filename().string().rfind("tickshm-bench-r-", 0), 0u) << e.path();
    EXPECT_NE(e.path().filename().string().rfind("tickshm-bench-w-", 0), 0u) << e.path();
  }
}

// A RouDi that was running before the bench (here the test's own, standing in for someone else's):
// iceoryx 2.0 gives every RouDi the same names, so the bench says so in the iceoryx rows, measures the
// rest, and leaves that RouDi running.
TEST(BenchPeers, shouldLeaveARunningRoudiAloneAndSaySoWhenOneIsAlreadyThere) {
  if (access("/usr/bin/iox-roudi", X_OK) != 0) GTEST_SKIP() << "iox-roudi is not installed";
  if (fs::exists("/dev/shm/iceoryx_mgmt") || fs::exists("/tmp/roudi"))
    GTEST_SKIP() << "a RouDi is already running";
  Scratch s("foreign-roudi");
  const std::string config = (s.dir / "roudi.toml").string();
  std::ofstream(config)
      << "[general]\nversion = 1\n[[segment]]\n[[segment.mempool]]\nsize = 128\ncount = 100\n";
  Child roudi = Child::spawn("/usr/bin/iox-roudi", {"-c", config, "-l", "info"});
  // SIGTERM on every way out, so it removes its names (the Child's SIGKILL would leave them).
  struct Stop {
    Child& c;
    ~Stop() {
      if (c.running()) c.stop(std::chrono::milliseconds(10'000));
    }
  } stop{roudi};
  ASSERT_TRUE(eventually([&] { return roudi.out().find("RouDi is ready") != std::string::npos; }))
      << roudi.out() << roudi.err();
  const std::string prefix = unique_segment("bforeign");
  const auto r = run(bin_path("tickshm-bench"),
                     tiny(prefix, s,
                          {"--readers", "1", "--waits", "block", "--no-baselines", "--no-extras",
                           "--no-throughput", "--peers", "iceoryx"}),
                     std::chrono::milliseconds(60'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const nlohmann::json doc = nlohmann::json::parse(slurp(s.json()));
  const nlohmann::json& runs = doc.at("runs");
  ASSERT_EQ(runs.size(), 4u);  // tickshm-block and three iceoryx rows
  for (std::size_t i = 1; i < runs.size(); ++i) {
    ASSERT_TRUE(runs[i].at("skipped").get<bool>()) << runs[i].at("name").get<std::string>();
    const std::string why = runs[i].at("error").get<std::string>();
    if (why.find("already running") == std::string::npos) GTEST_SKIP() << why;  // not built with iceoryx
    EXPECT_NE(why.find("pid " + std::to_string(roudi.pid())), std::string::npos) << why;
  }
  EXPECT_NE(r.out.find("SKIPPED"), std::string::npos) << r.out;
  EXPECT_TRUE(roudi.running());
  EXPECT_EQ(roudi.stop(std::chrono::milliseconds(10'000)), 0) << roudi.err();
  EXPECT_FALSE(fs::exists("/dev/shm/iceoryx_mgmt"));
}

TEST(BenchPeers, shouldMeasureZeromqWithAndWithoutDropsWhenLibzmqIsThere) {
  run_peer("zeromq", {"zeromq", "zeromq-nodrop"});
}

// python3's xml.etree, a real XML parser: each file parses, and prints the data-name of every
// <g class="series"> it holds, one file a line: "FILE NAME|NAME|...".
std::map<std::string, std::vector<std::string>> svg_series(const std::vector<std::string>& files) {
  static const char* kScript = R"(
import sys, xml.etree.ElementTree as ET
for f in sys.argv[1:]:
    root = ET.parse(f).getroot()
    assert root.tag == '{http://www.w3.org/2000/svg}svg', root.tag
    names = [g.get('data-name') for g in root.iter('{http://www.w3.org/2000/svg}g') if g.get('class') == 'series']
    print(f.split('/')[-1] + ' ' + '|'.join(names))
)";
  std::vector<std::string> args{"-c", kScript};
  args.insert(args.end(), files.begin(), files.end());
  const auto r = run("/usr/bin/python3", args);
  EXPECT_EQ(r.code, 0) << r.err;
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto sp = line.find(' ');
    std::vector<std::string> names;
    std::stringstream ns(line.substr(sp + 1));
    for (std::string n; std::getline(ns, n, '|');) names.push_back(n);
    out[line.substr(0, sp)] = names;
  }
  return out;
}

TEST(BenchScaling, shouldRunEveryReaderCountAndPlotOneSeriesPerTransportWhenAskedForTheSeries) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "python3 is needed to parse the SVGs as XML";
  const std::string prefix = unique_segment("bscale");
  Scratch s("scaling");
  const auto r = run(bin_path("tickshm-bench"),
                     tiny(prefix, s,
                          {"--readers", "1,4", "--waits", "spin,block,adaptive", "--peers", "none",
                           "--max-spinners", "1", "--writer-cost-rounds", "1", "--writer-cost-duration",
                           "0.02", "--idle-duration", "0.05", "--plot", s.plots()}),
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("side by side"), std::string::npos) << r.out;
  const nlohmann::json doc = nlohmann::json::parse(slurp(s.json()));
  const nlohmann::json& runs = doc.at("runs");
  // Per count and mode: adaptive, block, Unix socket, pipe; spin only at 1 (--max-spinners 1).
  EXPECT_EQ(runs.size(), 2u * 2u * 4u + 2u);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].at("name").get<std::string>() == "tickshm-spin") {
      EXPECT_EQ(runs[i].at("readers").get<long long>(), 1);
    }
  }
  const auto names = check_runs(runs, "latency");
  EXPECT_EQ(names, (std::set<std::string>{"tickshm-spin", "tickshm-block", "tickshm-adaptive", "unix-socket",
                                          "pipe"}));
  check_runs(runs, "throughput");
  // The writer's cost with N sleeping readers at every count, and the target 3 lines for each.
  // Each count twice, the writer waking the sleepers through the fan-out and all at once; every reader
  // read every paced tick.
  const nlohmann::json& cost = doc.at("writer_cost_scaling");
  ASSERT_EQ(cost.size(), 4u);
  for (std::size_t i = 0; i < cost.size(); ++i) {
    EXPECT_TRUE(cost[i].at("ok").get<bool>()) << cost[i].at("error").get<std::string>();
    const long long counts[] = {1, 1, 4, 4};
    const char* modes[] = {"fan-out", "wake-all", "fan-out", "wake-all"};
    const long long n = cost[i].at("readers").get<long long>();
    EXPECT_EQ(n, counts[i]);
    EXPECT_EQ(cost[i].at("wake").get<std::string>(), modes[i]);
    EXPECT_GT(cost[i].at("ns_per_tick").get<double>(), 0.0);
    EXPECT_GE(cost[i].at("asleep_per_tick").get<double>(), 0.0);
    EXPECT_LE(cost[i].at("asleep_per_tick").get<double>(), static_cast<double>(n));
    EXPECT_EQ(cost[i].at("reader_received").get<long long>() + cost[i].at("reader_lost").get<long long>(),
              n * cost[i].at("published").get<long long>())
        << modes[i] << " x" << n;
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < doc.at("ratios").size(); ++i)
    ids.insert(doc.at("ratios")[i].at("id").get<std::string>());
  for (const char* id : {"3.block_lost_x4", "3.adaptive_p99_vs_pipe_x4", "3.writer_cost_x4_vs_x1",
                         "3.wake_all_writer_cost_x4_vs_x1"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }

  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(s.plots())) files.push_back(e.path().string());
  const auto series = svg_series(files);
  ASSERT_EQ(series.size(), 5u) << r.err;
  auto as_set = [](const std::vector<std::string>& v) { return std::set<std::string>(v.begin(), v.end()); };
  for (const auto& [file, list] : series) {
    EXPECT_EQ(as_set(list).size(), list.size()) << file << ": a transport drawn twice";
  }
  EXPECT_EQ(as_set(series.at("latency-percentiles-1.svg")), names);
  EXPECT_EQ(as_set(series.at("throughput-1.svg")), names);
  EXPECT_EQ(as_set(series.at("scaling-p99.svg")), names);
  EXPECT_EQ(as_set(series.at("latency-percentiles-4.svg")),
            (std::set<std::string>{"tickshm-block", "tickshm-adaptive", "unix-socket", "pipe"}));
  EXPECT_EQ(series.at("scaling-writer-cost.svg"),
            (std::vector<std::string>{"tickshm-block fan-out", "tickshm-block wake-all"}));
  EXPECT_FALSE(shm_has_prefix(prefix));
}

TEST(BenchScaling, shouldTimeTheFeedDashboardAndStatAtEachSymbolCountWhenAsked) {
  const std::string prefix = unique_segment("bsym");
  Scratch s("symbols");
  const auto r = run(bin_path("tickshm-bench"),
                     tiny(prefix, s,
                          {"--readers",
                           "1",
                           "--no-latency",
                           "--no-throughput",
                           "--no-baselines",
                           "--peers",
                           "none",
                           "--writer-cost-rounds",
                           "1",
                           "--writer-cost-duration",
                           "0.02",
                           "--idle-duration",
                           "0.05",
                           "--symbol-counts",
                           "20,1000",
                           "--symbol-feed-count",
                           "100000",
                           "--feed-runs",
                           "1",
                           "--symbol-dash-duration",
                           "0.3"}),
                     std::chrono::milliseconds(120'000));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const nlohmann::json doc = nlohmann::json::parse(slurp(s.json()));
  const nlohmann::json& sc = doc.at("symbol_scaling");
  ASSERT_EQ(sc.size(), 2u);
  for (std::size_t i = 0; i < sc.size(); ++i) {
    ASSERT_TRUE(sc[i].at("ok").get<bool>()) << sc[i].at("error").get<std::string>();
    const long long symbols[] = {20, 1000};
    EXPECT_EQ(sc[i].at("symbols").get<long long>(), symbols[i]);
    EXPECT_GT(sc[i].at("feed_rate_per_s").get<double>(), 0.0);
    EXPECT_EQ(sc[i].at("feed_run_rates_per_s").size(), 1u);
    EXPECT_GE(sc[i].at("dash_seconds").get<double>(), 0.3);
    // One thread: its CPU time cannot exceed its wall time.
    EXPECT_LE(sc[i].at("dash_cpu_percent").get<double>(), 100.0);
    EXPECT_GT(sc[i].at("stat_wall_ms").get<double>(), 0.0);
  }
  EXPECT_FALSE(shm_has_prefix(prefix));
}

}  // namespace
}  // namespace tickshm::test
