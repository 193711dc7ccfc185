// tickshm-bench --bridge's runs with tiny counts: every row accounts for every tick it sent (received,
// counted lost, or reported unaccounted), and the run leaves no segment behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include "bridge_bench_figures.hpp"
#include "bridge_runs.hpp"

namespace tickshm::test {
namespace {

namespace fs = std::filesystem;

int bbench_segments() {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec))
    if (e.path().filename().string().find("bbench-") != std::string::npos) ++n;
  return n;
}

TEST(BridgeBenchAccounting, shouldCountShortfallAsUnaccountedWhenTicksAreMissing) {
  using bench::bridge_bench::unaccounted_ticks;
  EXPECT_EQ(unaccounted_ticks(100, 100, 0), 0u);
  EXPECT_EQ(unaccounted_ticks(100, 90, 10), 0u);
  EXPECT_EQ(unaccounted_ticks(100, 90, 4), 6u);
  EXPECT_EQ(unaccounted_ticks(100, 101, 0), 0u);  // never negative
}

TEST(BridgeBench, shouldAccountForEverySentTickWhenRunWithTinyCounts) {
  const int before = bbench_segments();
  const std::string json = "/tmp/bridge_bench_test-" + std::to_string(::getpid()) + ".json";
  bench::BridgeBenchOptions o;
  o.throughput_ticks = 3000;
  o.latency_rate = 2000;
  o.latency_s = 0.5;
  o.batches = {16, 64};
  o.json = json;
  const int rc = bench::run_bridge_bench(o);
  if (rc == 2) GTEST_SKIP() << "nats-server is not installed";
  std::ifstream f(json);
  ASSERT_TRUE(f.good()) << "no JSON written";
  const auto j = nlohmann::json::parse(f);
  fs::remove(json);
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(j["bridge_runs"].size(),
            8u);  // two batch sizes flat out and paced, plain NATS twice, JetStream twice
  for (const auto& r : j["bridge_runs"]) {
    const std::string name = r["name"].get<std::string>();
    EXPECT_TRUE(r["ok"].get<bool>()) << name;
    const auto sent = r["sent"].get<std::uint64_t>();
    EXPECT_GT(sent, 0u) << name;
    const auto sum = r["received"].get<std::uint64_t>() + r["lost"].get<std::uint64_t>() +
                     r["unaccounted"].get<std::uint64_t>();
    // At least sent: the reader may also see the first tick that creates the bridged segment.
    EXPECT_GE(sum, sent) << name;
    EXPECT_LE(sum, sent + 1) << name;
    // Every process of the run has its CPU figure: the bench and nats-server always, the bridges too.
    const auto& cpu = r["cpu_ns_per_tick"];
    EXPECT_TRUE(cpu.contains("bench") && cpu.contains("nats-server")) << name;
    if (r["transport"].get<std::string>() != "plain NATS") {
      EXPECT_TRUE(cpu.contains("out") && cpu.contains("in")) << name;
    }
    EXPECT_GT(cpu["bench"].get<double>(), 0.0) << name;
  }
  EXPECT_EQ(bbench_segments(), before) << "a bridge bench segment was left in /dev/shm";
}

}  // namespace
}  // namespace tickshm::test
