// The bridge end to end (label cluster): a private nats-server, the real tickshm-feed, bridge out,
// bridge in into another local segment, and a real tickshm-algo reading the bridged segment.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include "nats_link.hpp"
#include "nats_server.hpp"
#include "test_support.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/names.hpp"
#include "tickshm/segment.hpp"
#include "wire.hpp"

namespace tickshm::test {
namespace {

using namespace std::chrono_literals;

// The hostile-message test opens a NATS connection here: release the library at exit (leak checkers).
class NatsLibraryEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { bridge::close_nats_library(); }
};
const auto* const kNatsEnvironment = ::testing::AddGlobalTestEnvironment(new NatsLibraryEnvironment);

class BridgeClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = NatsServer::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    ASSERT_TRUE(nats_.start()) << "nats-server did not start:\n" << nats_.log();
    up_ = unique_segment("up");
    down_ = unique_segment("down");
    up_guard_ = std::make_unique<ShmGuard>(up_);
    down_guard_ = std::make_unique<ShmGuard>(down_);
  }

  Child start_in(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--segment", down_, "--nats", nats_.url(), "--reconnect-wait", "100"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"in", "--remote-feed", up_});
    return Child::spawn(bin_path("tickshm-bridge"), args);
  }
  Child start_out(std::vector<std::string> extra = {}, std::vector<std::string> out_flags = {}) {
    std::vector<std::string> args = {"--segment", up_, "--nats", nats_.url(), "--reconnect-wait", "100"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"out", "--wait", "block"});
    args.insert(args.end(), out_flags.begin(), out_flags.end());
    return Child::spawn(bin_path("tickshm-bridge"), args);
  }
  Child start_algo() {
    return Child::spawn(bin_path("tickshm-algo"), {"--segment", down_, "--strategy", "momentum", "--name",
                                                   "remote", "--wait", "block"});
  }
  Child start_feed(int rate, int count) {
    return Child::spawn(bin_path("tickshm-feed"),
                        {"--segment", up_, "--rate", std::to_string(rate), "--count", std::to_string(count),
                         "--symbols", "AAPL,MSFT,NVDA"});
  }

  std::optional<BridgeStatusSnapshot> status(const std::string& seg, BridgeDirection d) const {
    for (auto& s : read_bridge_statuses(seg))
      if (s.direction == d) return s;
    return std::nullopt;
  }
  std::optional<BridgeStatusSnapshot> in_status() const { return status(down_, BridgeDirection::kIn); }
  std::optional<BridgeStatusSnapshot> out_status() const { return status(up_, BridgeDirection::kOut); }
  std::optional<ReaderInfo> algo_reader() const {
    auto ctl = ControlView::open(down_, false);
    if (!ctl) return std::nullopt;
    for (auto& r : ctl->readers())
      if (r.name == "remote" && r.alive) return r;
    return std::nullopt;
  }
  // Both bridges connected, the in side subscribed (it updates its status only once subscribed).
  bool bridges_ready() const {
    auto i = in_status();
    auto o = out_status();
    return i && o && i->connected == 1 && o->connected == 1 && i->heartbeat_ns != 0;
  }
  std::string logs(Child& a, Child& b) {
    return "in:\n" + a.err() + "\nout:\n" + b.err() + "\nnats:\n" + nats_.log();
  }
  // The waits every test repeats, each failing with the bridges' logs.
  testing::AssertionResult ready(Child& in, Child& out) {
    if (eventually([&] { return bridges_ready(); }, 10s)) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "the bridges never connected\n" << logs(in, out);
  }
  testing::AssertionResult in_reaches(std::uint64_t n, Child& in, Child& out) {
    const bool ok = eventually(
        [&] {
          auto s = in_status();
          return s && s->ticks + s->lost_ticks >= n;
        },
        15s);
    if (ok) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "in never accounted for " << n << " ticks\n" << logs(in, out);
  }
  testing::AssertionResult algo_reaches(std::uint64_t n) {
    const bool ok = eventually(
        [&] {
          auto r = algo_reader();
          return r && r->received + r->lost >= n;
        },
        15s);
    if (ok) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "the remote algo never accounted for " << n << " ticks";
  }

  NatsServer nats_;
  std::string up_, down_;
  std::unique_ptr<ShmGuard> up_guard_, down_guard_;
};

