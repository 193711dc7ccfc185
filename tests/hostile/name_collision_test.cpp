// Names cannot collide: a feed or algo name with a '.' (which could spell another feed's ".ctl" or
// ".algo.ID" object) is refused by every program and the launcher, and `tickshm-stat --clean` removes
// only objects whose writer is proven gone, never a live feed's or algo's.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <string>
#include <vector>

#include "hostile_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/bridge_status_layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"

namespace tickshm::test {
namespace {

#define REQUIRE_PROGRAMS() \
  if (!programs_built())   \
  GTEST_SKIP() << "tickshm-feed/-algo/-dash/-stat are not all built in " << bin_path("")

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// A bridge status segment as tickshm-bridge writes it, naming `pid` started at `start_time`.
std::string bridge_status_bytes(pid_t pid, std::uint64_t start_time, BridgeDirection direction,
                                const std::string& feed) {
  BridgeStatusLayout h{};
  std::memcpy(h.magic, kBridgeMagic, sizeof h.magic);
  h.layout_version = kBridgeLayoutVersion;
  h.size = sizeof(BridgeStatusLayout);
  h.direction = static_cast<std::uint32_t>(direction);
  h.pid = pid;
  h.start_time = start_time;
  std::memcpy(h.feed, feed.data(), std::min(feed.size(), sizeof h.feed - 1));
  return std::string(reinterpret_cast<const char*>(&h), sizeof h);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

TEST(NameCollision, shouldRefuseEveryDottedNameThatCouldSpellAnotherFeedsObject) {
  REQUIRE_PROGRAMS();
  const std::string victim = unique_segment("victim");
  ShmGuard guard(victim);  // also every tickshm.VICTIM.* object
  Child f = Child::spawn(bin_path("tickshm-feed"), {"--segment", victim, "--rate", "1000"});
  Child a = Child::spawn(bin_path("tickshm-algo"), {"--segment", victim, "--name", "x"});
  ASSERT_TRUE(eventually([&] { return exists(shm_file(victim, ".algo.x")) && run_stat(victim).code == 0; }))
      << f.err() << a.err();
  const std::vector<std::vector<std::string>> attacks = {
      {"tickshm-feed", "--count", "1", "--segment", victim + ".ctl"},
      {"tickshm-feed", "--count", "1", "--segment", victim + ".algo.x"},
      {"tickshm-algo", "--duration", "0.2", "--segment", victim, "--name", "x.ctl"},
      {"tickshm-algo", "--duration", "0.2", "--segment", victim + ".algo", "--name", "x"},
      {"tickshm-stat", "--segment", victim + ".ctl"},
      {"tickshm-dash", "--snapshot", "--snapshot-ms", "100", "--segment", victim + ".ctl"},
  };
  for (auto argv : attacks) {
    const std::string program = argv.front();
    argv.erase(argv.begin());
    const ProgramRun r = run_program(program, argv);
    EXPECT_EQ(r.code, 2) << r.describe();
    EXPECT_TRUE(has(r.err, "contains '.'")) << r.describe();
  }
  const RunResult launch = run(source_path("scripts/launch.sh"), {"start", "--segment", victim + ".ctl"});
  EXPECT_EQ(launch.code, 2) << launch.err;
  // The victim's objects are untouched and its algo still reads.
  EXPECT_TRUE(exists(shm_file(victim, ".ctl")));
  EXPECT_TRUE(exists(shm_file(victim, ".algo.x")));
  EXPECT_TRUE(a.running()) << a.err();
  EXPECT_EQ(a.stop(), 0) << a.err();
  EXPECT_EQ(f.stop(), 0) << f.err();
}

TEST(NameCollision, shouldCleanOnlyWhatIsProvenDeadAndNeverALiveFeedOrAlgo) {
  REQUIRE_PROGRAMS();
  const std::string live = unique_segment("cl-live");
  const std::string dead = unique_segment("cl-dead");
  ShmGuard g1(live), g2(dead);
  Child f = Child::spawn(bin_path("tickshm-feed"), {"--segment", live, "--rate", "1000"});
  Child a = Child::spawn(bin_path("tickshm-algo"), {"--segment", live, "--name", "alive"});
  Child k = Child::spawn(bin_path("tickshm-algo"), {"--segment", live, "--name", "killed"});
  ASSERT_TRUE(eventually([&] {
    const ProgramRun s = run_stat(live);
    return s.code == 0 && has(s.out, "alive") && has(s.out, "killed");
  })) << f.err()
      << a.err() << k.err();
  k.signal(SIGKILL);  // dies without closing: its status segment stays, naming a dead pid
  ASSERT_TRUE(k.wait_for(std::chrono::seconds(5)).has_value());
  ASSERT_TRUE(exists(shm_file(live, ".algo.killed")));
  // Bridge status segments: one naming this test (alive: kept), one naming the killed algo's pid with a
  // start time no process had (gone: removed).
  plant(shm_file(live, ".bridge.out"),
        bridge_status_bytes(::getpid(), process_start_time(::getpid()), BridgeDirection::kOut, live));
  plant(shm_file(live, ".bridge.in"), bridge_status_bytes(k.pid(), 1, BridgeDirection::kIn, live));
  // A dead feed's pair: a valid segment whose writer lock nobody holds (its recorded pid is this test,
  // alive: the lock, not the pid, is what proves a feed dead).
  plant(shm_file(dead), valid_data_bytes());
  plant(shm_file(dead, ".ctl"), valid_control_bytes());
  // Names no dot-free feed can make: another version's or a stranger's. Never ours to remove.
  plant(shm_file(live, ".ctl.ctl"), "x");
  plant(shm_file(live, ".algo.x.algo.y"), "x");

  const ProgramRun c1 = run_program("tickshm-stat", {"--clean", "--segment", live});
  EXPECT_EQ(c1.code, 0) << c1.describe();
  EXPECT_TRUE(has(c1.out, "kept tickshm." + live + " (")) << c1.out;
  EXPECT_TRUE(has(c1.out, "kept tickshm." + live + ".ctl (")) << c1.out;
  EXPECT_TRUE(has(c1.out, "kept tickshm." + live + ".algo.alive (its algo (pid")) << c1.out;
  EXPECT_TRUE(has(c1.out, "removing tickshm." + live + ".algo.killed (its algo (pid")) << c1.out;
  EXPECT_TRUE(has(c1.out, "kept tickshm." + live + ".bridge.out (its bridge (pid")) << c1.out;
  EXPECT_TRUE(has(c1.out, "removing tickshm." + live + ".bridge.in (its bridge (pid")) << c1.out;
  EXPECT_TRUE(has(c1.out, "2 segment(s) removed")) << c1.out;
  EXPECT_TRUE(exists(shm_file(live, ".bridge.out")));
  EXPECT_FALSE(exists(shm_file(live, ".bridge.in")));
  EXPECT_TRUE(exists(shm_file(live)));
  EXPECT_TRUE(exists(shm_file(live, ".ctl")));
  EXPECT_TRUE(exists(shm_file(live, ".algo.alive")));
  EXPECT_FALSE(exists(shm_file(live, ".algo.killed")));
  EXPECT_TRUE(exists(shm_file(live, ".ctl.ctl")));
  EXPECT_TRUE(exists(shm_file(live, ".algo.x.algo.y")));

  const ProgramRun c2 = run_program("tickshm-stat", {"--clean", "--segment", dead, "--json"});
  EXPECT_EQ(c2.code, 0) << c2.describe();
  EXPECT_TRUE(has(c2.out, "\"tickshm." + dead + "\"")) << c2.out;
  EXPECT_TRUE(has(c2.out, "\"tickshm." + dead + ".ctl\"")) << c2.out;
  EXPECT_FALSE(exists(shm_file(dead)));
  EXPECT_FALSE(exists(shm_file(dead, ".ctl")));

  // The live feed and algo never noticed.
  EXPECT_TRUE(a.running()) << a.err();
  EXPECT_EQ(a.stop(), 0) << a.err();
  EXPECT_EQ(f.stop(), 0) << f.err();
  ::unlink(shm_file(live, ".ctl.ctl").c_str());
  ::unlink(shm_file(live, ".algo.x.algo.y").c_str());
}

}  // namespace
}  // namespace tickshm::test
