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

#include <nlohmann/json.hpp>
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

nlohmann::json stat_json(const std::string& seg) {
  const auto r = stat({"--segment", seg, "--json"});
  EXPECT_TRUE(r.code && *r.code == 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* find_named(const nlohmann::json& arr, const std::string& name) {
  for (const auto& e : arr) {
    if (e.at("name").get<std::string>() == name) return &e;
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
  nlohmann::json j1;
  ASSERT_TRUE(eventually(
      [&] {
        const auto r = stat({"--segment", seg, "--json"});
        if (!r.code || *r.code != 0) return false;
        j1 = nlohmann::json::parse(r.out);
        const nlohmann::json* rd = find_named(j1.at("readers"), "stat-algo");
        const nlohmann::json* al = find_named(j1.at("algos"), "stat-algo");
        return rd != nullptr && al != nullptr && (*rd).at("received").get<long long>() > 0 &&
               (*al).at("ticks").get<long long>() > 0;
      },
      20s))
      << "feed: " << feed.err() << "\nalgo: " << algo.err();
  EXPECT_EQ(j1.at("segment").get<std::string>(), seg);
  EXPECT_EQ(j1.at("state").get<std::string>(), "LIVE");
  EXPECT_EQ(j1.at("writer_pid").get<long long>(), feed.pid());
  EXPECT_TRUE(j1.at("writer_alive").get<bool>());
  EXPECT_GT(j1.at("epoch").get<double>(), 0.0);
  EXPECT_EQ(j1.at("symbol_count").get<long long>(), 3);
  ASSERT_EQ(j1.at("symbols").size(), 3u);
  for (const auto& s : j1.at("symbols")) {
    EXPECT_GT(s.at("bid").get<long long>(), 0) << s.at("symbol").get<std::string>();
    EXPECT_GE(s.at("ask").get<long long>(), s.at("bid").get<long long>());
  }
  EXPECT_TRUE(j1.at("registry").at("present").get<bool>());

  // Wait long enough for the algo's counters to move (flushed about once a second), then compare.
  nlohmann::json j2;
  ASSERT_TRUE(eventually(
      [&] {
        j2 = stat_json(seg);
        const nlohmann::json* a1 = find_named(j1.at("readers"), "stat-algo");
        const nlohmann::json* a2 = find_named(j2.at("readers"), "stat-algo");
        // The latency summary reaches the registry about once a second.
        return a2 != nullptr &&
               (*a2).at("received").get<long long>() > (*a1).at("received").get<long long>() &&
               (*a2).at("p50_ns").get<long long>() > 0;
      },
      15s));
  EXPECT_GT(j2.at("published").get<long long>(), j1.at("published").get<long long>());
  EXPECT_EQ(j2.at("epoch").get<double>(), j1.at("epoch").get<double>());

  const nlohmann::json& rd = *find_named(j2.at("readers"), "stat-algo");
  EXPECT_EQ(rd.at("pid").get<long long>(), algo.pid());
  EXPECT_TRUE(rd.at("alive").get<bool>());
  EXPECT_EQ(rd.at("state").get<std::string>(), "alive");
  EXPECT_EQ(rd.at("role").get<std::string>(), "algo");
  const long long published = j2.at("published").get<long long>();
  // stat reads the registry before the write cursor: a reader's counters never exceed `published`.
  EXPECT_LE(rd.at("received").get<long long>() + rd.at("lost").get<long long>(), published);
  EXPECT_LE(rd.at("lag").get<long long>(), published);
  EXPECT_GT(rd.at("p50_ns").get<long long>(), 0);
  EXPECT_GE(rd.at("p99_ns").get<long long>(), rd.at("p50_ns").get<long long>());

  const nlohmann::json& al = *find_named(j2.at("algos"), "stat-algo");
  EXPECT_EQ(al.at("strategy").get<std::string>(), "mean-revert");
  EXPECT_EQ(al.at("pid").get<long long>(), algo.pid());
  EXPECT_TRUE(al.at("alive").get<bool>());
  EXPECT_LE(al.at("fills").get<long long>(), al.at("orders").get<long long>());
  EXPECT_EQ(al.at("pnl_total").get<long long>(),
            al.at("pnl_realized").get<long long>() + al.at("pnl_unrealized").get<long long>());
  EXPECT_LE(al.at("ticks").get<long long>(), published);
  const nlohmann::json& al1 = *find_named(j1.at("algos"), "stat-algo");
  EXPECT_GE(al.at("ticks").get<long long>(), al1.at("ticks").get<long long>());
  EXPECT_GE(al.at("orders").get<long long>(), al1.at("orders").get<long long>());

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
    return r.code && *r.code == 0 && nlohmann::json::parse(r.out).at("published").get<long long>() > 0;
  }));
  feed.signal(SIGKILL);
  feed.wait_for(5s);
  const std::string data_path = "/dev/shm/tickshm." + seg;
  const std::string before = file_bytes(data_path);
  const std::string ctl_before = file_bytes(data_path + ".ctl");

  nlohmann::json j;
  ASSERT_TRUE(eventually([&] {
    j = stat_json(seg);
    return j.at("state").get<std::string>() == "DEAD";
  })) << j.at("state").get<std::string>();
  EXPECT_FALSE(j.at("writer_alive").get<bool>());
  EXPECT_EQ(j.at("symbols").size(), 3u);
  const auto text = stat({"--segment", seg});
  ASSERT_TRUE(text.code);
  EXPECT_EQ(*text.code, 0);
  EXPECT_TRUE(contains(text.out, "state DEAD")) << text.out;
  EXPECT_EQ(file_bytes(data_path), before) << "tickshm-stat must never write to a segment";
  EXPECT_EQ(file_bytes(data_path + ".ctl"), ctl_before);

  const auto list = stat({"--list", "--json"});
  ASSERT_TRUE(list.code && *list.code == 0) << list.err;
  const nlohmann::json l = nlohmann::json::parse(list.out);
  const nlohmann::json* data = find_named(l.at("segments"), "tickshm." + seg);
  ASSERT_NE(data, nullptr) << list.out;
  EXPECT_EQ((*data).at("kind").get<std::string>(), "data");
  EXPECT_EQ((*data).at("status").get<std::string>(), "dead");
  EXPECT_FALSE((*data).at("writer_alive").get<bool>());

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
  nlohmann::json l;
  ASSERT_TRUE(eventually(
      [&] {
        const auto r = stat({"--list", "--json"});
        if (!r.code || *r.code != 0) return false;
        l = nlohmann::json::parse(r.out);
        // The algo may create its status segment before the feed creates its own, and each is
        // "creating" for a moment: wait until all three are live.
        for (const std::string& name :
             {"tickshm." + seg, "tickshm." + seg + ".ctl", "tickshm." + seg + ".algo.list-algo"}) {
          const nlohmann::json* e = find_named(l.at("segments"), name);
          if (e == nullptr || !(*e).at("writer_alive").get<bool>()) return false;
        }
        return true;
      },
      20s));
  for (const std::string& name :
       {"tickshm." + seg, "tickshm." + seg + ".ctl", "tickshm." + seg + ".algo.list-algo"}) {
    const nlohmann::json* e = find_named(l.at("segments"), name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_TRUE((*e).at("writer_alive").get<bool>()) << name;
    EXPECT_EQ((*e).at("feed").get<std::string>(), seg);
    EXPECT_GT((*e).at("size_bytes").get<long long>(), 0);
    EXPECT_EQ((*e).at("owner_uid").get<long long>(), static_cast<long long>(getuid()));
  }
  EXPECT_EQ(
      (*find_named(l.at("segments"), "tickshm." + seg + ".algo.list-algo")).at("writer_pid").get<long long>(),
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
    const nlohmann::json j = nlohmann::json::parse(line);
    EXPECT_GE(j.at("published").get<long long>(), last);
    last = j.at("published").get<long long>();
    ++docs;
  }
  EXPECT_GE(docs, 3);
}

}  // namespace
}  // namespace tickshm::test
