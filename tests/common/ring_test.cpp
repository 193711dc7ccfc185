// The ring in one process: publish/read, wrap-around, lapping with the exact lost count, the quote
// board, verify mode, and reader threads racing the writer (the case ThreadSanitizer checks).
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "common_fixture.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {

TEST(Ring, shouldReadEveryTickInOrderWhenReaderKeepsUp) {
  const std::string seg = unique_segment("ring");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 16));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  auto sub = Subscriber::create(subscriber_options(seg));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  TickRecord t{};
  EXPECT_FALSE(sub->try_next(t));  // nothing published yet
  // 100 ticks through a ring of 16: wraps six times, never lapped because we read after each publish.
  for (std::uint64_t s = 0; s < 100; ++s) {
    pub->publish(make_tick(s));
    ASSERT_TRUE(sub->try_next(t)) << s;
    EXPECT_EQ(t.seq, s);
    EXPECT_TRUE(tick_matches(t, s)) << s;
  }
  EXPECT_FALSE(sub->try_next(t));
  EXPECT_EQ(sub->received(), 100u);
  EXPECT_EQ(sub->lost(), 0u);
}

TEST(Ring, shouldCountExactlyTheTicksItLostWhenLapped) {
  const std::string seg = unique_segment("lap");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 8));
  ASSERT_TRUE(pub.ok());
  SubscriberOptions o = subscriber_options(seg);
  o.dense_margin = 0;  // drains a burst it has just published: read to the head (dense_test.cpp)
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  TickRecord t{};
  for (std::uint64_t s = 0; s < 3; ++s) pub->publish(make_tick(s));
  ASSERT_TRUE(sub->try_next(t));  // read tick 0, then fall far behind
  for (std::uint64_t s = 3; s < 50; ++s) pub->publish(make_tick(s));
  // Ring of 8 holds ticks 42..49; the reader at 1 lost 1..41 (oldest kept = 50 - 8 + 1 = 43 by the
  // conservative rule, since the writer may be rewriting the slot of tick 42).
  std::uint64_t first = 0;
  ASSERT_TRUE(sub->try_next(t));
  first = t.seq;
  EXPECT_TRUE(tick_matches(t, first));
  std::uint64_t got = 2;
  while (sub->try_next(t)) {
    EXPECT_TRUE(tick_matches(t, t.seq));
    ++got;
  }
  EXPECT_EQ(first, 43u);
  EXPECT_EQ(sub->received(), got);
  EXPECT_EQ(sub->received() + sub->lost(), pub->published());
  EXPECT_EQ(sub->lost(), 42u);
}

TEST(Ring, shouldStartAtTheLiveEdgeWhenJoiningARunningFeed) {
  const std::string seg = unique_segment("edge");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok());
  for (std::uint64_t s = 0; s < 10; ++s) pub->publish(make_tick(s));
  auto sub = Subscriber::create(subscriber_options(seg));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  EXPECT_EQ(sub->joined_at(), 10u);
  pub->publish(make_tick(10));
  TickRecord t{};
  ASSERT_TRUE(sub->try_next(t));
  EXPECT_EQ(t.seq, 10u);
}