TEST_F(BridgeClusterTest, shouldDeliverEveryTickToARemoteAlgoWhenCarriedOverNats) {
  constexpr int kCount = 20'000;
  Child in = start_in();
  Child algo = start_algo();
  Child out = start_out();
  ASSERT_TRUE(ready(in, out));
  Child feed = start_feed(20'000, kCount);
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();

  ASSERT_TRUE(in_reaches(kCount, in, out));
  const auto s = *in_status();
  EXPECT_EQ(s.joined_at, 0u) << "the in side was there before the feed: it joins at tick 0";
  EXPECT_EQ(s.ticks + s.lost_ticks, static_cast<std::uint64_t>(kCount)) << "received + lost = published";
  EXPECT_EQ(s.lost_ticks, 0u) << "nothing is lost at 20k ticks/s on loopback";
  EXPECT_EQ(s.rejected, 0u);
  EXPECT_EQ(s.epochs, 1u);
  ASSERT_TRUE(algo_reaches(s.ticks));
  const auto r = *algo_reader();
  EXPECT_EQ(r.received + r.lost, s.ticks) << "the remote algo reads the bridged segment like any feed's";
  EXPECT_EQ(r.received, static_cast<std::uint64_t>(kCount));

  // tickshm-stat shows the bridge beside the readers, in text and JSON.
  const RunResult stat = run(bin_path("tickshm-stat"), {"--segment", down_, "--json"});
  ASSERT_EQ(stat.code, 0) << stat.err;
  const nlohmann::json j = nlohmann::json::parse(stat.out);
  ASSERT_EQ(j["bridges"].size(), 1u) << stat.out;
  EXPECT_EQ(j["bridges"][0]["direction"].get<std::string>(), "in");
  EXPECT_EQ(j["bridges"][0]["ticks"].get<long long>(), kCount);
  EXPECT_EQ(j["published"].get<long long>(), kCount);
  const RunResult dash = run(bin_path("tickshm-dash"), {"--segment", down_, "--snapshot", "--width", "220"});
  ASSERT_EQ(dash.code, 0) << dash.err;
  EXPECT_NE(dash.out.find("bridge in<-" + up_), std::string::npos) << dash.out;

  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
  EXPECT_TRUE(up_guard_->leftovers().empty()) << testing::PrintToString(up_guard_->leftovers());
  EXPECT_TRUE(down_guard_->leftovers().empty()) << testing::PrintToString(down_guard_->leftovers());
}

TEST_F(BridgeClusterTest, shouldCountAndDropHostileMessagesWhenSomeoneElsePublishes) {
  constexpr int kCount = 6'000;
  Child in = start_in();
  Child out = start_out();
  ASSERT_TRUE(ready(in, out));
  Child feed = start_feed(4'000, kCount);
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->upstream_epoch != 0 && s->ticks > 0;
      },
      10s))
      << logs(in, out);
  const std::uint64_t epoch = in_status()->upstream_epoch;

  bridge::NatsSettings settings;
  settings.servers = {nats_.url()};
  auto link = bridge::NatsLink::connect(settings);
  ASSERT_TRUE(link) << link.error().message;
  const std::string subject = "tickshm." + up_ + ".ticks";
  auto good = [&](std::string_view feed_name, std::uint64_t ep, std::uint32_t symbol) {
    std::vector<std::byte> b;
    bridge::begin_batch(b, feed_name, ep, 1ULL << 40, 0, 0);
    TickRecord t{};
    t.symbol = symbol;
    t.kind = 1;
    bridge::append_record(b, t);
    bridge::finish_batch(b, 0, 0);
    return b;
  };
  std::vector<std::vector<std::byte>> hostile;
  hostile.push_back(std::vector<std::byte>(200, std::byte{'x'}));  // wrong magic
  hostile.push_back(std::vector<std::byte>(10, std::byte{0}));     // short
  auto torn = good(up_, epoch, 0);
  torn.resize(torn.size() - 8);  // count does not fit
  hostile.push_back(torn);
  hostile.push_back(good(up_, epoch ^ 0x5555, 0));    // foreign epoch
  hostile.push_back(good("someone-else", epoch, 0));  // feed name mismatch
  hostile.push_back(good(up_, epoch, 99));            // symbol out of range
  for (const auto& m : hostile) ASSERT_TRUE(link->publish(subject, m));
  link->flush(1000);

  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->ticks + s->lost_ticks >= kCount && s->rejected >= hostile.size();
      },
      15s))
      << logs(in, out);
  const auto s = *in_status();
  EXPECT_EQ(s.rejected, hostile.size()) << logs(in, out);
  EXPECT_EQ(s.ticks + s.lost_ticks, static_cast<std::uint64_t>(kCount));
  auto dv = DataView::open(down_);
  ASSERT_TRUE(dv) << dv.error().message;
  EXPECT_EQ(dv->write_cursor(), s.ticks) << "nothing hostile reached the local segment";
  EXPECT_EQ(dv->epoch() != 0, true);
  EXPECT_NE(in.err().find("dropped a message"), std::string::npos) << in.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldReconnectAndCountTheGapWhenNatsServerIsKilledAndRestarted) {
  constexpr int kCount = 15'000;
  // A small reconnect buffer: what is published during the outage beyond it is lost, and must be counted.
  Child in = start_in();
  Child algo = start_algo();
  Child out = start_out({"--reconnect-buffer", "16"});
  ASSERT_TRUE(ready(in, out));
  Child feed = start_feed(5'000, kCount);
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->ticks > 2'000;
      },
      10s))
      << logs(in, out);
  nats_.kill();
  std::this_thread::sleep_for(700ms);
  ASSERT_TRUE(nats_.start()) << nats_.log();
  ASSERT_EQ(feed.wait_for(30s), 0) << "the feed must never be blocked by the bridge:\n" << feed.err();
  EXPECT_NE((feed.out() + feed.err()).find("published 15000 ticks"), std::string::npos)
      << feed.out() << feed.err();

  ASSERT_TRUE(in_reaches(kCount, in, out));
  const auto s = *in_status();
  const auto o = *out_status();
  EXPECT_EQ(s.ticks + s.lost_ticks, static_cast<std::uint64_t>(kCount)) << logs(in, out);
  EXPECT_GT(s.lost_ticks, 0u) << "an outage of 0.7 s at 5k ticks/s with a 16 KiB buffer loses ticks";
  EXPECT_GE(s.gaps, 1u);
  EXPECT_GE(s.reconnects, 1u);
  EXPECT_GE(o.reconnects, 1u);
  EXPECT_EQ(s.rejected, 0u);
  ASSERT_TRUE(algo_reaches(s.ticks));
  const auto r = *algo_reader();
  EXPECT_EQ(r.received + r.lost, s.ticks);
  EXPECT_TRUE(in.running()) << in.err();
  EXPECT_TRUE(out.running()) << out.err();
  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldStartANewLocalEpochWhenTheUpstreamFeedRestarts) {
  Child in = start_in();
  Child out = start_out();
  ASSERT_TRUE(ready(in, out));
  Child feed1 = start_feed(5'000, 2'000);
  ASSERT_EQ(feed1.wait_for(30s), 0) << feed1.err();
  ASSERT_TRUE(in_reaches(2'000, in, out));
  auto first = DataView::open(down_);
  ASSERT_TRUE(first) << first.error().message;
  const std::uint64_t local_epoch1 = first->epoch();
  const std::uint64_t upstream_epoch1 = in_status()->upstream_epoch;

  Child feed2 = start_feed(5'000, 3'000);
  ASSERT_EQ(feed2.wait_for(30s), 0) << feed2.err();
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->epochs == 2 && s->ticks + s->lost_ticks >= 5'000;
      },
      15s))
      << logs(in, out);
  const auto s = *in_status();
  EXPECT_NE(s.upstream_epoch, upstream_epoch1);
  EXPECT_EQ(s.ticks + s.lost_ticks, 5'000u) << "both epochs, every tick accounted for";
  EXPECT_EQ(s.joined_at, 0u);
  auto second = DataView::open(down_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->epoch(), local_epoch1) << "a new upstream epoch is a new local epoch";
  EXPECT_EQ(second->write_cursor() + (s.lost_ticks), 3'000u);
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldCarryOnlyTheChosenSymbolsWhenInTakesPerSymbolSubjects) {
  Child out = start_out({}, {"--per-symbol"});
  Child in = Child::spawn(bin_path("tickshm-bridge"), {"--segment", down_, "--nats", nats_.url(), "in",
                                                       "--remote-feed", up_, "--symbols", "NVDA,MSFT"});
  ASSERT_TRUE(ready(in, out));
  Child feed = Child::spawn(bin_path("tickshm-feed"), {"--segment", up_, "--rate", "6000", "--count", "6000",
                                                       "--symbols", "AAPL,MSFT,NVDA", "--keep"});
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  auto up = DataView::open(up_);
  ASSERT_TRUE(up) << up.error().message;
  Quote msft, nvda;
  ASSERT_TRUE(up->read_quote(1, msft));
  ASSERT_TRUE(up->read_quote(2, nvda));
  const std::uint64_t want = msft.tick_count + nvda.tick_count;
  ASSERT_TRUE(in_reaches(want, in, out));
  const auto s = *in_status();
  EXPECT_EQ(s.ticks + s.lost_ticks, want) << "per symbol stream: received + lost = published";
  auto down = DataView::open(down_);
  ASSERT_TRUE(down) << down.error().message;
  ASSERT_EQ(down->symbol_count(), 2u);
  EXPECT_EQ(down->symbol_name(0), "MSFT") << "the local directory keeps the upstream order";
  EXPECT_EQ(down->symbol_name(1), "NVDA");
  EXPECT_EQ(s.lost_ticks, 0u);
  Quote local_nvda;
  ASSERT_TRUE(down->read_quote(1, local_nvda));
  EXPECT_EQ(local_nvda.tick_count, nvda.tick_count);
  EXPECT_EQ(local_nvda.last, nvda.last) << "the local board ends where the upstream one did";
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldAuthenticateWithSecretsFromFileAndEnvironmentWhenTheServerRequiresThem) {
  nats_.kill();
  nats_.set_args({"--user", "tick", "--pass", "s3cret-pw"});
  ASSERT_TRUE(nats_.start()) << nats_.log();
  const std::string pw_file = "/tmp/" + up_ + ".pw";
  {
    std::ofstream f(pw_file);
    f << "s3cret-pw\n";
  }
  Child in = Child::spawn(bin_path("tickshm-bridge"),
                          {"--segment", down_, "--nats", nats_.url(), "--user", "tick", "--password",
                           "env:TICKSHM_TEST_PW", "in", "--remote-feed", up_},
                          {"TICKSHM_TEST_PW=s3cret-pw"});
  Child out = Child::spawn(bin_path("tickshm-bridge"), {"--segment", up_, "--nats", nats_.url(), "--user",
                                                        "tick", "--password", "file:" + pw_file, "out"});
  ASSERT_TRUE(ready(in, out));
  Child feed = start_feed(5'000, 2'000);
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(in_reaches(2'000, in, out));
  EXPECT_EQ(in_status()->ticks, 2'000u);
  EXPECT_EQ(in.err().find("s3cret"), std::string::npos) << "a secret in the log";

  const std::string other = unique_segment("wrongpw");
  ShmGuard other_guard(other);
  const RunResult wrong = run(bin_path("tickshm-bridge"),
                              {"--segment", other, "--nats", nats_.url(), "--user", "tick", "--password",
                               "file:" + pw_file + ".missing", "out"},
                              10s);
  EXPECT_EQ(wrong.code, 2) << wrong.err;  // an unreadable secret file is bad input
  {
    std::ofstream f(pw_file);
    f << "wrong\n";
  }
  const RunResult refused = run(
      bin_path("tickshm-bridge"),
      {"--segment", other, "--nats", nats_.url(), "--user", "tick", "--password", "file:" + pw_file, "out"},
      10s);
  EXPECT_EQ(refused.code, 1) << refused.err;
  EXPECT_NE(refused.err.find("closed"), std::string::npos) << refused.err;
  std::remove(pw_file.c_str());
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldCarryTicksOverTlsWhenTheServerRequiresIt) {
  if (!std::filesystem::exists("/usr/bin/openssl"))
    GTEST_SKIP() << "openssl is not installed (test certificates)";
  const std::string dir = "/tmp/tickshm-tls-" + up_;
  std::filesystem::create_directories(dir);
  const std::string script =
      "cd " + dir +
      " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out "
      "ca.pem -days 1 "
      "-subj /CN=tickshm-test-ca && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
      "-keyout srv.key -out srv.csr "
      "-subj /CN=127.0.0.1 && printf 'subjectAltName=IP:127.0.0.1\\n' > ext && openssl x509 -req -in srv.csr "
      "-CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 -extfile ext";
  const RunResult gen = run("/bin/sh", {"-c", script}, 60s);
  ASSERT_EQ(gen.code, 0) << gen.err;
  nats_.kill();
  nats_.set_args({"--tls", "--tlscert", dir + "/srv.pem", "--tlskey", dir + "/srv.key"});
  ASSERT_TRUE(nats_.start()) << nats_.log();
  const std::string url = "tls://127.0.0.1:" + std::to_string(nats_.port());
  Child in = Child::spawn(bin_path("tickshm-bridge"), {"--segment", down_, "--nats", url, "--tls-ca",
                                                       dir + "/ca.pem", "in", "--remote-feed", up_});
  Child out = Child::spawn(bin_path("tickshm-bridge"),
                           {"--segment", up_, "--nats", url, "--tls-ca", dir + "/ca.pem", "out"});
  ASSERT_TRUE(ready(in, out));
  Child feed = start_feed(5'000, 2'000);
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(in_reaches(2'000, in, out));
  EXPECT_EQ(in_status()->ticks, 2'000u);
  // Without TLS the server refuses the connection: the bridge says so and exits 1.
  const std::string other = unique_segment("plain");
  ShmGuard other_guard(other);
  const RunResult plain =
      run(bin_path("tickshm-bridge"),
          {"--segment", other, "--nats", "nats://127.0.0.1:" + std::to_string(nats_.port()), "out"}, 10s);
  EXPECT_EQ(plain.code, 1) << plain.err;
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
  std::filesystem::remove_all(dir);
}

TEST_F(BridgeClusterTest, shouldNeverSlowTheFeedWhenTheOutBridgeIsStopped) {
  constexpr int kCount = 200'000;
  Child in = start_in();
  Child out = start_out();
  ASSERT_TRUE(ready(in, out));
  Child feed = Child::spawn(bin_path("tickshm-feed"),
                            {"--segment", up_, "--rate", "200000", "--count", std::to_string(kCount),
                             "--ring-capacity", "4096", "--symbols", "AAPL,MSFT"});
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->ticks > 0;
      },
      10s))
      << logs(in, out);
  out.signal(SIGSTOP);  // a bridge that cannot keep up at all
  ASSERT_EQ(feed.wait_for(30s), 0) << "the feed was held back by a stopped bridge:\n" << feed.err();
  out.signal(SIGCONT);
  ASSERT_TRUE(in_reaches(kCount, in, out));
  const auto s = *in_status();
  EXPECT_EQ(s.ticks + s.lost_ticks, static_cast<std::uint64_t>(kCount));
  EXPECT_GT(s.lost_ticks, 0u) << "the stopped bridge was lapped: its loss is the in side's gap";
  ASSERT_TRUE(eventually(
      [&] {
        auto o = out_status();  // written every 100 ms: a value read mid-catch-up is partial
        return o && o->lost_ticks >= s.lost_ticks;
      },
      5s));
  EXPECT_EQ(out_status()->lost_ticks, s.lost_ticks)
      << "what out was lapped by is exactly what in counts lost";
  EXPECT_NE(out.err().find("lapped by the feed"), std::string::npos) << out.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldStartAndStopABridgeWithTheSuiteWhenTheLauncherIsGivenNats) {
  const std::string run_dir = "/tmp/tickshm-launch-" + up_;
  const std::vector<std::string> env = {"TICKSHM_RUN_DIR=" + run_dir,
                                        "TICKSHM_BIN_DIR=" + std::string(TICKSHM_BIN_DIR)};
  auto launch = [&](const std::vector<std::string>& args) {
    Child c = Child::spawn(source_path("scripts/launch.sh"), args, env);
    const auto code = c.wait_for(60s);
    return std::make_pair(code.value_or(-1), c.out() + c.err());
  };
  const auto refused = launch({"start", "--segment", up_, "--headless", "--algos", "none", "--nats",
                               nats_.url(), "--nats-arg=--password=hunter2"});
  EXPECT_EQ(refused.first, 2) << refused.second;
  EXPECT_FALSE(DataView::open(up_)) << "nothing starts on a refused command line";

  const auto started = launch({"start", "--segment", up_, "--headless", "--algos", "none", "--rate", "2000",
                               "--nats", nats_.url(), "--nats-arg=--per-symbol"});
  ASSERT_EQ(started.first, 0) << started.second;
  EXPECT_NE(started.second.find("bridge out started"), std::string::npos) << started.second;
  EXPECT_TRUE(eventually(
      [&] {
        auto o = out_status();
        return o && o->connected == 1 && o->ticks > 0;
      },
      10s))
      << started.second;
  const auto stopped = launch({"stop"});
  EXPECT_EQ(stopped.first, 0) << stopped.second;
  EXPECT_NE(stopped.second.find("bridge"), std::string::npos) << stopped.second;
  EXPECT_TRUE(up_guard_->leftovers().empty()) << testing::PrintToString(up_guard_->leftovers());
  std::filesystem::remove_all(run_dir);
}

TEST_F(BridgeClusterTest, shouldFailOverAndAccountExactlyWhenOneNodeOfAThreeNodeClusterIsKilled) {
  // Three nodes on loopback, routed to each other; both bridges start on node 0 and know all three.
  std::vector<std::unique_ptr<NatsServer>> nodes;
  std::vector<int> routes;
  for (std::size_t i = 0; i < 3; ++i) {
    nodes.push_back(std::make_unique<NatsServer>());
    routes.push_back(NatsServer::free_port());
  }
  for (std::size_t i = 0; i < 3; ++i) {
    std::string others;
    for (std::size_t j = 0; j < 3; ++j)
      if (j != i)
        others += (others.empty() ? "" : ",") + std::string("nats://127.0.0.1:") + std::to_string(routes[j]);
    nodes[i]->set_args({"--cluster", "nats://127.0.0.1:" + std::to_string(routes[i]), "--cluster_name",
                        "t" + up_, "--routes", others});
    ASSERT_TRUE(nodes[i]->start()) << nodes[i]->log();
  }
  const std::string urls = nodes[0]->url() + "," + nodes[1]->url() + "," + nodes[2]->url();
  // Subscriptions propagate over the routes: wait until the mesh is complete.
  ASSERT_TRUE(eventually(
      [&] {
        int n = 0;
        for (auto& node : nodes)
          n += static_cast<int>(node->log().find("Route connection created") != std::string::npos ||
                                node->log().find("route connection created") != std::string::npos);
        return n == 3;
      },
      10s))
      << nodes[0]->log();
  constexpr int kCount = 12'000;
  Child in = Child::spawn(bin_path("tickshm-bridge"), {"--segment", down_, "--nats", urls, "--reconnect-wait",
                                                       "100", "in", "--remote-feed", up_});
  Child algo = start_algo();
  Child out = Child::spawn(bin_path("tickshm-bridge"), {"--segment", up_, "--nats", urls, "--reconnect-wait",
                                                        "100", "out", "--wait", "block"});
  ASSERT_TRUE(ready(in, out));
  std::this_thread::sleep_for(300ms);  // the in side's interest reaches every node
  Child feed = start_feed(4'000, kCount);
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->ticks > 2'000;
      },
      10s))
      << logs(in, out);
  nodes[0]->kill();
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(in_reaches(kCount, in, out));
  const auto s = *in_status();
  EXPECT_EQ(s.ticks + s.lost_ticks, static_cast<std::uint64_t>(kCount)) << logs(in, out);
  EXPECT_GE(s.reconnects, 1u);
  EXPECT_GE(out_status()->reconnects, 1u);
  EXPECT_EQ(s.connected, 1u) << "reconnected to a surviving node";
  EXPECT_GT(s.ticks, static_cast<std::uint64_t>(kCount) / 2) << "the stream went on after the fail-over";
  ASSERT_TRUE(algo_reaches(s.ticks));
  EXPECT_EQ(algo_reader()->received + algo_reader()->lost, s.ticks);
  std::cout << "3-node fail-over: wrote " << s.ticks << ", lost " << s.lost_ticks << " in " << s.gaps
            << " gaps\n";
  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
}

TEST_F(BridgeClusterTest, shouldLoseNothingAcrossAKilledServerAndReplayToALateHostWhenJetStreamKeepsIt) {
  const std::string store = "/tmp/tickshm-js-" + up_;
  nats_.kill();
  nats_.set_args({"-js", "-sd", store});
  ASSERT_TRUE(nats_.start()) << nats_.log();
  const std::string stream = "T" + std::to_string(::getpid());
  Child in =
      Child::spawn(bin_path("tickshm-bridge"), {"--segment", down_, "--nats", nats_.url(), "--reconnect-wait",
                                                "100", "--jetstream", stream, "in", "--remote-feed", up_});
  Child out = Child::spawn(
      bin_path("tickshm-bridge"),
      {"--segment", up_, "--nats", nats_.url(), "--reconnect-wait", "100", "--jetstream", stream, "out"});
  Child algo = start_algo();
  ASSERT_TRUE(ready(in, out));
  constexpr int kCount = 10'000;
  Child feed = start_feed(5'000, kCount);
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->ticks > 2'000;
      },
      10s))
      << logs(in, out);
  nats_.kill();  // SIGKILL: what the server had not stored is sent again by out (no ack came)
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(nats_.start()) << nats_.log();
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(in_reaches(kCount, in, out));
  const auto live = *in_status();
  EXPECT_EQ(live.ticks + live.lost_ticks, static_cast<std::uint64_t>(kCount)) << logs(in, out);
  EXPECT_EQ(live.lost_ticks, 0u) << "JetStream with acks: a killed server costs nothing\n" << logs(in, out);
  EXPECT_EQ(live.ticks, static_cast<std::uint64_t>(kCount));
  EXPECT_GE(live.reconnects, 1u);
  EXPECT_EQ(live.rejected, 0u);
  ASSERT_TRUE(algo_reaches(live.ticks));
  const auto r = *algo_reader();
  EXPECT_EQ(r.received, static_cast<std::uint64_t>(kCount)) << "received == published at the remote algo";
  EXPECT_EQ(r.lost, 0u);

  // A late host replays the stream from its first message: the same epoch, the same ticks.
  const std::string late = unique_segment("late");
  ShmGuard late_guard(late);
  Child in2 =
      Child::spawn(bin_path("tickshm-bridge"), {"--segment", late, "--nats", nats_.url(), "--jetstream",
                                                stream, "in", "--remote-feed", up_, "--start-seq", "1"});
  ASSERT_TRUE(eventually(
      [&] {
        auto s = status(late, BridgeDirection::kIn);
        return s && s->ticks + s->lost_ticks >= kCount;
      },
      15s))
      << in2.err();
  const auto replay = *status(late, BridgeDirection::kIn);
  EXPECT_EQ(replay.joined_at, 0u);
  EXPECT_EQ(replay.ticks, live.ticks) << "the stream holds what the live host received";
  EXPECT_EQ(replay.lost_ticks, live.lost_ticks);
  EXPECT_EQ(replay.upstream_epoch, live.upstream_epoch);
  auto dv = DataView::open(late);
  ASSERT_TRUE(dv) << dv.error().message;
  EXPECT_EQ(dv->write_cursor(), replay.ticks);
  std::cout << "JetStream: live host wrote " << live.ticks << " lost " << live.lost_ticks << " ("
            << live.duplicates << " duplicates dropped); late host replayed " << replay.ticks << "\n";
  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(in2.stop(), 0) << in2.err();
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
  const std::string out_log = out.err();
  const std::size_t at = out_log.find(" sent again, ");  // "JetStream: N batches acknowledged, ..."
  ASSERT_NE(at, std::string::npos) << out_log;
  const std::size_t bol = out_log.rfind('\n', at) + 1;
  std::cout << "out: " << out_log.substr(bol, out_log.find('\n', at) - bol) << "\n";
  nats_.kill();
  std::filesystem::remove_all(store);
}

