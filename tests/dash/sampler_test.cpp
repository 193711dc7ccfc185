// Tests of the dashboard's Sampler against real segments made in-process (Publisher, Subscriber,
// AlgoStatusWriter): WAITING -> LIVE -> CLOSED/DEAD -> LIVE on a new epoch, readers, algos, sparklines.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "sampler.hpp"
#include "test_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::dash {
namespace {

using test::ShmGuard;
using test::unique_segment;

constexpr SamplerOptions kEager{/*spark_period_ns=*/0, /*reopen_period_ns=*/0};

PublisherOptions feed_options(const std::string& seg) {
  PublisherOptions o;
  o.segment = seg;
  o.symbols = {{"AAPL", 1'000'000, 100}, {"MSFT", 2'000'000, 100}};
  o.ring_capacity = 1024;
  return o;
}

void trade(Publisher& p, std::uint32_t symbol, std::uint32_t price) {
  TickRecord t{};
  t.publish_ns = now_ns();
  t.event_ns = unix_now_ns();
  t.symbol = symbol;
  t.kind = static_cast<std::uint8_t>(TickKind::kTrade);
  t.bid = price - 100;
  t.ask = price + 100;
  t.price = price;
  t.size = 10;
  t.bid_size = 5;
  t.ask_size = 7;
  p.publish_and_wake(t);
  p.heartbeat(now_ns());
}

const SymbolRow& find(const Snapshot& s, const std::string& sym) {
  static const SymbolRow kMissing{};
  for (const auto& r : s.symbols) {
    if (r.symbol == sym) return r;
  }
  ADD_FAILURE() << sym << " is not in the snapshot";
  return kMissing;
}

TEST(SamplerTest, shouldShowWaitingWhenNoFeedThenLiveWhenItAppears) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  Sampler sampler(seg, kEager);
  Snapshot snap;
  sampler.sample(snap, now_ns());
  EXPECT_EQ(snap.feed.state, FeedState::kWaiting);
  EXPECT_NE(snap.feed.detail.find("/tickshm." + seg), std::string::npos) << snap.feed.detail;
  EXPECT_TRUE(snap.symbols.empty());

  auto pub = Publisher::create(feed_options(seg));
  ASSERT_TRUE(pub) << pub.error().message;
  trade(*pub, 0, 1'010'000);
  trade(*pub, 1, 1'990'000);
  sampler.sample(snap, now_ns());
  EXPECT_EQ(snap.feed.state, FeedState::kLive);
  EXPECT_EQ(snap.feed.epoch, pub->epoch());
  EXPECT_EQ(snap.feed.writer_pid, getpid());
  EXPECT_EQ(snap.feed.published, 2u);
  ASSERT_EQ(snap.symbols.size(), 2u);
  const SymbolRow& aapl = find(snap, "AAPL");
  EXPECT_EQ(aapl.last, 1'010'000);
  EXPECT_EQ(aapl.reference, 1'000'000);
  EXPECT_EQ(aapl.change(), 10'000);
  EXPECT_EQ(aapl.bid, 1'009'900);
  EXPECT_EQ(aapl.ask, 1'010'100);
  EXPECT_EQ(find(snap, "MSFT").change(), -10'000);
}

TEST(SamplerTest, shouldTrackFreshnessSparklineAndRateWhenPricesMove) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  auto pub = Publisher::create(feed_options(seg));
  ASSERT_TRUE(pub) << pub.error().message;
  trade(*pub, 0, 1'000'000);
  Sampler sampler(seg, kEager);
  Snapshot snap;
  const std::uint64_t t0 = now_ns();
  sampler.sample(snap, t0);
  EXPECT_FALSE(find(snap, "AAPL").fresh);  // first sight is not a change
  for (std::uint32_t i = 1; i <= 500; ++i) trade(*pub, 0, 1'000'000 + 100 * (i % 7));
  trade(*pub, 0, 1'005'000);
  sampler.sample(snap, t0 + 300'000'000ULL);
  const SymbolRow& aapl = find(snap, "AAPL");
  EXPECT_TRUE(aapl.fresh);
  EXPECT_EQ(aapl.spark.size(), 2u);
  EXPECT_EQ(aapl.spark.back(), 1'005'000);
  // 501 ticks in 0.3 s of (given) time
  EXPECT_NEAR(snap.feed.ticks_per_sec, 501.0 / 0.3, 1.0);
  sampler.sample(snap, t0 + 300'000'000ULL + kFreshNs + 1);
  EXPECT_FALSE(find(snap, "AAPL").fresh);
  EXPECT_EQ(find(snap, "AAPL").spark.size(), 3u);
  EXPECT_TRUE(find(snap, "MSFT").spark.empty());  // never quoted: no points
}

TEST(SamplerTest, shouldListReadersAndAlgosWithoutRegisteringItself) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  auto pub = Publisher::create(feed_options(seg));
  ASSERT_TRUE(pub) << pub.error().message;
  SubscriberOptions so;
  so.segment = seg;
  so.name = "test-reader";
  so.role = "algo";
  so.wait = WaitStrategy::kBlock;
  auto sub = Subscriber::create(so);
  ASSERT_TRUE(sub) << sub.error().message;
  ASSERT_TRUE(sub->try_attach()) << "subscriber could not attach";
  for (int i = 0; i < 10; ++i) trade(*pub, 0, 1'000'000);
  TickRecord t;
  int got = 0;
  while (got < 4 && sub->try_next(t)) ++got;
  sub->flush_stats();

