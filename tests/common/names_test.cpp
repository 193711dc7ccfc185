// Names: what is accepted and what is refused before any system call.
#include <gtest/gtest.h>

#include "tickshm/names.hpp"

namespace tickshm {

TEST(Names, shouldAcceptNamesWhenMadeOfAllowedCharacters) {
  for (const char* n : {"market", "a", "A.b_c-9", "x.y"}) EXPECT_TRUE(validate_name(n).ok()) << n;
  EXPECT_TRUE(validate_name(std::string(64, 'a')).ok());
}

TEST(Names, shouldRefuseWithReasonWhenNameIsBad) {
  struct Case {
    std::string name;
    const char* why;
  };
  for (const Case& c : {Case{"", "is empty"}, Case{std::string(65, 'a'), "65 characters"},
                        Case{"a/b", "outside"}, Case{"..", "path component"}, Case{".", "path component"},
                        Case{"caf\xc3\xa9", "outside"}, Case{"a b", "outside"}}) {
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

}  // namespace tickshm
