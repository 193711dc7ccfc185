// A reader of a dense stream keeps one to two dense_margins behind the head while the held-back ticks
// are young, so that it does not touch the lines a flat-out writer is about to write; it reads them
// once they are dense_hold_ns old, and reads sparse or slow streams to the head at once.
#include <memory>

#include "common_fixture.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

constexpr std::uint64_t kRing = 1024;  // a quarter is 256: the default margin (64) is not clamped
constexpr std::uint64_t kMargin = 64;

// Tick s stamped `base + s * apart`: the test decides how dense the stream is and how old it looks.
void publish_range(Publisher& pub, std::uint64_t from, std::uint64_t to, std::uint64_t base,
                   std::uint64_t apart) {
  for (std::uint64_t s = from; s < to; ++s) {
    TickRecord t = make_tick(s);
    t.publish_ns = base + s * apart;
    pub.publish(t);
  }
}

std::uint64_t drain(Subscriber& sub) {
  TickRecord t{};
  std::uint64_t n = 0;
  while (sub.try_next(t)) {
    EXPECT_EQ(t.seq, sub.cursor() - 1);
    EXPECT_TRUE(tick_matches(t, t.seq)) << t.seq;
    ++n;
  }
  return n;
}

struct Pair {
  std::unique_ptr<ShmGuard> guard;  // declared first: removes the segments after both are closed
  Publisher pub;
  Subscriber sub;
};

Pair open_pair(const std::string& tag, SubscriberOptions (*tweak)(SubscriberOptions)) {
  const std::string seg = unique_segment(tag);
  auto guard = std::make_unique<ShmGuard>(seg);
  auto pub = Publisher::create(publisher_options(seg, kRing));
  EXPECT_TRUE(pub.ok()) << pub.error().message;
  auto sub = Subscriber::create(tweak(subscriber_options(seg)));
  EXPECT_TRUE(sub.ok());
  EXPECT_TRUE(sub->try_attach().ok());
  return Pair{std::move(guard), std::move(pub.value()), std::move(sub.value())};
}

SubscriberOptions long_hold(SubscriberOptions o) {
  o.dense_hold_ns = 600'000'000'000;  // ten minutes: nothing is released by age during the test
  return o;
}

}  // namespace

TEST(DenseStream, shouldStayOneToTwoMarginsBehindTheWriterWhileItPublishesFlatOut) {
  Pair p = open_pair("margin", long_hold);
  const std::uint64_t base = now_ns();
  publish_range(p.pub, 0, 1000, base, 1);  // 1 ns apart: as dense as a stream gets
  const std::uint64_t first = drain(p.sub);
  EXPECT_LE(first, 1000 - kMargin) << "the reader went closer than the margin to the head";
  EXPECT_GE(first, 1000 - 2 * kMargin) << "the reader stayed further behind than two margins";
  publish_range(p.pub, 1000, 1300, base, 1);  // the writer moves on: so does the reader
  const std::uint64_t second = drain(p.sub);
  EXPECT_GE(second, 300 - kMargin);
  EXPECT_LE(first + second, 1300 - kMargin);
  EXPECT_GE(first + second, 1300 - 2 * kMargin);
  EXPECT_EQ(p.sub.received(), first + second);
  EXPECT_EQ(p.sub.lost(), 0u);
}