  AlgoIdentity id;
  id.feed = seg;
  id.name = "algo-x";
  id.strategy = "momentum";
  auto algo = AlgoStatusWriter::create(id);
  ASSERT_TRUE(algo) << algo.error().message;
  AlgoTotals totals{};
  totals.orders = 5;
  totals.fills = 4;
  totals.realized = 30'000;
  totals.unrealized = -10'000;
  totals.total_pnl = 20'000;
  totals.halted = 1;
  totals.positions_held = 1;
  algo->update(totals, {}, {});

  Sampler sampler(seg, kEager);
  Snapshot snap;
  sampler.sample(snap, now_ns());
  ASSERT_EQ(snap.readers.size(), 1u);  // the sampler itself is not in the registry
  const ReaderRow& r = snap.readers[0];
  EXPECT_EQ(r.name, "test-reader");
  EXPECT_EQ(r.role, "algo");
  EXPECT_EQ(r.wait, "block");
  EXPECT_EQ(r.pid, getpid());
  EXPECT_EQ(r.state, ReaderState::kAlive);
  EXPECT_EQ(r.received, 4u);
  EXPECT_EQ(r.lag, 6u);
  ASSERT_EQ(snap.algos.size(), 1u);
  const AlgoRow& a = snap.algos[0];
  EXPECT_EQ(a.name, "algo-x");
  EXPECT_EQ(a.strategy, "momentum");
  EXPECT_TRUE(a.alive);
  EXPECT_TRUE(a.halted);
  EXPECT_EQ(a.total, 20'000);
  EXPECT_EQ(a.orders, 5u);
  EXPECT_EQ(a.fills, 4u);
}

TEST(SamplerTest, shouldShowClosedThenPickUpNewEpochWhenFeedRestarts) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  Sampler sampler(seg, kEager);
  Snapshot snap;
  std::uint64_t first_epoch = 0;
  {
    auto pub = Publisher::create(feed_options(seg));
    ASSERT_TRUE(pub) << pub.error().message;
    trade(*pub, 0, 1'000'000);
    sampler.sample(snap, now_ns());
    ASSERT_EQ(snap.feed.state, FeedState::kLive);
    first_epoch = snap.feed.epoch;
    pub->close();
    sampler.sample(snap, now_ns());
    EXPECT_EQ(snap.feed.state, FeedState::kClosed);
    EXPECT_EQ(snap.feed.ticks_per_sec, 0.0);
  }
  auto pub2 = Publisher::create(feed_options(seg));
  ASSERT_TRUE(pub2) << pub2.error().message;
  trade(*pub2, 1, 2'000'000);
  sampler.sample(snap, now_ns());
  EXPECT_EQ(snap.feed.state, FeedState::kLive);
  EXPECT_NE(snap.feed.epoch, first_epoch);
  EXPECT_EQ(snap.feed.epoch, pub2->epoch());
  EXPECT_EQ(find(snap, "MSFT").last, 2'000'000);
}

TEST(SamplerTest, shouldShowDeadWhenWriterKilledThenLiveOnNewEpoch) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  auto child = test::Child::fork_fn([seg] {
    auto pub = Publisher::create(feed_options(seg));
    if (!pub) return 3;
    trade(*pub, 0, 1'000'000);
    for (;;) {
      pub->heartbeat(now_ns());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  Sampler sampler(seg, kEager);
  Snapshot snap;
  ASSERT_TRUE(test::eventually([&] {
    sampler.sample(snap, now_ns());
    return snap.feed.state == FeedState::kLive;
  })) << "feed never came up: "
      << snap.feed.detail;
  const std::uint64_t first_epoch = snap.feed.epoch;
  EXPECT_EQ(snap.feed.writer_pid, child.pid());

  child.signal(SIGKILL);
  child.wait_for(std::chrono::seconds(5));
  EXPECT_TRUE(test::eventually([&] {
    sampler.sample(snap, now_ns());
    return snap.feed.state == FeedState::kDead;
  })) << feed_state_name(snap.feed.state);
  EXPECT_EQ(snap.feed.epoch, first_epoch);  // still showing the dead feed's last state
  EXPECT_EQ(find(snap, "AAPL").last, 1'000'000);

  auto pub = Publisher::create(feed_options(seg));  // replaces the dead writer's segments
  ASSERT_TRUE(pub) << pub.error().message;
  trade(*pub, 0, 1'100'000);
  sampler.sample(snap, now_ns());
  EXPECT_EQ(snap.feed.state, FeedState::kLive);
  EXPECT_NE(snap.feed.epoch, first_epoch);
  EXPECT_EQ(find(snap, "AAPL").last, 1'100'000);
}

TEST(SamplerTest, shouldShowStaleWhenWriterStoppedAndLiveWhenResumed) {
  const std::string seg = unique_segment("dash-sampler");
  ShmGuard guard(seg);
  auto child = test::Child::fork_fn([seg] {
    auto pub = Publisher::create(feed_options(seg));
    if (!pub) return 3;
    for (;;) {
      trade(*pub, 0, 1'000'000);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  Sampler sampler(seg, kEager);
  Snapshot snap;
  ASSERT_TRUE(test::eventually([&] {
    sampler.sample(snap, now_ns());
    return snap.feed.state == FeedState::kLive;
  }));
  child.signal(SIGSTOP);  // alive but silent: the heartbeat ages past 1 s
  EXPECT_TRUE(test::eventually([&] {
    sampler.sample(snap, now_ns());
    return snap.feed.state == FeedState::kStale;
  })) << feed_state_name(snap.feed.state);
  EXPECT_EQ(snap.feed.ticks_per_sec, 0.0);
  child.signal(SIGCONT);
  EXPECT_TRUE(test::eventually([&] {
    sampler.sample(snap, now_ns());
    return snap.feed.state == FeedState::kLive;
  })) << feed_state_name(snap.feed.state);
}

}  // namespace
}  // namespace tickshm::dash
