// Hostile names (slash, dot-dot, empty, too long, non-ASCII) refused by every program before any system
// call touches /dev/shm; segment modes (0600 by default, --mode honoured); another user's reader.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hostile_support.hpp"

namespace tickshm::test {
namespace {

constexpr int kNobody = 65534;

#define REQUIRE_PROGRAMS() \
  if (!programs_built())   \
  GTEST_SKIP() << "tickshm-feed/-algo/-dash/-stat are not all built in " << bin_path("")

struct BadName {
  std::string label;
  std::string name;
};

std::vector<BadName> bad_names() {
  return {{"Slash", "a/b"},
          {"LeadingSlash", "/market"},
          {"DotDot", ".."},
          {"DotDotPath", "../etc"},
          {"Dot", "."},
          {"Empty", ""},
          {"TooLong", std::string(65, 'a')},
          {"NonAscii", "march\xc3\xa9"},
          {"Space", "my feed"},
          {"Newline", "feed\nx"}};
}

// The program's invocation with the bad name as the feed (or, for the algo, also as its own name).
std::vector<std::vector<std::string>> invocations(const std::string& bad) {
  return {
      {"tickshm-feed", "--count", "1", "--segment", bad},
      {"tickshm-algo", "--duration", "1", "--segment", bad},
      {"tickshm-algo", "--duration", "1", "--name", bad},
      {"tickshm-dash", "--snapshot", "--snapshot-ms", "100", "--segment", bad},
      {"tickshm-stat", "--segment", bad},
  };
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class HostileName : public ::testing::TestWithParam<BadName> {};

TEST_P(HostileName, shouldBeRefusedAsAUsageErrorBeforeAnySharedMemoryCallWhenGivenToAnyProgram) {
  REQUIRE_PROGRAMS();
  const bool traced = std::filesystem::exists("/usr/bin/strace");
  const std::string& bad = GetParam().name;
  for (auto argv : invocations(bad)) {
    const std::string program = argv.front();
    argv.erase(argv.begin());
    SCOPED_TRACE(program);
    ProgramRun r;
    std::string trace;
    if (traced) {
      const std::string log = ::testing::TempDir() + "tickshm-names-" + std::to_string(::getpid()) + ".trace";
      // LeakSanitizer cannot run under ptrace: in an ASan build it would abort the traced program.
      std::vector<std::string> a = {"-f", "-qq",
                                    "-o", log,
                                    "-e", "trace=%file,%desc",
                                    "-E", "ASAN_OPTIONS=detect_leaks=0",
                                    "--", bin_path(program)};
      a.insert(a.end(), argv.begin(), argv.end());
      RunResult rr = run("/usr/bin/strace", a, std::chrono::milliseconds(30000));
      r.program = program;
      r.code = rr.code.value_or(-1);
      r.out = rr.out;
      r.err = rr.err;
      trace = slurp(log);
      std::filesystem::remove(log);
    } else {
      r = run_program(program, argv);
    }
    EXPECT_EQ(r.code, 2) << r.describe();
    EXPECT_NE(r.err.find("name"), std::string::npos) << "the refusal should say which name: " << r.describe();
    if (traced) {
      EXPECT_EQ(trace.find("/dev/shm"), std::string::npos) << "touched /dev/shm before refusing:\n" << trace;
    }
  }
  // Nothing appeared under the name (checkable when the name is a plain file name).
  if (bad.find('/') == std::string::npos && bad.find('\n') == std::string::npos) {
    for (const std::string suffix : {"", ".ctl", ".algo.sma-cross"}) {
      EXPECT_FALSE(std::filesystem::exists("/dev/shm/tickshm." + bad + suffix))
          << "tickshm." << bad << suffix;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Given, HostileName, ::testing::ValuesIn(bad_names()),
                         [](const ::testing::TestParamInfo<BadName>& i) { return i.param.label; });

mode_t mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

TEST(SegmentModes, shouldCreateEverySegment0600WhenNoModeIsGiven) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("mode");
  ShmGuard guard(feed);
  const ::mode_t old = ::umask(0);  // a permissive umask must not widen the default
  Child f = Child::spawn(bin_path("tickshm-feed"), {"--segment", feed, "--rate", "1000"});
  ::umask(old);
  ASSERT_TRUE(eventually([&] {
    return mode_of(shm_file(feed)) != 0 && mode_of(shm_file(feed, ".ctl")) != 0;
  })) << f.err();
  Child a = Child::spawn(bin_path("tickshm-algo"), {"--segment", feed, "--name", "m1"});
  ASSERT_TRUE(eventually([&] { return mode_of(shm_file(feed, ".algo.m1")) != 0; })) << a.err();
  EXPECT_EQ(mode_of(shm_file(feed)), 0600u);
  EXPECT_EQ(mode_of(shm_file(feed, ".ctl")), 0600u);
  EXPECT_EQ(mode_of(shm_file(feed, ".algo.m1")), 0600u);
  EXPECT_EQ(a.stop(), 0) << a.err();
  EXPECT_EQ(f.stop(), 0) << f.err();
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(SegmentModes, shouldHonourModeWhenGivenToTheFeedAndTheAlgo) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("mode");
  ShmGuard guard(feed);
  const ::mode_t old = ::umask(077);  // a strict umask must not narrow what --mode asked for
  Child f = Child::spawn(bin_path("tickshm-feed"), {"--segment", feed, "--rate", "1000", "--mode", "0640"});
  ::umask(old);
  ASSERT_TRUE(eventually([&] { return mode_of(shm_file(feed, ".ctl")) != 0; })) << f.err();
  Child algo = Child::spawn(bin_path("tickshm-algo"), {"--segment", feed, "--name", "m2", "--mode", "0640"});
  ASSERT_TRUE(eventually([&] { return mode_of(shm_file(feed, ".algo.m2")) != 0; })) << algo.err();
  EXPECT_EQ(mode_of(shm_file(feed)), 0640u);
  // Readers of the group claim registry slots: the control segment adds group write to group read.
  EXPECT_EQ(mode_of(shm_file(feed, ".ctl")), 0660u);
  EXPECT_EQ(mode_of(shm_file(feed, ".algo.m2")), 0640u);
  EXPECT_EQ(algo.stop(), 0) << algo.err();
  EXPECT_EQ(f.stop(), 0) << f.err();
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(SegmentModes, shouldRefuseAModeThatTakesTheOwnersAccessAway) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("mode");
  ShmGuard guard(feed);
  for (const char* m : {"0400", "0000", "999", "0x1ff", "01777", "rw-r--r--"}) {
    const ProgramRun r = run_feed(feed, {"--count", "1", "--mode", m});
    EXPECT_EQ(r.code, 2) << m << ": " << r.describe();
    EXPECT_NE(r.err.find("--mode"), std::string::npos) << r.describe();
  }
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(SegmentPermissions, shouldTellAReaderOfAnotherUserWhyItCannotReadADefaultFeed) {
  REQUIRE_PROGRAMS();
  if (!can_run_as(kNobody))
    GTEST_SKIP() << "needs root, and the binaries executable by nobody, to run as another user";
  const std::string feed = unique_segment("perm");
  ShmGuard guard(feed);
  Child f = Child::spawn(bin_path("tickshm-feed"), {"--segment", feed, "--rate", "1000"});
  ASSERT_TRUE(eventually([&] { return run_stat(feed).code == 0; })) << f.err();
  const std::string why = "permission denied opening data segment /tickshm." + feed;
  const ProgramRun stat = run_stat(feed, kNobody);
  EXPECT_EQ(stat.code, 1) << stat.describe();
  EXPECT_NE(stat.err.find(why), std::string::npos) << stat.describe();
  EXPECT_NE(stat.err.find("(owned by uid 0 (root), mode 0600, gid 0 (root))"), std::string::npos)
      << stat.describe();
  const ProgramRun algo = run_algo(feed, kNobody);
  EXPECT_LT(algo.code, 128) << algo.describe();
  EXPECT_NE(algo.err.find(why), std::string::npos) << algo.describe();
  const ProgramRun dash = run_dash(feed, kNobody);
  EXPECT_LT(dash.code, 128) << dash.describe();
  EXPECT_NE(dash.all().find("permission denied"), std::string::npos) << dash.describe();
  EXPECT_EQ(f.stop(), 0) << f.err();
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(SegmentPermissions, shouldLetAnotherUserReadWhenTheFeedSharesItWithMode) {
  REQUIRE_PROGRAMS();
  if (!can_run_as(kNobody))
    GTEST_SKIP() << "needs root, and the binaries executable by nobody, to run as another user";
  const std::string feed = unique_segment("share");
  ShmGuard guard(feed);
  Child f = Child::spawn(bin_path("tickshm-feed"),
                         {"--segment", feed, "--rate", "2000", "--mode", "0644", "--verify"});
  ASSERT_TRUE(eventually([&] { return run_stat(feed).code == 0; })) << f.err();
  const ProgramRun algo = run_algo(feed, kNobody);
  EXPECT_EQ(algo.code, 0) << algo.describe();
  EXPECT_NE(algo.err.find("attached to feed"), std::string::npos) << algo.describe();
  const ProgramRun stat = run_stat(feed, kNobody);
  EXPECT_EQ(stat.code, 0) << stat.describe();
  EXPECT_EQ(f.stop(), 0) << f.err();
  EXPECT_TRUE(guard.leftovers().empty());
}

}  // namespace
}  // namespace tickshm::test
