// Another local user squats tickshm's names: readers refuse segments they do not trust and say whose
// they are (--trust-owner accepts them), and the feed names the owner and mode of a name it cannot take.
// The second user is `nobody` (uid 65534), run through setpriv: these tests need root.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "hostile_support.hpp"

namespace tickshm::test {
namespace {

constexpr int kNobody = 65534;

#define REQUIRE_SECOND_USER()                                                                  \
  if (!programs_built()) GTEST_SKIP() << "the programs are not all built in " << bin_path(""); \
  if (!can_run_as(kNobody))                                                                    \
  GTEST_SKIP() << "needs root, and the binaries executable by nobody, to run a second user's feed"

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// The real feed, run as nobody.
Child feed_as_nobody(const std::string& feed, const std::string& mode) {
  return Child::spawn("/usr/bin/setpriv",
                      {"--reuid=65534", "--regid=65534", "--clear-groups", "--", bin_path("tickshm-feed"),
                       "--segment", feed, "--rate", "1000", "--mode", mode});
}

TEST(TrustOwner, shouldRefuseAnotherUsersFeedNamingItsOwnerUntilTrusted) {
  REQUIRE_SECOND_USER();
  const std::string feed = unique_segment("squat");
  ShmGuard guard(feed);
  // nobody got the name first and shares it with everyone, as a squatter would to feed us prices.
  Child squatter = feed_as_nobody(feed, "0644");
  ASSERT_TRUE(eventually([&] { return run_stat(feed, kNobody).code == 0; })) << squatter.err();
  const std::string why =
      "refusing data segment /tickshm." + feed + ": owned by uid 65534 (nobody), mode 0644";

  const ProgramRun stat = run_stat(feed);
  EXPECT_EQ(stat.code, 1) << stat.describe();
  EXPECT_TRUE(has(stat.err, why)) << stat.describe();
  EXPECT_TRUE(has(stat.err, "--trust-owner")) << stat.describe();
  const ProgramRun algo = run_algo(feed);
  EXPECT_TRUE(has(algo.err, why)) << algo.describe();
  EXPECT_FALSE(has(algo.err, "attached to feed")) << algo.describe();
  const ProgramRun dash = run_dash(feed);
  EXPECT_TRUE(has(dash.all(), "refusing data segment")) << dash.describe();

  // Told to trust that owner, by name, uid or group, every reader uses it.
  for (const char* owner : {"nobody", "65534", "gid:65534"}) {
    SCOPED_TRACE(owner);
    EXPECT_EQ(run_program("tickshm-stat", {"--segment", feed, "--trust-owner", owner}).code, 0);
  }
  const ProgramRun trusted = run_algo(feed, -1, {"--trust-owner", "nobody"});
  EXPECT_TRUE(has(trusted.err, "attached to feed")) << trusted.describe();
  const ProgramRun trusted_dash = run_program(
      "tickshm-dash", {"--snapshot", "--snapshot-ms", "300", "--segment", feed, "--trust-owner", "nobody"});
  EXPECT_FALSE(has(trusted_dash.all(), "refusing")) << trusted_dash.describe();

  // A bad --trust-owner is a usage error.
  for (const char* bad : {"no-such-user-xyz", "group:no-such-group-xyz", "gid:abc", "", "uid:-1"}) {
    const ProgramRun r = run_program("tickshm-stat", {"--segment", feed, "--trust-owner", bad});
    EXPECT_EQ(r.code, 2) << bad << ": " << r.describe();
  }
  // And the real feed, started by root on the squatted name, names the squatter.
  const ProgramRun mine = run_feed(feed, {"--count", "5"});
  EXPECT_NE(mine.code, 0) << mine.describe();
  EXPECT_TRUE(has(mine.err, "already running")) << mine.describe();
  EXPECT_TRUE(has(mine.err, "owned by uid 65534 (nobody), mode 0644")) << mine.describe();
  EXPECT_EQ(squatter.stop(), 0) << squatter.err();
}

TEST(TrustOwner, shouldNameTheOwnerAndModeWhenTheFeedCannotTakeAName) {
  REQUIRE_SECOND_USER();
  const std::string feed = unique_segment("taken");
  ShmGuard guard(feed);
  // Root's stale data segment, private: nobody's feed may not even open it.
  plant(shm_file(feed), valid_data_bytes(), 0600);
  ProgramRun r = run_feed(feed, {"--count", "5"}, kNobody);
  EXPECT_TRUE(r.code > 0 && r.code < 128) << r.describe();
  EXPECT_TRUE(has(r.err, "cannot take /tickshm." + feed + ": it exists, owned by uid 0 (root), mode 0600"))
      << r.describe();
  EXPECT_TRUE(has(r.err, "ermission denied")) << r.describe();

  // World-writable and stale: nobody's feed may open and lock it, but not unlink it (sticky /dev/shm).
  plant(shm_file(feed), valid_data_bytes(), 0666);
  r = run_feed(feed, {"--count", "5"}, kNobody);
  EXPECT_TRUE(r.code > 0 && r.code < 128) << r.describe();
  EXPECT_TRUE(has(r.err, "owned by uid 0 (root), mode 0666")) << r.describe();
  EXPECT_TRUE(has(r.err, "may not replace it")) << r.describe();
  EXPECT_FALSE(has(r.err, "keep replacing it")) << r.describe();

  // Only a control segment is taken: the feed says whose, and rolls its own data segment back.
  ::unlink(shm_file(feed).c_str());
  plant(shm_file(feed, ".ctl"), valid_control_bytes(), 0644);
  r = run_feed(feed, {"--count", "5"}, kNobody);
  EXPECT_TRUE(r.code > 0 && r.code < 128) << r.describe();
  EXPECT_TRUE(
      has(r.err, "cannot take /tickshm." + feed + ".ctl: it exists, owned by uid 0 (root), mode 0644"))
      << r.describe();
  struct stat st {};
  EXPECT_NE(::stat(shm_file(feed).c_str(), &st), 0) << "the feed left its data segment behind";
}

TEST(TrustOwner, shouldRefuseToTakeOverAnotherUsersAlgoStatusName) {
  REQUIRE_SECOND_USER();
  const std::string feed = unique_segment("algosquat");
  ShmGuard guard(feed);
  plant(shm_file(feed, ".algo.victim"), std::string(8192, 'Z'), 0644);
  ASSERT_EQ(::chown(shm_file(feed, ".algo.victim").c_str(), kNobody, kNobody), 0);
  const ProgramRun algo = run_algo(feed, -1, {"--name", "victim"});
  EXPECT_EQ(algo.code, 1) << algo.describe();
  EXPECT_TRUE(has(algo.err, "refusing algo status segment /tickshm." + feed +
                                ".algo.victim: owned by uid 65534 (nobody), mode 0644"))
      << algo.describe();
  // The inspector lists it with the reason and --clean leaves it: nothing proves its writer dead.
  const ProgramRun list = run_program("tickshm-stat", {"--list"});
  EXPECT_TRUE(has(list.out, "refusing algo status segment /tickshm." + feed)) << list.describe();
  EXPECT_TRUE(has(list.out, " refused ")) << list.describe();
  const ProgramRun clean = run_program("tickshm-stat", {"--clean", "--segment", feed});
  EXPECT_EQ(clean.code, 0) << clean.describe();
  EXPECT_TRUE(has(clean.out, "kept tickshm." + feed + ".algo.victim")) << clean.describe();
  struct stat st {};
  EXPECT_EQ(::stat(shm_file(feed, ".algo.victim").c_str(), &st), 0);
}

}  // namespace
}  // namespace tickshm::test
