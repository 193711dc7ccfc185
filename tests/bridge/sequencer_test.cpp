// StreamSequencer: received + lost = published on a stream, with gaps, duplicates and a late join.
#include <gtest/gtest.h>

#include "sequencer.hpp"

namespace tickshm::bridge {
namespace {

TEST(SequencerTest, shouldCountEveryTickOnceWhenBatchesAreContiguous) {
  StreamSequencer s;
  s.reset(0);
  EXPECT_EQ(s.accept(0, 64), 0u);
  EXPECT_EQ(s.accept(64, 64), 0u);
  EXPECT_EQ(s.written(), 128u);
  EXPECT_EQ(s.gaps(), 0u);
  EXPECT_EQ(s.expected(), 128u);
}

TEST(SequencerTest, shouldCountTheMissingTicksWhenABatchIsLost) {
  StreamSequencer s;
  s.reset(0);
  (void)s.accept(0, 10);
  (void)s.accept(25, 5);  // 10..24 lost
  EXPECT_EQ(s.gaps(), 1u);
  EXPECT_EQ(s.lost(), 15u);
  EXPECT_EQ(s.written() + s.lost(), 30u);
}

TEST(SequencerTest, shouldDropWhatWasWrittenWhenBatchesComeTwiceOrOverlap) {
  StreamSequencer s;
  s.reset(0);
  (void)s.accept(0, 10);
  EXPECT_EQ(s.accept(0, 10), 10u);  // all duplicates
  EXPECT_EQ(s.accept(5, 10), 5u);   // 5..9 again, 10..14 new
  EXPECT_EQ(s.written(), 15u);
  EXPECT_EQ(s.duplicates(), 15u);
  EXPECT_EQ(s.gaps(), 0u);
}

TEST(SequencerTest, shouldJoinAtTheEarlierOfSnapshotAndFirstBatchWhenStartingLate) {
  StreamSequencer a;
  a.reset(640);  // the snapshot was taken after batches 0.. were already queued here
  (void)a.accept(0, 64);
  EXPECT_EQ(a.joined_at(), 0u);
  EXPECT_EQ(a.lost(), 0u);
  StreamSequencer b;
  b.reset(640);  // the first batch seen comes after the snapshot's point: that stretch was lost
  (void)b.accept(700, 10);
  EXPECT_EQ(b.joined_at(), 640u);
  EXPECT_EQ(b.lost(), 60u);
}

TEST(SequencerTest, shouldCountALostTailWhenAHeartbeatIsAhead) {
  StreamSequencer s;
  s.reset(0);
  (void)s.accept(0, 10);
  s.heartbeat(10);
  EXPECT_EQ(s.gaps(), 0u);
  s.heartbeat(30);
  EXPECT_EQ(s.gaps(), 1u);
  EXPECT_EQ(s.lost(), 20u);
  s.heartbeat(12);  // an old heartbeat changes nothing
  EXPECT_EQ(s.expected(), 30u);
}

}  // namespace
}  // namespace tickshm::bridge
