// ReorderBuffer: batches held after a gap come out in order once it fills, or all once it is given up.
#include <gtest/gtest.h>

#include <string>

#include "reorder.hpp"
#include "sequencer.hpp"

namespace tickshm::bridge {
namespace {

constexpr std::uint64_t kHold = 1000;

TEST(ReorderTest, shouldReleaseHeldBatchesInOrderWhenTheGapFills) {
  ReorderBuffer<std::string> r(1 << 20, kHold);
  StreamSequencer s;
  s.reset(0);
  (void)s.accept(0, 10);
  std::string b30 = "30", b20 = "20";
  ASSERT_TRUE(r.hold(30, 10, 0, std::move(b30)));  // arrives first
  ASSERT_TRUE(r.hold(20, 10, 1, std::move(b20)));
  EXPECT_FALSE(r.next(s.expected(), 2).has_value()) << "10..19 is still missing";
  (void)s.accept(10, 10);  // the resent batch
  auto a = r.next(s.expected(), 3);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, "20");
  (void)s.accept(20, 10);
  auto b = r.next(s.expected(), 4);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, "30");
  (void)s.accept(30, 10);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(s.lost(), 0u);
  EXPECT_EQ(s.written(), 40u);
  EXPECT_EQ(r.gaps_given_up(), 0u);
}

TEST(ReorderTest, shouldReleaseEverythingWhenTheGapIsWaitedForLongEnough) {
  ReorderBuffer<std::string> r(1 << 20, kHold);
  std::string a = "a", b = "b";
  ASSERT_TRUE(r.hold(50, 1, 100, std::move(b)));
  ASSERT_TRUE(r.hold(20, 1, 200, std::move(a)));
  EXPECT_FALSE(r.next(10, 100 + kHold - 1).has_value());
  auto first = r.next(10, 100 + kHold);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "a") << "lowest first";
  auto second = r.next(10, 100 + kHold);
  ASSERT_TRUE(second.has_value()) << "once given up, the rest comes out too";
  EXPECT_EQ(*second, "b");
  EXPECT_EQ(r.gaps_given_up(), 1u);
  EXPECT_TRUE(r.empty());
}

TEST(ReorderTest, shouldAskToGiveUpWhenTheBoundIsExceeded) {
  ReorderBuffer<std::string> r(100, kHold);
  std::string a = "a", b = "b";
  EXPECT_TRUE(r.hold(20, 60, 0, std::move(a)));
  EXPECT_FALSE(r.hold(30, 60, 0, std::move(b)));
  r.give_up();
  EXPECT_TRUE(r.next(0, 1).has_value());
  EXPECT_TRUE(r.next(0, 1).has_value());
  EXPECT_FALSE(r.next(0, 1).has_value());
}

}  // namespace
}  // namespace tickshm::bridge
