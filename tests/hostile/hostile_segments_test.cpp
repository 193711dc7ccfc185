// Files planted under tickshm's names (truncated, foreign, corrupt, a directory, another user's) and
// what every program does with them: a clear message naming the problem, never a signal.
//
// What is right, per program:
//   - tickshm-stat (one-shot inspector): refuses with the validation message, exit 1 or 2;
//   - tickshm-dash --snapshot and tickshm-algo (readers that wait for a usable feed): show / log the
//     validation message and keep waiting; they exit by themselves (--snapshot-ms, --duration);
//   - tickshm-feed (the writer): a regular file under its name whose writer lock is free is stale, so
//     the feed replaces it with a fresh segment (logged); it refuses a directory and a file it may not open.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "hostile_support.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::test {
namespace {

constexpr int kNobody = 65534;
constexpr int kStranger = 65533;  // neither root nor the owner of anything

#define REQUIRE_PROGRAMS() \
  if (!programs_built())   \
  GTEST_SKIP() << "tickshm-feed/-algo/-dash/-stat are not all built in " << bin_path("")

void expect_no_signal(const ProgramRun& r) {
  EXPECT_GE(r.code, 0) << "timed out: " << r.describe();
  EXPECT_LT(r.code, 128) << "killed by a signal: " << r.describe();
}

// Every reader names the problem; the one-shot inspector also exits non-zero.
void expect_readers_refuse(const std::string& feed, const std::string& why, int as_uid = -1) {
  const ProgramRun stat = run_stat(feed, as_uid);
  expect_no_signal(stat);
  EXPECT_NE(stat.code, 0) << stat.describe();
  EXPECT_NE(stat.all().find(why), std::string::npos) << "expected '" << why << "' from " << stat.describe();

  const ProgramRun dash = run_dash(feed, as_uid);
  expect_no_signal(dash);
  EXPECT_NE(dash.all().find(why), std::string::npos) << "expected '" << why << "' from " << dash.describe();

  const ProgramRun algo = run_algo(feed, as_uid);
  expect_no_signal(algo);
  EXPECT_NE(algo.all().find(why), std::string::npos) << "expected '" << why << "' from " << algo.describe();
}

// A regular file under the feed's name with no writer holding its lock is stale: the feed replaces it,
// runs, and (without --keep) leaves nothing behind.
void expect_feed_replaces(const std::string& feed, const ShmGuard& guard) {
  const ProgramRun r = run_feed(feed, {"--count", "50", "--rate", "max", "--ring-capacity", "64"});
  expect_no_signal(r);
  EXPECT_EQ(r.code, 0) << r.describe();
  EXPECT_NE(r.err.find("replacing segment"), std::string::npos) << r.describe();
  EXPECT_TRUE(guard.leftovers().empty()) << "left: " << ::testing::PrintToString(guard.leftovers());
}

struct DataCase {
  std::string name;                    // gtest parameter name
  std::function<std::string()> image;  // the planted bytes
  std::string why;                     // the message fragment every reader must show
};
// ctest lists a case by its name, not as a dump of its bytes.
void PrintTo(const DataCase& c, std::ostream* os) {
  *os << c.name;
}

std::string valid() {
  return valid_data_bytes();
}
std::string truncated(std::size_t n) {
  return valid().substr(0, n);
}
template <class T>
std::string poked(std::size_t offset, T value) {
  std::string b = valid();
  poke(b, offset, value);
  return b;
}

std::vector<DataCase> data_cases() {
  const DataGeometry g = data_geometry(8, 2);
  std::vector<DataCase> c = {
      {"Empty", [] { return std::string(); }, "empty (0 bytes)"},
      {"OneByte", [] { return truncated(1); }, "truncated: 1 bytes"},
      {"MagicOnly", [] { return truncated(8); }, "truncated: 8 bytes"},
      {"HeaderMinusOne", [] { return truncated(4095); }, "truncated: 4095 bytes"},
      // From the header on, the header's total_size disagrees with the real size.
      {"HeaderOnly", [] { return truncated(4096); }, "disagrees with the file size 4096"},
      {"AtQuoteBoard", [g] { return truncated(g.quote_board_offset); },
       "disagrees with the file size " + std::to_string(g.quote_board_offset)},
      {"AtRing", [g] { return truncated(g.ring_offset); },
       "disagrees with the file size " + std::to_string(g.ring_offset)},
      {"OneTickIntoRing", [g] { return truncated(g.ring_offset + 64); },
       "disagrees with the file size " + std::to_string(g.ring_offset + 64)},
      {"LastTickMissing", [g] { return truncated(g.total_size - 64); },
       "disagrees with the file size " + std::to_string(g.total_size - 64)},
      {"LastByteMissing", [g] { return truncated(g.total_size - 1); },
       "disagrees with the file size " + std::to_string(g.total_size - 1)},
      {"LongerThanHeaderSays", [] { return valid() + std::string(4096, '\0'); },
       "disagrees with the file size"},
      {"WrongMagic", [] { return poked(0, std::uint64_t{0x0a0d4c4d5448}); },
       "not a tickshm data segment: magic is"},
      {"ZeroedHeader", [] { return std::string(valid().size(), '\0'); }, "not a tickshm data segment"},
      {"FutureVersion", [] { return poked(offsetof(DataHeader, layout_version), kLayoutVersion + 1); },
       "layout version " + std::to_string(kLayoutVersion + 1) + " is not supported"},
      {"HeaderSize", [] { return poked(offsetof(DataHeader, header_size), std::uint32_t{2048}); },
       "header_size 2048 != 4096"},
      {"TickSize", [] { return poked(offsetof(DataHeader, tick_size), std::uint32_t{128}); },
       "tick_size 128 != 64"},
      {"TotalSizeVsGeometry",
       [g] { return poked(offsetof(DataHeader, total_size), std::uint64_t{g.total_size + 4096}); },
       "disagrees with the geometry"},
      {"RingOffset",
       [g] { return poked(offsetof(DataHeader, ring_offset), std::uint64_t{g.ring_offset - 64}); },
       "ring_offset " + std::to_string(g.ring_offset - 64)},
      {"CapacityNotPowerOfTwo", [] { return poked(offsetof(DataHeader, ring_capacity), std::uint64_t{7}); },
       "ring_capacity 7 is not a power of two"},
      {"CapacityHuge", [] { return poked(offsetof(DataHeader, ring_capacity), std::uint64_t{1} << 40); },
       "is outside [2, 2^26]"},
      {"SymbolCountOverCapacity", [] { return poked(offsetof(DataHeader, symbol_count), std::uint32_t{3}); },
       "symbol_count 3 exceeds symbol_capacity 2"},
      {"SymbolCapacityZero", [] { return poked(offsetof(DataHeader, symbol_capacity), std::uint32_t{0}); },
       "symbol_capacity 0 is outside"},
      {"UnknownState", [] { return poked(offsetof(DataHeader, state), std::uint32_t{7}); },
       "state 7 is not creating/live/closed"},
      {"StuckCreating", [] { return poked(offsetof(DataHeader, state), std::uint32_t{0}); },
       "being created by pid"},
      {"SymbolWithoutName", [] { return poked(sizeof(DataHeader), std::uint64_t{0}); }, "has no valid name"},
  };
  return c;
}

class HostileDataSegment : public ::testing::TestWithParam<DataCase> {};

TEST_P(HostileDataSegment, shouldBeRefusedWithItsReasonByEveryReaderWhenPlantedUnderTheFeedName) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("hostile");
  ShmGuard guard(feed);
  plant(shm_file(feed), GetParam().image());
  expect_readers_refuse(feed, GetParam().why);
  EXPECT_FALSE(guard.leftovers().empty()) << "a reader removed the planted file";
}