TEST_F(BridgeClusterTest, shouldShowEveryQuoteOfTheSnapshotAndHonourTheModeWhenInJoinsAfterTheFeedTicked) {
  // A replay in which OLD ticks twice at the start and then only NEW ticks, for ~2.5 s.
  const std::string csv = "/tmp/" + up_ + ".csv";
  constexpr int kNewRows = 2'500;
  {
    std::ofstream f(csv);
    f << "timestamp,symbol,bid,ask,last,size,bid_size,ask_size\n";
    const long long t0 = 1'704'205'800'000'000'000LL;
    f << t0 << ",OLD,10.00,10.02,,,200,300\n";
    f << t0 + 1'000'000 << ",OLD,10.00,10.02,10.01,300,200,300\n";
    for (int i = 0; i < kNewRows; ++i) {
      const int cents = 5'000 + (i * 7) % 97;
      f << t0 + 2'000'000 + 1'000'000LL * i << ",NEW," << cents / 100 << '.' << (cents % 100 < 10 ? "0" : "")
        << cents % 100 << ',' << (cents + 2) / 100 << '.' << ((cents + 2) % 100 < 10 ? "0" : "")
        << (cents + 2) % 100 << ',';
      if (i % 3 == 0)
        f << cents / 100 << '.' << (cents % 100 < 10 ? "0" : "") << cents % 100 << ",100";
      else
        f << ',';
      f << ",100,100\n";
    }
  }
  constexpr std::uint64_t kTotal = kNewRows + 2;
  Child out = start_out({"--mode", "0640"});
  Child feed = Child::spawn(bin_path("tickshm-feed"), {"--segment", up_, "--replay", csv, "--keep"});
  ASSERT_TRUE(eventually(
      [&] {
        auto o = out_status();
        return o && o->ticks > 300;
      },
      10s))
      << out.err() << feed.err();
  Child in = start_in({"--mode", "0640"});  // joins mid-epoch: OLD's ticks are behind it
  ASSERT_EQ(feed.wait_for(30s), 0) << feed.err();
  ASSERT_TRUE(eventually(
      [&] {
        auto s = in_status();
        return s && s->joined_at > 0 && s->joined_at + s->ticks + s->lost_ticks >= kTotal;
      },
      15s))
      << logs(in, out);
  const auto s = *in_status();
  EXPECT_EQ(s.joined_at + s.ticks + s.lost_ticks, kTotal);
  EXPECT_EQ(s.lost_ticks, 0u);

  auto up = DataView::open(up_);
  ASSERT_TRUE(up) << up.error().message;
  auto down = DataView::open(down_);
  ASSERT_TRUE(down) << down.error().message;
  ASSERT_EQ(down->symbol_count(), 2u);
  ASSERT_EQ(down->symbol_name(0), "OLD");
  Quote old_up, old_down, new_up, new_down;
  ASSERT_TRUE(up->read_quote(0, old_up));
  ASSERT_TRUE(down->read_quote(0, old_down));
  ASSERT_TRUE(up->read_quote(1, new_up));
  ASSERT_TRUE(down->read_quote(1, new_down));
  EXPECT_EQ(old_down.tick_count, 2u) << "OLD ticked only before in joined: its quote comes from the snapshot";
  EXPECT_EQ(old_down.trade_count, 1u);
  EXPECT_EQ(old_down.last, old_up.last);
  EXPECT_EQ(old_down.bid, old_up.bid);
  EXPECT_EQ(old_down.ask, old_up.ask);
  EXPECT_EQ(old_down.volume, 300u);
  EXPECT_EQ(old_down.open, old_up.open);
  EXPECT_EQ(new_down.last, new_up.last) << "the board ends where the upstream one did";
  EXPECT_EQ(new_down.bid, new_up.bid);
  EXPECT_EQ(new_down.ask, new_up.ask);

  // --mode reaches every segment the bridges create: in's data segment (and its control segment, which
  // the group's readers write), and both status segments.
  const std::vector<std::pair<std::string, unsigned>> modes = {{data_segment_path(down_), 0640u},
                                                               {control_segment_path(down_), 0660u},
                                                               {bridge_status_path(down_, "in"), 0640u},
                                                               {bridge_status_path(up_, "out"), 0640u}};
  for (const auto& [path, mode] : modes) {
    struct stat st {};
    ASSERT_EQ(::stat(("/dev/shm" + path).c_str(), &st), 0) << path;
    EXPECT_EQ(st.st_mode & 0777, mode) << path;
  }
  EXPECT_EQ(in.stop(), 0) << in.err();
  EXPECT_EQ(out.stop(), 0) << out.err();
  std::remove(csv.c_str());
}