TEST(Ring, shouldKeepTheLatestStateOfEachSymbolWhenTicksArePublished) {
  const std::string seg = unique_segment("quote");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok());
  TickRecord q{};
  q.symbol = 2;
  q.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  q.bid = 1000;
  q.ask = 1100;
  q.bid_size = 5;
  q.ask_size = 6;
  pub->publish(q);
  TickRecord tr = q;
  tr.kind = static_cast<std::uint8_t>(TickKind::kTrade);
  tr.price = 1050;
  tr.size = 300;
  pub->publish(tr);
  tr.price = 990;
  tr.size = 100;
  pub->publish(tr);
  tr.price = 1200;
  tr.publish_ns = 777;
  pub->publish(tr);
  q.bid_size = 7;  // a quote after the trades: sizes move, the trade fields stay
  q.publish_ns = 778;
  pub->publish(q);
  auto view = DataView::open(seg);
  ASSERT_TRUE(view.ok());
  Quote out;
  ASSERT_TRUE(view->read_quote(2, out));
  EXPECT_EQ(out.bid, 1000);
  EXPECT_EQ(out.ask, 1100);
  EXPECT_EQ(out.last, 1200);
  EXPECT_EQ(out.open, 1050);
  EXPECT_EQ(out.high, 1200);
  EXPECT_EQ(out.low, 990);
  EXPECT_EQ(out.volume, 500u);
  EXPECT_EQ(out.last_size, 100u);
  EXPECT_EQ(out.bid_size, 7u);
  EXPECT_EQ(out.ask_size, 6u);
  EXPECT_EQ(out.tick_count, 5u);
  EXPECT_EQ(out.trade_count, 3u);
  EXPECT_EQ(out.update_ns, 778u);
  EXPECT_EQ(view->symbol_name(2), "SYM2");
  ASSERT_TRUE(view->read_quote(0, out));
  EXPECT_EQ(out.tick_count, 0u);
  EXPECT_FALSE(view->read_quote(99, out));
}

TEST(Ring, shouldCarryAValidChecksumWhenVerifyIsOn) {
  const std::string seg = unique_segment("verify");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64, /*verify=*/true));
  ASSERT_TRUE(pub.ok());
  SubscriberOptions o = subscriber_options(seg);
  o.verify = true;
  o.dense_margin = 0;  // drains a burst it has just published: read to the head (dense_test.cpp)
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  for (std::uint64_t s = 0; s < 50; ++s) pub->publish(make_tick(s));
  TickRecord t{};
  while (sub->try_next(t)) {
    EXPECT_TRUE(t.flags & kTickFlagChecksum);
    EXPECT_EQ(t.checksum, tick_checksum(t.seq, t));
  }
  EXPECT_EQ(sub->received(), 50u);
  EXPECT_EQ(sub->verify_errors(), 0u);
}

TEST(Ring, shouldCountVerifyErrorsWhenFeedDoesNotStampChecksums) {
  const std::string seg = unique_segment("noverify");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64, /*verify=*/false));
  ASSERT_TRUE(pub.ok());
  SubscriberOptions o = subscriber_options(seg);
  o.verify = true;
  o.dense_margin = 0;  // drains a burst it has just published: read to the head (dense_test.cpp)
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  for (std::uint64_t s = 0; s < 5; ++s) pub->publish(make_tick(s));
  TickRecord t{};
  while (sub->try_next(t)) {
  }
  EXPECT_EQ(sub->verify_errors(), 5u);
}

TEST(Ring, shouldDropTicksWhoseSymbolIsOutOfRangeWhenPublished) {
  const std::string seg = unique_segment("badsym");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok());
  TickRecord t = make_tick(0);
  t.symbol = 1000;
  pub->publish(t);
  EXPECT_EQ(pub->published(), 0u);
}

// Writer thread and reader threads on the same segment: every tick a reader gets is whole, and
// received + lost = published. Under TSan this is the data-race check of the protocol.
TEST(Ring, shouldDeliverOnlyWholeTicksWhenReaderThreadsRaceTheWriter) {
  const std::string seg = unique_segment("race");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 256));
  ASSERT_TRUE(pub.ok());
#ifdef TICKSHM_SANITIZED
  constexpr std::uint64_t kTicks = 100'000;
#else
  constexpr std::uint64_t kTicks = 1'000'000;
#endif
  std::atomic<int> ready{0};
  struct Result {
    std::uint64_t received = 0, lost = 0, torn = 0;
  };
  std::vector<Result> results(3);
  std::vector<std::thread> readers;
  for (std::size_t r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      SubscriberOptions o = subscriber_options(seg, r == 0 ? WaitStrategy::kSpin : WaitStrategy::kAdaptive);
      o.from_start = true;
      auto sub = Subscriber::create(o);
      if (!sub.ok() || !sub->try_attach().ok()) return;
      ready.fetch_add(1);
      TickRecord t{};
      std::uint64_t last = 0;
      bool first = true;
      while (sub->received() + sub->lost() < kTicks) {
        if (sub->next(t, now_ns() + 2'000'000'000ULL) != Subscriber::Next::kTick) break;
        if (!tick_matches(t, t.seq) || (!first && t.seq <= last)) ++results[r].torn;
        last = t.seq;
        first = false;
      }
      results[r].received = sub->received();
      results[r].lost = sub->lost();
    });
  }
  while (ready.load() < 3) std::this_thread::yield();
  for (std::uint64_t s = 0; s < kTicks; ++s) {
    pub->publish(make_tick(s));
    if ((s & 63) == 63) pub->wake_sleepers();
  }
  pub->wake_sleepers();
  for (auto& th : readers) th.join();
  for (const Result& r : results) {
    EXPECT_EQ(r.torn, 0u);
    EXPECT_EQ(r.received + r.lost, kTicks);
    EXPECT_GT(r.received, 0u);
  }
}