TEST(DenseStream, shouldReadTheHeldBackTicksOnceTheyAreOld) {
  Pair p = open_pair("hold", [](SubscriberOptions o) {
    o.dense_hold_ns = 20'000'000;  // 20 ms
    return o;
  });
  const std::uint64_t base = now_ns();
  publish_range(p.pub, 0, 1000, base, 1);
  const std::uint64_t held_at = drain(p.sub);  // well within 20 ms: the last ticks are held back
  ASSERT_LT(held_at, 1000u);
  TickRecord t{};
  for (std::uint64_t s = held_at; s < 1000; ++s) {
    ASSERT_EQ(p.sub.next(t, now_ns() + 10'000'000'000), Subscriber::Next::kTick) << s;
    ASSERT_EQ(t.seq, s);
    if (s == held_at) {
      // The first held-back tick comes only once the tick before it is dense_hold_ns old.
      EXPECT_GE(now_ns() - (base + s - 1), 20'000'000u) << "a held-back tick was read too early";
    }
  }
  EXPECT_EQ(p.sub.received(), 1000u);
  EXPECT_EQ(p.sub.lost(), 0u);
}

TEST(DenseStream, shouldReadToTheHeadWhenTheStreamIsSparse) {
  Pair p = open_pair("sparse", long_hold);
  publish_range(p.pub, 0, 1000, now_ns(), 10'000);  // 10 us apart: 100 k ticks/s
  EXPECT_EQ(drain(p.sub), 1000u);
}

TEST(DenseStream, shouldReadToTheHeadWhenFewerThanHalfAMarginAreWaiting) {
  const std::uint64_t base = now_ns();
  // A reader that has caught up with a dense stream keeps up tick by tick: nothing is held back.
  Pair q = open_pair("pingpong", long_hold);
  TickRecord t{};
  for (std::uint64_t s = 0; s < 200; ++s) {
    publish_range(q.pub, s, s + 1, base, 1);
    ASSERT_TRUE(q.sub.try_next(t)) << s;
    ASSERT_EQ(t.seq, s);
  }
  for (std::uint64_t s = 200; s < 200 + kMargin / 2 - 1; ++s) publish_range(q.pub, s, s + 1, base, 1);
  EXPECT_EQ(drain(q.sub), kMargin / 2 - 1) << "fewer than half a margin waiting were held back";
}

TEST(DenseStream, shouldReadToTheHeadWhenTheMarginIsOff) {
  Pair p = open_pair("off", [](SubscriberOptions o) {
    o = long_hold(o);
    o.dense_margin = 0;
    return o;
  });
  publish_range(p.pub, 0, 1000, now_ns(), 1);
  EXPECT_EQ(drain(p.sub), 1000u);
}

// A writer stamping ticks in the future (a bad clock, or a hostile writer) cannot make readers hold
// its ticks back: such a stamp reads as very old.
TEST(DenseStream, shouldNotHoldTicksStampedInTheFuture) {
  Pair p = open_pair("future", long_hold);
  publish_range(p.pub, 0, 1000, now_ns() + 3'600'000'000'000, 1);  // an hour ahead
  EXPECT_EQ(drain(p.sub), 1000u);
}

// A writer killed between its final sequence store and its cursor store leaves one tick published
// past its cursor. A dense reader must still take it, and then wait (a reader that found the head from
// the cursor once spun between "the slot is published" and "the cursor says there is nothing").
TEST(DenseStream, shouldTakeATickPublishedPastTheCursorAndThenWait) {
  Pair p = open_pair("past", long_hold);
  publish_range(p.pub, 0, 10, now_ns(), 1);
  auto& cursor = const_cast<DataHeader&>(p.pub.header()).write_cursor;  // NOLINT: the crash, simulated
  store_relaxed(cursor, std::uint64_t{9});
  TickRecord t{};
  for (std::uint64_t s = 0; s < 10; ++s) {
    ASSERT_EQ(p.sub.next(t, now_ns() + 10'000'000'000), Subscriber::Next::kTick) << s;
    ASSERT_EQ(t.seq, s);
  }
  EXPECT_EQ(p.sub.next(t, now_ns() + 20'000'000), Subscriber::Next::kTimeout);
}

// The margin is at most a quarter of the ring, so a small ring still lets the reader move.
TEST(DenseStream, shouldClampTheMarginToAQuarterOfASmallRing) {
  const std::string seg = unique_segment("small");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 16));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  auto sub = Subscriber::create(long_hold(subscriber_options(seg)));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  publish_range(*pub, 0, 16, now_ns(), 1);
  const std::uint64_t n = drain(*sub);
  EXPECT_LE(n, 16u - 16 / 4);
  EXPECT_GE(n, 16u - 2 * (16 / 4));
}

}  // namespace tickshm::test