// scripts/two-hosts.sh: two network namespaces with their own /dev/shm, a 2-node NATS cluster across
// a veth pair; the script checks received + lost = published at every hop and leaves nothing behind.
class TwoHostsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network and mount namespaces)";
    if (const std::string why = NatsServer::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  }
  void run_script(const std::vector<std::string>& args, std::chrono::seconds timeout) {
    const RunResult r = run(source_path("scripts/two-hosts.sh"), args, timeout);
    if (r.code == 2) GTEST_SKIP() << "two-hosts.sh cannot run here: " << r.err;
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("received + lost = published at every hop: OK"), std::string::npos)
        << r.out << r.err;
    EXPECT_EQ(r.err.find("survived"), std::string::npos) << r.err;
    std::cout << r.out.substr(r.out.find("end-to-end"), 600) << "\n";
  }
};

TEST_F(TwoHostsTest, shouldAccountForEveryTickWhenTwoHostsShareANatsCluster) {
  run_script({"--count", "20000", "--rate", "10000"}, 90s);
}

TEST_F(TwoHostsTest, shouldAccountForEveryTickWhenTheLinkIsCutForTenSeconds) {
  run_script({"--count", "44000", "--rate", "4000", "--cut", "10"}, 120s);
}

TEST(BridgeCliTest, shouldExitWithUsageWhenTheCommandLineIsWrong) {
  const std::string bin = bin_path("tickshm-bridge");
  EXPECT_EQ(run(bin, {"--help"}).code, 0);
  const RunResult v = run(bin, {"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("tickshm"), std::string::npos);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"out"},                                                       // no --nats
           {"--nats", "nats://127.0.0.1:4222"},                           // no mode
           {"--nats", "http://127.0.0.1:4222", "out"},                    // bad scheme
           {"--nats", "nats://u:p@127.0.0.1:4222", "out"},                // credentials in the URL
           {"--nats", "nats://127.0.0.1:99999", "out"},                   // bad port
           {"--nats", "nats://127.0.0.1:4222", "in"},                     // no --remote-feed
           {"--nats", "nats://127.0.0.1:4222", "out", "--batch", "0"},    // batch out of range
           {"--nats", "nats://127.0.0.1:4222", "--mode", "0477", "out"},  // drops the owner's write bit
           {"--nats", "nats://127.0.0.1:4222", "--mode", "rw", "out"},    // not octal
           {"--nats", "nats://127.0.0.1:4222", "in", "--remote-feed", "a/b"},
           {"--nats", "nats://127.0.0.1:4222", "in", "--remote-feed", "x", "--symbols", "A B"},
           {"--nats", "nats://127.0.0.1:4222", "--user", "u", "--password", "file:/nonexistent/pw",
            "--segment", unique_segment("cli"), "in", "--remote-feed", "x"},
       }) {
    const RunResult r = run(bin, args, 10s);
    EXPECT_EQ(r.code, 2) << testing::PrintToString(args) << "\n" << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << testing::PrintToString(args);
  }
}

}  // namespace
}  // namespace tickshm::test
