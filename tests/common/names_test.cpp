// Names: what is accepted and what is refused before any system call.
#include <gtest/gtest.h>

#include "tickshm/names.hpp"

namespace tickshm {

TEST(Names, shouldAcceptNamesWhenMadeOfAllowedCharacters) {
  for (const char* n : {"market", "a", "A_b-c-9", "x_y"}) EXPECT_TRUE(validate_name(n).ok()) << n;
  EXPECT_TRUE(validate_name(std::string(64, 'a')).ok());
}

TEST(Names, shouldRefuseWithReasonWhenNameIsBad) {
  struct Case {
    std::string name;
    const char* why;
  };
  for (const Case& c :
       {Case{"", "is empty"}, Case{std::string(65, 'a'), "65 characters"}, Case{"a/b", "outside"},
        Case{"..", "contains '.'"}, Case{".", "contains '.'"}, Case{"x.ctl", "contains '.'"},
        Case{"x.algo.y", "contains '.'"}, Case{"caf\xc3\xa9", "outside"}, Case{"a b", "outside"}}) {
    const Status st = validate_name(c.name);
    ASSERT_FALSE(st.ok()) << c.name;
    EXPECT_EQ(st.error().code, Errc::kInvalidArgument);
    EXPECT_NE(st.error().message.find(c.why), std::string::npos) << st.error().message;
  }
}

TEST(Names, shouldBuildEverySegmentPathFromTheFeedName) {
  EXPECT_EQ(data_segment_path("m"), "/tickshm.m");
  EXPECT_EQ(control_segment_path("m"), "/tickshm.m.ctl");
  EXPECT_EQ(algo_segment_path("m", "a1"), "/tickshm.m.algo.a1");
}

TEST(Names, shouldReadEveryObjectNameOneWayOnlyWhenNamesHaveNoDot) {
  const ObjectName d = parse_object_name("tickshm.m");
  EXPECT_EQ(d.kind, ObjectKind::kData);
  EXPECT_EQ(d.feed, "m");
  const ObjectName c = parse_object_name("tickshm.m.ctl");
  EXPECT_EQ(c.kind, ObjectKind::kControl);
  EXPECT_EQ(c.feed, "m");
  const ObjectName a = parse_object_name("tickshm.m.algo.a-1");
  EXPECT_EQ(a.kind, ObjectKind::kAlgo);
  EXPECT_EQ(a.feed, "m");
  EXPECT_EQ(a.algo, "a-1");
  const ObjectName b = parse_object_name("tickshm.m.bridge.out");
  EXPECT_EQ(b.kind, ObjectKind::kBridge);
  EXPECT_EQ(b.feed, "m");
  EXPECT_EQ(b.direction, "out");
  EXPECT_EQ(parse_object_name("tickshm.m.bridge.in").direction, "in");
  EXPECT_EQ(bridge_status_path("m", "in"), "/tickshm.m.bridge.in");
  // What a dotted feed name used to make: none of them is any feed's object now.
  for (const char* n : {"tickshm.m.ctl.ctl", "tickshm.m.algo.x.ctl", "tickshm.m.algo.x.algo.y", "tickshm.m.x",
                        "tickshm.m.algo.", "tickshm..ctl", "tickshm.", "other.m", "tickshm.m.ctl.algo.x",
                        "tickshm.m.bridge.", "tickshm.m.bridge.up", "tickshm.m.bridge.in.ctl"}) {
    EXPECT_EQ(parse_object_name(n).kind, ObjectKind::kUnknown) << n;
  }
}

}  // namespace tickshm
