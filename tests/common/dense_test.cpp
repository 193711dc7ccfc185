// A reader of a dense stream keeps one to two dense_margins behind the head, so that it does not touch
// the lines a flat-out writer is about to write; it reads the ticks it holds back once it has held them
// dense_hold_ns by its own clock, whatever their stamps say, and reads sparse streams to the head.
#include <memory>
#include <stdexcept>

#include "common_fixture.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

constexpr std::uint64_t kRing = 1024;  // a quarter is 256: the default margin (128) is not clamped
constexpr std::uint64_t kMargin = 128;

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
  // A failure throws: GoogleTest fails the test with this line, and the guard still removes the segments.
  auto pub = Publisher::create(publisher_options(seg, kRing));
  if (!pub.ok()) throw std::runtime_error("cannot create the segment: " + pub.error().message);
  auto sub = Subscriber::create(tweak(subscriber_options(seg)));
  if (!sub.ok()) throw std::runtime_error("cannot create the reader: " + sub.error().message);
  if (auto attached = sub->try_attach(); !attached.ok()) {
    throw std::runtime_error("cannot attach: " + attached.error().message);
  }
  return Pair{std::move(guard), std::move(pub.value()), std::move(sub.value())};
}

SubscriberOptions long_hold(SubscriberOptions o) {
  o.dense_hold_ns = 600'000'000'000;  // ten minutes: nothing is released by time during the test
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

// The ticks held back are released by the reader's own clock: stamped an hour ahead (a bad clock or a
// hostile writer), they still come once held dense_hold_ns, not an hour later.
TEST(DenseStream, shouldReadTheHeldBackTicksOnceHeldForTheHoldTime) {
  Pair p = open_pair("hold", [](SubscriberOptions o) {
    o.dense_hold_ns = 20'000'000;  // 20 ms
    return o;
  });
  publish_range(p.pub, 0, 1000, now_ns() + 3'600'000'000'000, 1);
  const std::uint64_t before = now_ns();
  const std::uint64_t held_at = drain(p.sub);  // well within 20 ms: the last ticks are held back
  ASSERT_LT(held_at, 1000u);
  TickRecord t{};
  for (std::uint64_t s = held_at; s < 1000; ++s) {
    ASSERT_EQ(p.sub.next(t, now_ns() + 10'000'000'000), Subscriber::Next::kTick) << s;
    ASSERT_EQ(t.seq, s);
    if (s == held_at) {
      // The hold began during drain(): the first held-back tick comes dense_hold_ns after that at least.
      EXPECT_GE(now_ns() - before, 20'000'000u) << "a held-back tick was read too early";
    }
  }
  EXPECT_EQ(p.sub.received(), 1000u);
  EXPECT_EQ(p.sub.lost(), 0u);
}

// A dense stream is held back however old its ticks look. A slow dense stream (a writer slowed by the
// machine, or by a reader) has old-looking ticks by the time two margins wait; reading it to the head
// then would keep the reader on the lines being written, and slow the writer further.
class DenseStamps : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(DenseStamps, shouldStayBehindTheHeadWhateverTheTicksStamps) {
  Pair p = open_pair("stamps", long_hold);
  const std::int64_t offset = GetParam();
  publish_range(p.pub, 0, 1000, static_cast<std::uint64_t>(static_cast<std::int64_t>(now_ns()) + offset), 1);
  const std::uint64_t n = drain(p.sub);
  EXPECT_LE(n, 1000 - kMargin);
  EXPECT_GE(n, 1000 - 2 * kMargin);
}

INSTANTIATE_TEST_SUITE_P(DenseStream, DenseStamps,
                         ::testing::Values(std::int64_t{0}, std::int64_t{-3'600'000'000'000},
                                           std::int64_t{3'600'000'000'000}));

// A blocking reader holding ticks back pauses on its own clock, never by napping dense_nap_ns: a nap
// there held a paced writer's catch-up bursts for 50 us and more (two block readers' p99 went 4x worse).
TEST(DenseStream, shouldNotNapWhileABlockingReaderHoldsTicksBack) {
  Pair p = open_pair("blockhold", [](SubscriberOptions o) {
    o.wait = WaitStrategy::kBlock;
    o.dense_hold_ns = 1'000'000;      // 1 ms
    o.dense_nap_ns = 30'000'000'000;  // 30 s: a nap would show
    return o;
  });
  publish_range(p.pub, 0, 1000, now_ns(), 1);
  const std::uint64_t held_at = drain(p.sub);
  ASSERT_LT(held_at, 1000u);
  const std::uint64_t start = now_ns();
  TickRecord t{};
  ASSERT_EQ(p.sub.next(t, start + 20'000'000'000), Subscriber::Next::kTick);
  EXPECT_EQ(t.seq, held_at);
  EXPECT_LT(now_ns() - start, 10'000'000'000u) << "the reader napped while holding ticks back";
}

TEST(DenseStream, shouldReadToTheHeadWhenTheStreamIsSparse) {
  Pair p = open_pair("sparse", long_hold);
  publish_range(p.pub, 0, 1000, now_ns(), 10'000);  // 10 us apart: 100 k ticks/s
  EXPECT_EQ(drain(p.sub), 1000u);
}

TEST(DenseStream, shouldReadToTheHeadWhenFewerThanASixteenthOfAMarginAreWaiting) {
  const std::uint64_t base = now_ns();
  // A reader that has caught up with a moderate dense stream keeps up tick by tick: nothing is held.
  Pair q = open_pair("pingpong", long_hold);
  TickRecord t{};
  for (std::uint64_t s = 0; s < 200; ++s) {
    publish_range(q.pub, s, s + 1, base, 1);
    ASSERT_TRUE(q.sub.try_next(t)) << s;
    ASSERT_EQ(t.seq, s);
  }
  publish_range(q.pub, 200, 200 + kMargin / 16, base, 1);
  EXPECT_EQ(drain(q.sub), kMargin / 16) << "fewer than a sixteenth of a margin waiting were held back";
  publish_range(q.pub, 200 + kMargin / 16, 200 + 2 * kMargin / 16 + 1, base, 1);
  EXPECT_EQ(drain(q.sub), 0u) << "a sixteenth of a margin waiting was not held back";
}

// tickshm-feed flat out stamps each batch of 64 ticks once: no gap inside a batch, a microsecond or
// two between batches, so the stream is not dense at the first tick of each batch. The reader still
// stays one to two margins behind the head.
TEST(DenseStream, shouldStayBehindAWriterThatStampsEachBatchOnce) {
  Pair p = open_pair("batches", long_hold);
  const std::uint64_t base = now_ns();
  std::uint64_t published = 0;
  for (std::uint64_t round = 0; round < 12; ++round) {
    for (std::uint64_t k = 0; k < 64; ++k, ++published) {
      TickRecord tick = make_tick(published);
      tick.publish_ns = base + (published / 64) * 1'500;  // 1.5 us per batch: 23 ns per tick
      p.pub.publish(tick);
    }
    drain(p.sub);
  }
  const std::uint64_t behind = published - p.sub.cursor();
  EXPECT_GE(behind, kMargin) << "the reader went closer than the margin to the head";
  EXPECT_LE(behind, 2 * kMargin) << "the reader stayed further behind than two margins";
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

// A writer killed between its final sequence store and its cursor store leaves one tick published
// past its cursor. A dense reader must still take it, and then wait (a reader that found the head from
// the cursor once spun between "the slot is published" and "the cursor says there is nothing").
TEST(DenseStream, shouldTakeATickPublishedPastTheCursorAndThenWait) {
  Pair p = open_pair("past", [](SubscriberOptions o) {
    o.dense_hold_ns = 1'000'000;  // 1 ms: ten ticks, fewer than a margin, are held this long
    return o;
  });
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

// The margin is at most a quarter of the ring, so a small ring still lets the reader move: four ticks
// at a time through a ring of 16, the reader stays one to two quarters of it behind once the stream
// has been dense long enough.
TEST(DenseStream, shouldClampTheMarginToAQuarterOfASmallRing) {
  const std::string seg = unique_segment("small");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 16));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  auto sub = Subscriber::create(long_hold(subscriber_options(seg)));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->try_attach().ok());
  const std::uint64_t base = now_ns();
  for (std::uint64_t s = 0; s < 400; s += 4) {
    publish_range(*pub, s, s + 4, base, 1);
    drain(*sub);
    if (s >= 200) {
      const std::uint64_t behind = s + 4 - sub->cursor();
      EXPECT_GE(behind, 16u / 4) << s;
      EXPECT_LE(behind, 2 * (16u / 4)) << s;
    }
  }
  EXPECT_EQ(sub->lost(), 0u);
}

}  // namespace tickshm::test
