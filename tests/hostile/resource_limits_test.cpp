// /dev/shm too small for the requested ring: the feed refuses at start naming the size it needs and the
// space free, and leaves nothing behind. Runs in a private mount namespace with a small tmpfs mounted
// over /dev/shm (root only), so the machine's real /dev/shm is never filled.
#include <gtest/gtest.h>

#include <string>

#include "hostile_support.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::test {
namespace {

struct SmallShm {
  int code = -1;
  std::string out, err;
  std::string left;  // what was in the small /dev/shm after the feed exited
};

// Runs the feed with `args` in a new mount namespace whose /dev/shm is a tmpfs of `bytes`.
SmallShm run_feed_in_small_shm(std::uint64_t bytes, const std::string& args) {
  const std::string script = "mount -t tmpfs -o size=" + std::to_string(bytes) +
                             " tickshm-test /dev/shm || exit 97\n" + bin_path("tickshm-feed") + " " + args +
                             "\nrc=$?\necho \"LEFT:$(ls -A /dev/shm | tr '\\n' ' ')\"\nexit $rc\n";
  RunResult r = run("/usr/bin/unshare", {"-m", "--propagation", "private", "/bin/sh", "-c", script},
                    std::chrono::milliseconds(30000));
  SmallShm s;
  s.code = r.code.value_or(-1);
  s.out = r.out;
  s.err = r.err;
  const auto at = r.out.find("LEFT:");
  s.left = at == std::string::npos ? "?" : r.out.substr(at + 5);
  while (!s.left.empty() && (s.left.back() == '\n' || s.left.back() == ' ')) s.left.pop_back();
  return s;
}

bool can_unshare() {
  return is_root() && run("/usr/bin/unshare", {"-m", "/bin/true"}, std::chrono::milliseconds(5000)).code == 0;
}

#define REQUIRE_NAMESPACE()                                                               \
  if (!programs_built()) GTEST_SKIP() << "tickshm-feed is not built in " << bin_path(""); \
  if (!can_unshare())                                                                     \
  GTEST_SKIP() << "needs root and unshare -m to mount a small tmpfs over /dev/shm privately"

TEST(ResourceLimits, shouldRefuseAtStartNamingTheSizeNeededAndTheSpaceFreeWhenTheRingDoesNotFit) {
  REQUIRE_NAMESPACE();
  const std::uint64_t ring = 1 << 16;
  const std::uint64_t need = data_geometry(ring, 2).total_size;
  const SmallShm s = run_feed_in_small_shm(
      1 << 20, "--segment big --symbols AAPL,MSFT --count 10 --ring-capacity " + std::to_string(ring));
  ASSERT_NE(s.code, 97) << "could not mount the small tmpfs: " << s.err;
  EXPECT_GT(s.code, 0) << s.err;
  EXPECT_LT(s.code, 128) << "a signal (SIGBUS?): " << s.err;
  EXPECT_NE(s.err.find("needs " + std::to_string(need) + " bytes"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("/dev/shm has "), std::string::npos) << s.err;
  EXPECT_NE(s.err.find(" bytes free"), std::string::npos) << s.err;
  EXPECT_EQ(s.left, "") << "left behind in /dev/shm";
}

TEST(ResourceLimits, shouldRollBackTheDataSegmentWhenOnlyTheControlSegmentDoesNotFit) {
  REQUIRE_NAMESPACE();
  const std::uint64_t ring = 1024;
  const std::uint64_t data = data_geometry(ring, 2).total_size;  // fits; the control segment does not
  ASSERT_EQ(data % 4096, 0u);
  const SmallShm s = run_feed_in_small_shm(
      data + 4096, "--segment tight --symbols AAPL,MSFT --count 10 --ring-capacity " + std::to_string(ring));
  ASSERT_NE(s.code, 97) << "could not mount the small tmpfs: " << s.err;
  EXPECT_GT(s.code, 0) << s.err;
  EXPECT_LT(s.code, 128) << s.err;
  EXPECT_NE(s.err.find("needs " + std::to_string(kControlSize) + " bytes"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find(".ctl"), std::string::npos) << s.err;
  EXPECT_EQ(s.left, "") << "left behind in /dev/shm";
}

TEST(ResourceLimits, shouldRunNormallyWhenTheSmallShmIsJustBigEnough) {
  REQUIRE_NAMESPACE();
  const std::uint64_t ring = 1024;
  const std::uint64_t need = data_geometry(ring, 2).total_size + kControlSize;
  const SmallShm s = run_feed_in_small_shm(
      need,
      "--segment fits --symbols AAPL,MSFT --count 10 --rate max --ring-capacity " + std::to_string(ring));
  ASSERT_NE(s.code, 97) << "could not mount the small tmpfs: " << s.err;
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_EQ(s.left, "") << "left behind in /dev/shm";
}

}  // namespace
}  // namespace tickshm::test