TEST_P(HostileDataSegment, shouldBeReplacedByTheFeedWhenNoWriterHoldsItsLock) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("stale");
  ShmGuard guard(feed);
  plant(shm_file(feed), GetParam().image());
  plant(shm_file(feed, ".ctl"), "junk");
  expect_feed_replaces(feed, guard);
}

INSTANTIATE_TEST_SUITE_P(Planted, HostileDataSegment, ::testing::ValuesIn(data_cases()),
                         [](const ::testing::TestParamInfo<DataCase>& i) { return i.param.name; });

// A feed sizes its file before writing the header and holds the writer lock from creation on: a zero
// header under a held lock is a feed starting, not a foreign file; the same bytes with no lock holder are.
TEST(HostileSegments, shouldSayBeingCreatedInsteadOfBadMagicWhenAZeroHeaderIsUnderAHeldWriterLock) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("creating");
  ShmGuard guard(feed);
  plant(shm_file(feed), std::string(valid_data_bytes().size(), '\0'));
  const int fd = ::open(shm_file(feed).c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  const ProgramRun starting = run_stat(feed);
  expect_no_signal(starting);
  EXPECT_NE(starting.all().find("being created"), std::string::npos) << starting.describe();
  EXPECT_EQ(starting.all().find("not a tickshm data segment"), std::string::npos) << starting.describe();
  ::close(fd);
  const ProgramRun abandoned = run_stat(feed);
  expect_no_signal(abandoned);
  EXPECT_NE(abandoned.code, 0);
  EXPECT_NE(abandoned.all().find("not a tickshm data segment"), std::string::npos) << abandoned.describe();
}

