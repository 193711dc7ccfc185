// The real tickshm-stat against a real feed and algo: --json values grow and add up, errors and exit
// codes, a dead writer's segment, --watch, --list and --clean.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "json_parse.hpp"
#include "test_support.hpp"

namespace tickshm::test {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

Child start_feed(const std::string& seg) {
  return Child::spawn(bin_path("tickshm-feed"),
                      {"--segment", seg, "--symbols", "AAPL,MSFT,GOOG", "--rate", "5000", "--seed", "11",
                       "--duration", "120", "--log-level", "warn"});
}

Child start_algo(const std::string& seg, const std::string& name) {
  return Child::spawn(bin_path("tickshm-algo"),
                      {"--segment", seg, "--name", name, "--strategy", "mean-revert", "--wait", "adaptive",
                       "--duration", "120", "--log-level", "warn"});
}

RunResult stat(const std::vector<std::string>& args) {
  return run(bin_path("tickshm-stat"), args, 20s);
}

Json stat_json(const std::string& seg) {
  const auto r = stat({"--segment", seg, "--json"});
  EXPECT_TRUE(r.code && *r.code == 0) << r.err;
  return parse_json(r.out);
}

const Json* find_named(const Json& arr, const std::string& name) {
  for (const auto& e : arr.arr) {
    if (e["name"].string() == name) return &e;
  }
  return nullptr;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(StatProcessTest, shouldPrintHelpAndVersion) {
  const auto h = stat({"--help"});
  ASSERT_TRUE(h.code);
  EXPECT_EQ(*h.code, 0);
  for (const char* opt : {"--json", "--watch", "--list", "--clean", "--segment", "--config"}) {
    EXPECT_TRUE(contains(h.out, opt)) << opt;
  }
  const auto v = stat({"--version"});
  ASSERT_TRUE(v.code);
  EXPECT_EQ(*v.code, 0);
}

TEST(StatProcessTest, shouldFailWithOneLineWhenSegmentMissing) {
  const std::string seg = unique_segment("stat-missing");
  ShmGuard guard(seg);
  const auto r = stat({"--segment", seg});
  ASSERT_TRUE(r.code);
  EXPECT_EQ(*r.code, 1);
  EXPECT_TRUE(contains(r.err, "no feed segment /tickshm." + seg)) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(StatProcessTest, shouldExitTwoWhenNameOrFileInvalid) {
  const auto bad = stat({"--segment", "../etc"});
  ASSERT_TRUE(bad.code);
  EXPECT_EQ(*bad.code, 2);
  const std::string seg = unique_segment("stat-junk");
  ShmGuard guard(seg);
  { std::ofstream("/dev/shm/tickshm." + seg) << "this is not a tickshm segment"; }
  const auto r = stat({"--segment", seg, "--json"});
  ASSERT_TRUE(r.code);
  EXPECT_EQ(*r.code, 2);
  EXPECT_TRUE(contains(r.err, "/tickshm." + seg)) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(StatProcessTest, shouldReportGrowingConsistentJsonWhenFeedAndAlgoRun) {
  const std::string seg = unique_segment("stat-live");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  Child algo = start_algo(seg, "stat-algo");
  Json j1;
  ASSERT_TRUE(eventually(
      [&] {
        const auto r = stat({"--segment", seg, "--json"});
        if (!r.code || *r.code != 0) return false;
        j1 = parse_json(r.out);
        const Json* rd = find_named(j1["readers"], "stat-algo");
        const Json* al = find_named(j1["algos"], "stat-algo");
        return rd != nullptr && al != nullptr && (*rd)["received"].integer() > 0 &&
               (*al)["ticks"].integer() > 0;
      },
      20s))
      << "feed: " << feed.err() << "\nalgo: " << algo.err();
  EXPECT_EQ(j1["segment"].string(), seg);
  EXPECT_EQ(j1["state"].string(), "LIVE");
  EXPECT_EQ(j1["writer_pid"].integer(), feed.pid());
  EXPECT_TRUE(j1["writer_alive"].boolean());
  EXPECT_GT(j1["epoch"].number(), 0.0);
  EXPECT_EQ(j1["symbol_count"].integer(), 3);
  ASSERT_EQ(j1["symbols"].size(), 3u);
  for (const auto& s : j1["symbols"].arr) {
    EXPECT_GT(s["bid"].integer(), 0) << s["symbol"].string();
    EXPECT_GE(s["ask"].integer(), s["bid"].integer());
  }
  EXPECT_TRUE(j1["registry"]["present"].boolean());

  // Wait long enough for the algo's counters to move (flushed about once a second), then compare.
  Json j2;
  ASSERT_TRUE(eventually(
      [&] {
        j2 = stat_json(seg);
        const Json* a1 = find_named(j1["readers"], "stat-algo");
        const Json* a2 = find_named(j2["readers"], "stat-algo");
        // The latency summary reaches the registry about once a second.
        return a2 != nullptr && (*a2)["received"].integer() > (*a1)["received"].integer() &&
               (*a2)["p50_ns"].integer() > 0;
      },
      15s));
  EXPECT_GT(j2["published"].integer(), j1["published"].integer());
  EXPECT_EQ(j2["epoch"].number(), j1["epoch"].number());

  const Json& rd = *find_named(j2["readers"], "stat-algo");
  EXPECT_EQ(rd["pid"].integer(), algo.pid());
  EXPECT_TRUE(rd["alive"].boolean());
  EXPECT_EQ(rd["state"].string(), "alive");
  EXPECT_EQ(rd["role"].string(), "algo");
  const long long published = j2["published"].integer();
  // stat reads the registry before the write cursor: a reader's counters never exceed `published`.
  EXPECT_LE(rd["received"].integer() + rd["lost"].integer(), published);
  EXPECT_LE(rd["lag"].integer(), published);
  EXPECT_GT(rd["p50_ns"].integer(), 0);
  EXPECT_GE(rd["p99_ns"].integer(), rd["p50_ns"].integer());

  const Json& al = *find_named(j2["algos"], "stat-algo");
  EXPECT_EQ(al["strategy"].string(), "mean-revert");
  EXPECT_EQ(al["pid"].integer(), algo.pid());
  EXPECT_TRUE(al["alive"].boolean());
  EXPECT_LE(al["fills"].integer(), al["orders"].integer());
  EXPECT_EQ(al["pnl_total"].integer(), al["pnl_realized"].integer() + al["pnl_unrealized"].integer());
  EXPECT_LE(al["ticks"].integer(), published);
  const Json& al1 = *find_named(j1["algos"], "stat-algo");
  EXPECT_GE(al["ticks"].integer(), al1["ticks"].integer());
  EXPECT_GE(al["orders"].integer(), al1["orders"].integer());

  // The text form carries the same sections.
  const auto text = stat({"--segment", seg});
  ASSERT_TRUE(text.code && *text.code == 0) << text.err;
  for (const char* want : {"state LIVE", "SYMBOLS (3)", "AAPL", "READERS (1)", "stat-algo", "ALGOS (1)"}) {
    EXPECT_TRUE(contains(text.out, want)) << want << " missing in:\n" << text.out;
  }
}

TEST(StatProcessTest, shouldReadDeadWritersSegmentWithoutChangingItThenClean) {
  const std::string seg = unique_segment("stat-dead");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] {
    const auto r = stat({"--segment", seg, "--json"});
    return r.code && *r.code == 0 && parse_json(r.out)["published"].integer() > 0;
  }));
  feed.signal(SIGKILL);
  feed.wait_for(5s);
  const std::string data_path = "/dev/shm/tickshm." + seg;
  const std::string before = file_bytes(data_path);
  const std::string ctl_before = file_bytes(data_path + ".ctl");

  Json j;
  ASSERT_TRUE(eventually([&] {
    j = stat_json(seg);
    return j["state"].string() == "DEAD";
  })) << j["state"].string();
  EXPECT_FALSE(j["writer_alive"].boolean());
  EXPECT_EQ(j["symbols"].size(), 3u);
  const auto text = stat({"--segment", seg});
  ASSERT_TRUE(text.code);
  EXPECT_EQ(*text.code, 0);
  EXPECT_TRUE(contains(text.out, "state DEAD")) << text.out;
  EXPECT_EQ(file_bytes(data_path), before) << "tickshm-stat must never write to a segment";
  EXPECT_EQ(file_bytes(data_path + ".ctl"), ctl_before);

  const auto list = stat({"--list", "--json"});
  ASSERT_TRUE(list.code && *list.code == 0) << list.err;
  const Json l = parse_json(list.out);
  const Json* data = find_named(l["segments"], "tickshm." + seg);
  ASSERT_NE(data, nullptr) << list.out;
  EXPECT_EQ((*data)["kind"].string(), "data");
  EXPECT_EQ((*data)["status"].string(), "dead");
  EXPECT_FALSE((*data)["writer_alive"].boolean());

  const auto clean = stat({"--clean", "--segment", seg});
  ASSERT_TRUE(clean.code && *clean.code == 0) << clean.err;
  EXPECT_TRUE(contains(clean.out, "removing tickshm." + seg + " ")) << clean.out;
  EXPECT_TRUE(contains(clean.out, "removing tickshm." + seg + ".ctl")) << clean.out;
  EXPECT_TRUE(contains(clean.out, "2 segment(s) removed")) << clean.out;
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(StatProcessTest, shouldListLiveSegmentsAndKeepThemWhenClean) {
  const std::string seg = unique_segment("stat-list");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  Child algo = start_algo(seg, "list-algo");
  Json l;
  ASSERT_TRUE(eventually(
      [&] {
        const auto r = stat({"--list", "--json"});
        if (!r.code || *r.code != 0) return false;
        l = parse_json(r.out);
        // The algo may create its status segment before the feed creates its own, and each is
        // "creating" for a moment: wait until all three are live.
        for (const std::string& name :
             {"tickshm." + seg, "tickshm." + seg + ".ctl", "tickshm." + seg + ".algo.list-algo"}) {
          const Json* e = find_named(l["segments"], name);
          if (e == nullptr || !(*e)["writer_alive"].boolean()) return false;
        }
        return true;
      },
      20s));
  for (const std::string& name :
       {"tickshm." + seg, "tickshm." + seg + ".ctl", "tickshm." + seg + ".algo.list-algo"}) {
    const Json* e = find_named(l["segments"], name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_TRUE((*e)["writer_alive"].boolean()) << name;
    EXPECT_EQ((*e)["feed"].string(), seg);
    EXPECT_GT((*e)["size_bytes"].integer(), 0);
    EXPECT_EQ((*e)["owner_uid"].integer(), static_cast<long long>(getuid()));
  }
  EXPECT_EQ((*find_named(l["segments"], "tickshm." + seg + ".algo.list-algo"))["writer_pid"].integer(),
            algo.pid());
  const auto text = stat({"--list"});
  EXPECT_TRUE(contains(text.out, "tickshm." + seg + ".ctl")) << text.out;

  const auto clean = stat({"--clean", "--segment", seg});
  ASSERT_TRUE(clean.code && *clean.code == 0) << clean.err;
  EXPECT_TRUE(contains(clean.out, "0 segment(s) removed")) << clean.out;
  EXPECT_EQ(guard.leftovers().size(), 3u);
}

TEST(StatProcessTest, shouldPrintOneJsonDocumentPerIntervalWhenWatching) {
  const std::string seg = unique_segment("stat-watch");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] { return stat({"--segment", seg}).code == 0; }));
  Child watch = Child::spawn(bin_path("tickshm-stat"), {"--segment", seg, "--json", "--watch", "0.2"});
  ASSERT_TRUE(eventually(
      [&] {
        const std::string out = watch.out();
        return std::count(out.begin(), out.end(), '\n') >= 3;
      },
      15s));
  EXPECT_EQ(watch.stop(), 0);
  std::istringstream lines(watch.out());
  std::string line;
  long long last = -1;
  int docs = 0;
  while (std::getline(lines, line)) {
    const Json j = parse_json(line);
    EXPECT_GE(j["published"].integer(), last);
    last = j["published"].integer();
    ++docs;
  }
  EXPECT_GE(docs, 3);
}

}  // namespace
}  // namespace tickshm::test
