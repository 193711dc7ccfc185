// tickshm-feed as a real process: CLI misuse, one writer per name, SIGTERM and --keep, ring and quote
// board contents, reproducibility across runs, replay of good and bad files, --verify, pause, config.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "csv_replay.hpp"
#include "test_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::feed {
namespace {

using namespace std::chrono_literals;
using test::Child;
using test::ShmGuard;

namespace fs = std::filesystem;

std::string feed_bin() {
  return test::bin_path("tickshm-feed");
}

class TempPath {
 public:
  explicit TempPath(const std::string& tag) {
    static int n = 0;
    path_ = (fs::temp_directory_path() /
             ("tickshm-feedp-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "-" + tag))
                .string();
  }
  ~TempPath() { std::remove(path_.c_str()); }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  void write(const std::string& text) const { std::ofstream(path_, std::ios::binary) << text; }

 private:
  std::string path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Waits until the feed's segment is live.
bool wait_live(const std::string& seg) {
  return test::eventually([&] {
    auto v = DataView::open(seg);
    return v.ok() && v->state() == SegmentState::kLive;
  });
}

TEST(FeedProcess, shouldPrintHelpAndVersionWhenAsked) {
  const auto help = test::run(feed_bin(), {"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* flag :
       {"--segment", "--symbols", "--symbols-file", "--num-symbols", "--rate", "--duration", "--count",
        "--seed", "--ring-capacity", "--mode", "--keep", "--replay", "--speed", "--on-bad-row", "--log-level",
        "--config", "--verify", "--record"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag << " missing from --help";
  }
  const auto version = test::run(feed_bin(), {"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("tickshm"), std::string::npos);
}

TEST(FeedProcess, shouldExitTwoWithOneLineWhenCliIsMisused) {
  const std::string seg = test::unique_segment("feed-cli");
  ShmGuard guard(seg);
  TempPath csv("ok.csv");
  csv.write("timestamp,symbol,bid,ask,last,size\n2024-01-02T14:30:00Z,AAPL,1.00,1.01,,\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--rate", "0"}, "--rate"},
      {{"--rate", "fast"}, "--rate"},
      {{"--ring-capacity", "1000"}, "power of two"},
      {{"--ring-capacity", "1"}, "power of two"},
      {{"--mode", "0400"}, "owner"},
      {{"--mode", "9z"}, "octal"},
      {{"--symbols", "AAPL,,MSFT"}, "empty symbol"},
      {{"--symbols", "AAPL", "--num-symbols", "3"}, "excludes"},
      {{"--num-symbols", "0"}, "num-symbols"},
      {{"--speed", "2"}, "requires"},
      {{"--replay", csv.path(), "--rate", "10"}, "excludes"},
      {{"--replay", csv.path(), "--on-bad-row", "maybe"}, "on-bad-row"},
      {{"--replay", "/nonexistent/file.csv"}, "replay"},
      {{"--count", "-5"}, "count"},
      {{"--segment", "../etc"}, "segment"},
      {{"--no-such-flag"}, "no-such-flag"},
  };
  for (const auto& [args, needle] : cases) {
    std::vector<std::string> a = {"--segment", seg};
    if (args.front() == "--segment") a.clear();
    a.insert(a.end(), args.begin(), args.end());
    const auto r = test::run(feed_bin(), a, 10s);
    std::string joined;
    for (const auto& s : args) joined += s + " ";
    EXPECT_EQ(r.code, 2) << joined << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1u) << joined << ": want one line, got:\n" << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << joined << ": '" << needle << "' not in: " << r.err;
  }
  EXPECT_TRUE(guard.leftovers().empty()) << "a refused start created segments";
}

TEST(FeedProcess, shouldExitTwoNamingPidWhenSecondFeedUsesSameName) {
  const std::string seg = test::unique_segment("feed-dup");
  ShmGuard guard(seg);
  Child first = Child::spawn(feed_bin(), {"--segment", seg, "--rate", "100"});
  ASSERT_TRUE(wait_live(seg)) << first.err();
  const auto second = test::run(feed_bin(), {"--segment", seg, "--rate", "100"}, 10s);
  EXPECT_EQ(second.code, 2) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;
  EXPECT_EQ(count_lines(second.err), 1u) << second.err;
  EXPECT_TRUE(first.running()) << "the second feed must not disturb the first";
  EXPECT_EQ(first.stop(), 0);
}

TEST(FeedProcess, shouldCloseWakeAndUnlinkWhenSigterm) {
  const std::string seg = test::unique_segment("feed-term");
  ShmGuard guard(seg);
  Child feed = Child::spawn(feed_bin(), {"--segment", seg, "--rate", "1000"});
  ASSERT_TRUE(wait_live(seg)) << feed.err();
  auto view = DataView::open(seg);  // keeps the mapping after the unlink, to see the final state
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(test::eventually([&] { return view->write_cursor() > 10; })) << feed.err();
  feed.signal(SIGTERM);
  const auto code = feed.wait_for(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << feed.err();
  EXPECT_EQ(view->state(), SegmentState::kClosed);
  EXPECT_TRUE(guard.leftovers().empty()) << "segments left behind";
  EXPECT_NE(feed.out().find("published " + std::to_string(view->write_cursor()) + " ticks"),
            std::string::npos)
      << feed.out();
  EXPECT_NE(feed.out().find("ticks/s"), std::string::npos);
}

TEST(FeedProcess, shouldLeaveClosedSegmentsWhenKeepIsGiven) {
  const std::string seg = test::unique_segment("feed-keep");
  ShmGuard guard(seg);
  Child feed = Child::spawn(feed_bin(), {"--segment", seg, "--rate", "500", "--keep"});
  ASSERT_TRUE(wait_live(seg)) << feed.err();
  feed.signal(SIGINT);
  ASSERT_EQ(feed.wait_for(10s), 0) << feed.err();
  EXPECT_EQ(guard.leftovers().size(), 2u);
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->state(), SegmentState::kClosed);
}

TEST(FeedProcess, shouldFillRingAndQuoteBoardWhenSimulating) {
  const std::string seg = test::unique_segment("feed-board");
  ShmGuard guard(seg);
  const auto r = test::run(feed_bin(), {"--segment", seg, "--rate", "max", "--count", "5000", "--keep",
                                        "--symbols", "AAPL,MSFT,ZZZZ", "--ring-capacity", "8192"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->write_cursor(), 5000u);
  ASSERT_EQ(view->symbol_count(), 3u);
  EXPECT_EQ(view->symbol_name(2), "ZZZZ");
  EXPECT_EQ(view->symbols()[0].reference_price, 1'850'000) << "AAPL from the default universe at $185";
  // The quote board agrees with the ring: per-symbol tick counts, volume, last trade and touch.
  std::vector<Quote> want(3);
  for (std::uint64_t s = 0; s < 5000; ++s) {
    const TickRecord& t = view->ring()[s];
    ASSERT_EQ(t.seq, seq_published(s));
    Quote& q = want[t.symbol];
    ++q.tick_count;
    q.bid = t.bid;
    q.ask = t.ask;
    if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade)) {
      q.last = t.price;
      q.volume += t.size;
      q.high = std::max<std::int64_t>(q.high, t.price);
    }
  }
  for (std::uint32_t i = 0; i < 3; ++i) {
    Quote q;
    ASSERT_TRUE(view->read_quote(i, q));
    EXPECT_EQ(q.tick_count, want[i].tick_count) << i;
    EXPECT_EQ(q.volume, want[i].volume) << i;
    EXPECT_EQ(q.last, want[i].last) << i;
    EXPECT_EQ(q.high, want[i].high) << i;
    EXPECT_EQ(q.bid, want[i].bid) << i;
    EXPECT_EQ(q.ask, want[i].ask) << i;
  }
}

TEST(FeedProcess, shouldPublishSameTicksByteForByteWhenSeedIsSame) {
  const std::string a = test::unique_segment("feed-seed-a"), b = test::unique_segment("feed-seed-b"),
                    c = test::unique_segment("feed-seed-c");
  ShmGuard ga(a), gb(b), gc(c);
  TempPath ra("a.csv"), rb("b.csv");
  const std::vector<std::string> common = {"--rate",          "max",  "--count", "20000", "--keep",
                                           "--ring-capacity", "32768"};
  auto args = [&](const std::string& seg, const std::string& seed, const std::string& rec) {
    std::vector<std::string> v = {"--segment", seg, "--seed", seed};
    v.insert(v.end(), common.begin(), common.end());
    if (!rec.empty()) v.insert(v.end(), {"--record", rec});
    return v;
  };
  ASSERT_EQ(test::run(feed_bin(), args(a, "7", ra.path())).code, 0);
  ASSERT_EQ(test::run(feed_bin(), args(b, "7", rb.path())).code, 0);
  ASSERT_EQ(test::run(feed_bin(), args(c, "8", "")).code, 0);
  const std::string csv_a = slurp(ra.path());
  EXPECT_EQ(count_lines(csv_a), 20002u);
  EXPECT_EQ(csv_a, slurp(rb.path())) << "recordings differ";
  auto va = DataView::open(a), vb = DataView::open(b), vc = DataView::open(c);
  ASSERT_TRUE(va.ok() && vb.ok() && vc.ok());
  std::uint64_t differ = 0;
  for (std::uint64_t s = 0; s < 20000; ++s) {
    // Everything but the publish stamp (wall clock) is the same, byte for byte.
    TickRecord x = va->ring()[s], y = vb->ring()[s], z = vc->ring()[s];
    x.publish_ns = y.publish_ns = z.publish_ns = 0;
    ASSERT_EQ(std::memcmp(&x, &y, sizeof x), 0) << "tick " << s;
    differ += std::memcmp(&x, &z, sizeof x) != 0 ? 1 : 0;
  }
  EXPECT_GT(differ, 19'000u) << "another seed gives other ticks";
}

TEST(FeedProcess, shouldReplayExampleIntoRingAndBoardWhenGivenCsv) {
  const std::string seg = test::unique_segment("feed-replay");
  ShmGuard guard(seg);
  const std::string path = test::source_path("data/example.csv");
  auto scan = scan_replay(path, BadRowPolicy::kFail, nullptr);
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  const auto r = test::run(feed_bin(), {"--segment", seg, "--replay", path, "--speed", "max", "--keep"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("stopped by end of input"), std::string::npos) << r.out;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->write_cursor(), scan->rows);
  ASSERT_EQ(view->symbol_count(), scan->symbols.size());
  auto src = ReplaySource::open(path, *scan);
  ASSERT_TRUE(src.ok());
  TickRecord want{};
  std::vector<std::uint64_t> ticks(scan->symbols.size(), 0);
  for (std::uint64_t s = 0; src->next(want); ++s) {
    const TickRecord& got = view->ring()[s];
    ASSERT_EQ(got.event_ns, want.event_ns) << s;
    ASSERT_EQ(got.symbol, want.symbol) << s;
    ASSERT_EQ(got.bid, want.bid) << s;
    ASSERT_EQ(got.price, want.price) << s;
    ++ticks[want.symbol];
  }
  for (std::uint32_t i = 0; i < view->symbol_count(); ++i) {
    Quote q;
    ASSERT_TRUE(view->read_quote(i, q));
    EXPECT_EQ(q.tick_count, ticks[i]) << view->symbol_name(i);
  }
}

TEST(FeedProcess, shouldPaceReplayBySpeedWhenSpeedIsGiven) {
  const std::string seg = test::unique_segment("feed-speed");
  ShmGuard guard(seg);
  TempPath csv("speed.csv");
  csv.write(
      "timestamp,symbol,bid,ask,last,size\n"
      "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,\n"
      "2024-01-02T14:30:02Z,AAPL,185.01,185.02,,\n"
      "2024-01-02T14:30:04Z,AAPL,185.02,185.03,185.02,100\n");
  const auto r = test::run(feed_bin(), {"--segment", seg, "--replay", csv.path(), "--speed", "4", "--keep"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->write_cursor(), 3u);
  // 4 s of market time at speed 4: the last tick is published ~1 s after the first (never sooner).
  const std::uint64_t span = view->ring()[2].publish_ns - view->ring()[0].publish_ns;
  EXPECT_GE(span, 990'000'000u);
}

TEST(FeedProcess, shouldReportFileLineColumnAndCreateNothingWhenReplayFileIsBad) {
  const std::string seg = test::unique_segment("feed-badcsv");
  ShmGuard guard(seg);
  struct Case {
    std::string text, where_and_why;
  };
  const std::string h = "timestamp,symbol,bid,ask,last,size\n";
  const std::string ok = "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,\n";
  const std::vector<Case> cases = {
      {"", ":1:1: no header line"},
      {"timestamp,symbol,bid,ask\n", ":1:25: header has no 'last' column"},
      {h + ok + "2024-01-02T14:30:01Z,AAPL,185.00\n", ":3:33: expected 6 fields"},
      {h + ok + "yesterday,AAPL,185.00,185.01,,\n", ":3:1: timestamp 'yesterday'"},
      {h + ok + "2024-01-02T14:29:00Z,AAPL,185.00,185.01,,\n",
       ":3:1: timestamp 2024-01-02T14:29:00.000000000Z is earlier"},
      {h + ok + "2024-01-02T14:30:01Z,TOO_LONG_A_SYMBOL,185.00,185.01,,\n",
       ":3:22: symbol 'TOO_LONG_A_SYMBOL' is longer"},
      {h + ok + "2024-01-02T14:30:01Z,AAPL,185.00,abc,,\n", ":3:34: ask: price 'abc'"},
      {h + ok + "2024-01-02T14:30:01Z,AAPL,185.05,185.01,,\n", ":3:34: crossed quote"},
      {h + ok + "2024-01-02T14:30:01Z,AAPL,185.00,185.01,185.00,1.5\n", ":3:48: size '1.5'"},
      {h + ok + "2024-01-02T14:30:01Z,AAPL,185.00,185.01,,100\n", ":3:41: a trade row needs a last price"},
  };
  for (const auto& c : cases) {
    TempPath f("bad.csv");
    f.write(c.text);
    const auto r = test::run(feed_bin(), {"--segment", seg, "--replay", f.path(), "--speed", "max"});
    EXPECT_EQ(r.code, 2) << c.where_and_why << "\n" << r.err;
    EXPECT_NE(r.err.find(f.path() + c.where_and_why), std::string::npos)
        << "want " << c.where_and_why << " in:\n"
        << r.err;
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_TRUE(guard.leftovers().empty()) << "a bad file created segments: " << c.where_and_why;
  }
}

TEST(FeedProcess, shouldSkipBadRowsWithWarningWhenOnBadRowIsSkip) {
  const std::string seg = test::unique_segment("feed-skip");
  ShmGuard guard(seg);
  TempPath f("skip.csv");
  f.write(
      "timestamp,symbol,bid,ask,last,size\n"
      "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,\n"
      "2024-01-02T14:30:01Z,AAPL,185.05,185.01,,\n"
      "2024-01-02T14:30:02Z,MSFT,375.00,375.01,375.00,100\n");
  const auto r = test::run(feed_bin(), {"--segment", seg, "--replay", f.path(), "--speed", "max",
                                        "--on-bad-row", "skip", "--keep"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(f.path() + ":3:34: crossed quote"), std::string::npos) << r.err;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->write_cursor(), 2u);
}

TEST(FeedProcess, shouldChecksumEveryTickWhenVerifyIsOn) {
  const std::string seg = test::unique_segment("feed-verify");
  ShmGuard guard(seg);
  const auto r =
      test::run(feed_bin(), {"--segment", seg, "--rate", "max", "--count", "3000", "--verify", "--keep"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->verify());
  for (std::uint64_t s = 0; s < 3000; ++s) {
    const TickRecord& t = view->ring()[s];
    ASSERT_NE(t.flags & kTickFlagChecksum, 0) << s;
    ASSERT_EQ(t.checksum, tick_checksum(s, t)) << s;
  }
  // Without --verify there is no checksum.
  const std::string seg2 = test::unique_segment("feed-noverify");
  ShmGuard guard2(seg2);
  ASSERT_EQ(test::run(feed_bin(), {"--segment", seg2, "--rate", "max", "--count", "10", "--keep"}).code, 0);
  auto plain = DataView::open(seg2);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->verify());
  EXPECT_EQ(plain->ring()[0].flags & kTickFlagChecksum, 0);
}

TEST(FeedProcess, shouldKeepHeartbeatWhilePausedBySigusr1) {
  const std::string seg = test::unique_segment("feed-pause");
  ShmGuard guard(seg);
  Child feed = Child::spawn(feed_bin(), {"--segment", seg, "--rate", "2000"});
  ASSERT_TRUE(wait_live(seg)) << feed.err();
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  feed.signal(SIGUSR1);
  std::this_thread::sleep_for(300ms);  // let the pause take effect (the loop checks every 50 ms)
  const std::uint64_t cursor = view->write_cursor();
  const std::uint64_t beat = view->heartbeat_ns();
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(view->write_cursor(), cursor) << "published while paused";
  EXPECT_GT(view->heartbeat_ns(), beat) << "no heartbeat while paused";
  EXPECT_LT(now_ns() - view->heartbeat_ns(), 300'000'000u);
  feed.signal(SIGUSR1);
  EXPECT_TRUE(test::eventually([&] { return view->write_cursor() > cursor + 100; })) << "did not resume";
  EXPECT_EQ(feed.stop(), 0);
}

TEST(FeedProcess, shouldLogStatsOnceASecondAndSummaryWhenRunningForDuration) {
  const std::string seg = test::unique_segment("feed-stats");
  ShmGuard guard(seg);
  const auto r = test::run(feed_bin(), {"--segment", seg, "--rate", "1000", "--duration", "2.5"}, 20s);
  ASSERT_EQ(r.code, 0) << r.err;
  std::size_t lines = 0;
  for (std::size_t p = r.err.find("readers attached"); p != std::string::npos;
       p = r.err.find("readers attached", p + 1))
    ++lines;
  EXPECT_GE(lines, 2u) << r.err;
  EXPECT_NE(r.err.find("slowest reader lag"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("stopped by duration"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out), 1u) << "the summary is one line: " << r.out;
}

TEST(FeedProcess, shouldReadOptionsFromConfigFileWhenGiven) {
  const std::string seg = test::unique_segment("feed-config");
  ShmGuard guard(seg);
  TempPath cfg("feed.toml");
  cfg.write("segment = \"" + seg + "\"\nrate = \"max\"\ncount = 1234\nsymbols = \"AAPL,KO\"\nkeep = true\n");
  const auto r = test::run(feed_bin(), {"--config", cfg.path()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->write_cursor(), 1234u);
  EXPECT_EQ(view->symbol_count(), 2u);
}

TEST(FeedProcess, shouldLoadSymbolsFileAndGeneratedNamesWhenAsked) {
  const std::string seg = test::unique_segment("feed-syms");
  ShmGuard guard(seg);
  TempPath syms("syms.txt");
  syms.write("# name, price, vol\nFOO,12.50,0.3\nBAR\n");
  ASSERT_EQ(test::run(feed_bin(), {"--segment", seg, "--symbols-file", syms.path(), "--count", "10", "--rate",
                                   "max", "--keep"})
                .code,
            0);
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->symbol_count(), 2u);
  EXPECT_EQ(view->symbol_name(0), "FOO");
  EXPECT_EQ(view->symbols()[0].reference_price, 125'000);

  syms.write("FOO\nFOO,x\n");
  const auto bad = test::run(feed_bin(), {"--segment", seg + "x", "--symbols-file", syms.path()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find(syms.path() + ":2:1: symbol 'FOO' is listed twice"), std::string::npos) << bad.err;

  const std::string seg2 = test::unique_segment("feed-gen");
  ShmGuard guard2(seg2);
  ASSERT_EQ(test::run(feed_bin(),
                      {"--segment", seg2, "--num-symbols", "500", "--count", "10", "--rate", "max", "--keep"})
                .code,
            0);
  auto gen = DataView::open(seg2);
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(gen->symbol_count(), 500u);
  EXPECT_EQ(gen->symbol_name(499), "SYM0500");
}

}  // namespace
}  // namespace tickshm::feed