TEST(HostileSegments, shouldBeRefusedByEveryProgramWhenTheNameIsADirectory) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("dir");
  ShmGuard guard(feed);
  ASSERT_EQ(::mkdir(shm_file(feed).c_str(), 0700), 0);
  expect_readers_refuse(feed, "is a directory, not a tickshm segment");
  const ProgramRun f = run_feed(feed, {"--count", "10"});
  expect_no_signal(f);
  EXPECT_NE(f.code, 0) << f.describe();
  EXPECT_NE(f.err.find("is not a regular file"), std::string::npos) << f.describe();
  struct stat st {};
  EXPECT_EQ(::stat(shm_file(feed).c_str(), &st), 0) << "the feed removed a directory it does not own";
}

TEST(HostileSegments, shouldBeRefusedByEveryProgramWhenTheControlNameIsADirectoryBesideAStaleSegment) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("ctldir");
  ShmGuard guard(feed);
  plant(shm_file(feed), valid_data_bytes());
  ASSERT_EQ(::mkdir(shm_file(feed, ".ctl").c_str(), 0700), 0);
  const ProgramRun f = run_feed(feed, {"--count", "10"});
  expect_no_signal(f);
  EXPECT_NE(f.code, 0) << f.describe();
  EXPECT_NE(f.err.find(".ctl"), std::string::npos) << f.describe();
  EXPECT_EQ(guard.leftovers(), std::vector<std::string>{"tickshm." + feed + ".ctl"})
      << "a failed start must leave only what it found";
}

TEST(HostileSegments, shouldNameTheControlSegmentProblemWhenItIsCorruptBesideAValidDataSegment) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("badctl");
  ShmGuard guard(feed);
  plant(shm_file(feed), valid_data_bytes());  // names this (live) test process as its writer
  std::string ctl = valid_control_bytes();
  poke(ctl, 0, std::uint64_t{0x4b4e554a});  // "JUNK"
  plant(shm_file(feed, ".ctl"), ctl);
  const ProgramRun algo = run_algo(feed);
  expect_no_signal(algo);
  EXPECT_NE(algo.all().find("not a tickshm control segment"), std::string::npos) << algo.describe();
  const ProgramRun stat = run_stat(feed);
  expect_no_signal(stat);
  EXPECT_NE(stat.all().find("not a tickshm control segment"), std::string::npos) << stat.describe();
  const ProgramRun dash = run_dash(feed);
  expect_no_signal(dash);
}

TEST(HostileSegments, shouldBeReportedAndReplacedWhenAnAlgoStatusSegmentIsForeign) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("badalgo");
  ShmGuard guard(feed);
  plant(shm_file(feed), valid_data_bytes());
  plant(shm_file(feed, ".ctl"), valid_control_bytes());
  plant(shm_file(feed, ".algo.rogue"), std::string(8192, 'Z'));
  const ProgramRun stat = run_stat(feed);
  expect_no_signal(stat);
  EXPECT_NE(stat.all().find("not a tickshm algo status segment"), std::string::npos) << stat.describe();
  const ProgramRun dash = run_dash(feed);
  expect_no_signal(dash);
  // An algo of that name finds no live owner in the file: it takes the name over and removes it at exit.
  const ProgramRun algo = run_algo(feed, -1, {"--name", "rogue"});
  expect_no_signal(algo);
  EXPECT_EQ(algo.code, 0) << algo.describe();
  struct stat st {};
  EXPECT_NE(::stat(shm_file(feed, ".algo.rogue").c_str(), &st), 0) << "the algo left its status segment";
}

TEST(HostileSegments, shouldBeRefusedWithAPermissionMessageWhenTheSegmentBelongsToAnotherUser) {
  REQUIRE_PROGRAMS();
  if (!can_run_as(kStranger)) {
    GTEST_SKIP() << "needs root, and the binaries executable by uid " << kStranger
                 << ", to run as another user";
  }
  const std::string feed = unique_segment("foreign");
  ShmGuard guard(feed);
  plant(shm_file(feed), valid_data_bytes(), 0600);
  plant(shm_file(feed, ".ctl"), valid_control_bytes(), 0600);
  ASSERT_EQ(::chown(shm_file(feed).c_str(), kNobody, kNobody), 0);
  ASSERT_EQ(::chown(shm_file(feed, ".ctl").c_str(), kNobody, kNobody), 0);
  expect_readers_refuse(feed, "permission denied opening data segment /tickshm." + feed, kStranger);
  expect_readers_refuse(feed, "owned by uid 65534 (nobody), mode 0600", kStranger);
  // The feed run by a third user may neither use nor replace it.
  const ProgramRun f = run_feed(feed, {"--count", "10"}, kStranger);
  expect_no_signal(f);
  EXPECT_NE(f.code, 0) << f.describe();
  EXPECT_NE(f.err.find("ermission denied"), std::string::npos) << f.describe();
  struct stat st {};
  ASSERT_EQ(::stat(shm_file(feed).c_str(), &st), 0) << "another user's segment disappeared";
  EXPECT_EQ(st.st_uid, static_cast<uid_t>(kNobody));
}

}  // namespace
}  // namespace tickshm::test