namespace {

// Publishes ticks 0 and 1 stamped `stamp0` and `stamp1` and has `sub` read both: it is then caught up
// with a stream whose last gap is stamp1 - stamp0.
void catch_up(Publisher& pub, Subscriber& sub, std::uint64_t stamp0, std::uint64_t stamp1) {
  for (std::uint64_t s = 0; s < 2; ++s) {
    TickRecord t = make_tick(s);
    t.publish_ns = s == 0 ? stamp0 : stamp1;
    pub.publish(t);
  }
  TickRecord t{};
  ASSERT_EQ(sub.next(t), Subscriber::Next::kTick);
  ASSERT_EQ(sub.next(t), Subscriber::Next::kTick);
}

// The caught-up reader waits in next() while another thread runs `meanwhile` for `delay`, then publishes
// tick 2 (and wakes sleepers), then runs `meanwhile` for `watch_after` more. Returns how long next()
// took; checks it returned tick 2, whole.
std::uint64_t time_next_tick(
    Publisher& pub, Subscriber& sub, std::chrono::milliseconds delay,
    const std::function<void()>& meanwhile = [] {},
    std::chrono::milliseconds watch_after = std::chrono::milliseconds(0)) {
  std::thread writer([&] {
    auto run_meanwhile_for = [&](std::chrono::milliseconds d) {
      const auto until = std::chrono::steady_clock::now() + d;
      while (std::chrono::steady_clock::now() < until) {
        meanwhile();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    };
    run_meanwhile_for(delay);
    pub.publish(make_tick(2));
    pub.wake_sleepers();
    run_meanwhile_for(watch_after);
  });
  TickRecord t{};
  const std::uint64_t start = now_ns();
  EXPECT_EQ(sub.next(t, start + 60'000'000'000), Subscriber::Next::kTick);
  const std::uint64_t waited = now_ns() - start;
  writer.join();
  EXPECT_EQ(t.seq, 2u);
  EXPECT_TRUE(tick_matches(t, 2));
  EXPECT_EQ(sub.lost(), 0u);
  return waited;
}

}  // namespace

// A reader caught up with a dense stream (ticks stamped close together) waits dense_backoff_ns before
// looking at the head slot again, instead of pulling the line the writer is writing on every poll.
TEST(Ring, shouldPauseBeforeLookingAgainWhenCaughtUpWithADenseStream) {
  const std::string seg = unique_segment("dense");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  SubscriberOptions o = subscriber_options(seg);
  o.dense_backoff_ns = 200'000'000;  // 200 ms: unmistakable
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  catch_up(*pub, *sub, 1'000, 1'000);  // one stamp for both: as dense as a stream gets
  const std::uint64_t waited = time_next_tick(*pub, *sub, std::chrono::milliseconds(10));
  EXPECT_GE(waited, o.dense_backoff_ns) << "the reader looked again before its pause was over";
}

// Ticks stamped further apart than dense_backoff_ns: the reader polls the head without pausing.
TEST(Ring, shouldPollWithoutPausingWhenTheStreamIsSparse) {
  const std::string seg = unique_segment("sparse");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  SubscriberOptions o = subscriber_options(seg);
  o.dense_backoff_ns = 30'000'000'000;  // 30 s: a pause would show
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  catch_up(*pub, *sub, 1'000, 1'000 + 60'000'000'000);  // a minute apart: sparse against 30 s
  const std::uint64_t waited = time_next_tick(*pub, *sub, std::chrono::milliseconds(10));
  EXPECT_LT(waited, o.dense_backoff_ns) << "the reader paused on a sparse stream";
}

// A blocking reader caught up with a stream that is still dense a moment later (here: a tick within
// dense_backoff_ns) naps without announcing a sleep (its sleepers bit stays clear, so the writer has no
// wake-up system call to make), then reads what arrived meanwhile.
TEST(Ring, shouldNapWithoutAnnouncingASleepWhenABlockingReaderCatchesUpWithADenseStream) {
  const std::string seg = unique_segment("nap");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  SubscriberOptions o = subscriber_options(seg, WaitStrategy::kBlock);
  o.dense_backoff_ns = 100'000'000;  // the moment it looks again: 100 ms, so the test's tick is in it
  o.dense_nap_ns = 300'000'000;      // 300 ms: long enough to look at the sleepers word meanwhile
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  catch_up(*pub, *sub, 1'000, 1'000);
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok()) << ctl.error().message;
  bool announced = false;  // written by the writer thread only, read after it is joined
  // The tick comes 10 ms in, within the 100 ms look; the sleepers word is watched 200 ms more.
  const std::uint64_t waited = time_next_tick(
      *pub, *sub, std::chrono::milliseconds(10),
      [&] {
        if (observe(ctl->header().sleepers) != 0) announced = true;
      },
      std::chrono::milliseconds(200));
  EXPECT_FALSE(announced) << "the reader set its sleepers bit during a dense-stream nap";
  EXPECT_GE(waited, o.dense_nap_ns) << "the reader did not nap";
}

// A paced writer catching up after a stall publishes a short dense burst, then nothing for a while. A
// blocking reader caught up with that burst sleeps as usual, woken by the next tick: it does not nap
// as behind a flat-out writer. (Napping here made the ~1 % of ticks behind such bursts ~100 us late.)
TEST(Ring, shouldSleepInsteadOfNappingWhenADenseBurstHasEnded) {
  const std::string seg = unique_segment("burst");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  SubscriberOptions o = subscriber_options(seg, WaitStrategy::kBlock);
  o.dense_nap_ns = 30'000'000'000;  // 30 s: a nap would show
  auto sub = Subscriber::create(o);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  catch_up(*pub, *sub, 1'000, 1'000);  // the burst: one stamp for both
  const std::uint64_t waited = time_next_tick(*pub, *sub, std::chrono::milliseconds(10));
  EXPECT_LT(waited, 10'000'000'000u) << "the reader napped after a burst that had ended";
}

// Every slot held by a live reader: the next one is refused with kRegistryFull (and says so through
// its event handler while it keeps retrying), and gets a slot as soon as one is freed.
TEST(Registry, shouldReportRegistryFullAndRetryWhenEverySlotIsHeld) {
  const std::string seg = unique_segment("full");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  std::vector<Subscriber> holders;
  for (std::uint32_t i = 0; i < kReaderSlots; ++i) {
    auto sub = Subscriber::create(subscriber_options(seg));
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(sub->try_attach().ok()) << "slot " << i;
    holders.push_back(std::move(sub.value()));
  }
  auto extra = Subscriber::create(subscriber_options(seg));
  ASSERT_TRUE(extra.ok());
  const Status refused = extra->try_attach();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kRegistryFull);
  EXPECT_NE(refused.error().message.find("is full"), std::string::npos) << refused.error().message;

  std::vector<SubscriberEvent::Kind> events;
  extra->set_event_handler([&](const SubscriberEvent& e) { events.push_back(e.kind); });
  TickRecord t{};
  EXPECT_EQ(extra->next(t, now_ns() + 100'000'000), Subscriber::Next::kTimeout);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front(), SubscriberEvent::kRegistryFull);

  holders.pop_back();  // frees a slot
  pub->publish(make_tick(0));
  EXPECT_EQ(extra->next(t, now_ns() + 5'000'000'000), Subscriber::Next::kTick);
  EXPECT_TRUE(extra->attached());
}

}  // namespace tickshm::test
