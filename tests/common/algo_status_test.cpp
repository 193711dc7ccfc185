// Algo status segments: written and read back whole, a live owner refused, a dead one's replaced.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "common_fixture.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/names.hpp"

namespace tickshm::test {

TEST(AlgoStatus, shouldReadBackWhatWasWrittenWhenUpdated) {
  const std::string feed = unique_segment("status");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "a1", "sma-cross", "fast=5 slow=20", 8};
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  AlgoTotals t{};
  t.ticks = 1000;
  t.orders = 7;
  t.fills = 70;
  t.realized = -12345;
  t.halted = 1;
  std::vector<PositionRecord> pos(3);
  for (int i = 0; i < 3; ++i) {
    std::snprintf(pos[std::size_t(i)].symbol, sizeof pos[0].symbol, "S%d", i);
    pos[std::size_t(i)].position = 100 * (i - 1);
  }
  std::vector<FillRecord> fills;
  for (std::uint64_t f = 1; f <= 70; ++f)
    fills.push_back(FillRecord{f, f, 0, 1, 100, 1000, 5, 0, f, {}, 0, 0, {}});
  w->update(t, pos, fills);

  auto all = read_all_algo_status(feed);
  ASSERT_EQ(all.size(), 1u);
  const AlgoStatusSnapshot& s = all[0];
  EXPECT_EQ(s.name, "a1");
  EXPECT_EQ(s.strategy, "sma-cross");
  EXPECT_EQ(s.params, "fast=5 slow=20");
  EXPECT_EQ(s.feed, feed);
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.pid, getpid());
  EXPECT_EQ(s.totals.ticks, 1000u);
  EXPECT_EQ(s.totals.realized, -12345);
  EXPECT_EQ(s.totals.halted, 1u);
  ASSERT_EQ(s.positions.size(), 3u);
  EXPECT_STREQ(s.positions[2].symbol, "S2");
  EXPECT_EQ(s.positions[0].position, -100);
  ASSERT_EQ(s.fills.size(), 64u);  // the last 64 of 70, oldest first
  EXPECT_EQ(s.fills.front().fill_id, 7u);
  EXPECT_EQ(s.fills.back().fill_id, 70u);
}

TEST(AlgoStatus, shouldReadBackRiskAndPnlSamplesWhenUpdatedWithThem) {
  const std::string feed = unique_segment("status-risk");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "r1", "momentum", "", 4};
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  AlgoTotals t{};
  t.fills = 2;
  std::vector<FillRecord> fills(2);
  for (std::uint64_t f = 1; f <= 2; ++f) {
    FillRecord& r = fills[f - 1];
    r.fill_id = f;
    r.side = f == 1 ? 1 : -1;
    r.quantity = 100;
    std::snprintf(r.symbol, sizeof r.symbol, "AAPL");
    std::memset(r.reason, 'x', sizeof r.reason);  // unterminated: the reader must cut it
  }
  AlgoRiskRecord risk{};
  risk.rejects_by[4] = 9;
  risk.max_orders_per_sec = 100;
  risk.pnl_samples = 300;  // more than the ring holds: the newest 256 stay
  std::vector<PnlSample> pnl;
  for (std::uint64_t k = 1; k <= 300; ++k)
    pnl.push_back(PnlSample{k, k, static_cast<std::int64_t>(k) * 10, 0, 0, 0, 0, 0});
  w->update(t, {}, fills, risk, pnl);

  auto s = read_algo_status(algo_segment_path(feed, "r1"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->risk.rejects_by[4], 9u);
  EXPECT_EQ(s->risk.max_orders_per_sec, 100u);
  ASSERT_EQ(s->pnl.size(), 256u);
  EXPECT_EQ(s->pnl.front().sample_id, 45u);
  EXPECT_EQ(s->pnl.back().total_pnl, 3000);
  ASSERT_EQ(s->fills.size(), 2u);
  EXPECT_EQ(algo_text(s->fills[0].symbol, sizeof s->fills[0].symbol), "AAPL");
  EXPECT_EQ(algo_text(s->fills[0].reason, sizeof s->fills[0].reason).size(), sizeof s->fills[0].reason - 1);
}

TEST(AlgoStatus, shouldDropRingEntriesWhoseIdsAreStaleOrInTheWrongSlotWhenRead) {
  const std::string feed = unique_segment("status-forged");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "f1", "momentum", "", 4};
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  AlgoTotals t{};
  t.fills = 5;  // the newest fill id: 100 and 1000 below are forged, 5 is real
  std::vector<FillRecord> fills(3);
  fills[0].fill_id = 5;
  fills[1].fill_id = 100 + 64;  // beyond the newest
  fills[2].fill_id = 1000;
  AlgoRiskRecord risk{};
  risk.pnl_samples = 1;
  std::vector<PnlSample> pnl{PnlSample{1, 1, 7, 0, 0, 0, 0, 0}, PnlSample{700, 2, 8, 0, 0, 0, 0, 0}};
  w->update(t, {}, fills, risk, pnl);
  auto s = read_algo_status(algo_segment_path(feed, "f1"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->fills.size(), 1u);
  EXPECT_EQ(s->fills[0].fill_id, 5u);
  ASSERT_EQ(s->pnl.size(), 1u);
  EXPECT_EQ(s->pnl[0].total_pnl, 7);
}

TEST(AlgoStatus, shouldRefuseASecondAlgoWhenTheNameIsTakenByALiveOne) {
  const std::string feed = unique_segment("status2");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "dup", "momentum", "", 4};
  auto first = AlgoStatusWriter::create(id);
  ASSERT_TRUE(first.ok());
  auto second = AlgoStatusWriter::create(id);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::kAlreadyRunning);
  EXPECT_NE(second.error().message.find(std::to_string(getpid())), std::string::npos);
}

TEST(AlgoStatus, shouldReplaceTheSegmentWhenItsOwnerIsDead) {
  const std::string feed = unique_segment("status3");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "ghost", "mean-revert", "", 4};
  // A child creates the segment and dies without cleaning up (SIGKILL-like _exit, no destructors).
  Child c = Child::fork_fn([&] {
    auto w = AlgoStatusWriter::create(id);
    if (!w.ok()) return 3;
    std::fflush(nullptr);
    _exit(0);
  });
  ASSERT_EQ(c.wait_for(std::chrono::seconds(10)), 0);
  auto left = read_algo_status(algo_segment_path(feed, "ghost"));
  ASSERT_TRUE(left.ok());
  EXPECT_FALSE(left->alive);
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  auto now = read_algo_status(algo_segment_path(feed, "ghost"));
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->alive);
  EXPECT_EQ(now->pid, getpid());
}

TEST(AlgoStatus, shouldUnlinkTheSegmentWhenTheWriterIsDestroyed) {
  const std::string feed = unique_segment("status4");
  ShmGuard guard(feed);
  {
    auto w = AlgoStatusWriter::create(AlgoIdentity{feed, "tmp", "x", "", 2});
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(guard.leftovers().size(), 1u);
  }
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(AlgoStatus, shouldRefuseWhenTheFileIsForeignOrTruncated) {
  const std::string feed = unique_segment("status5");
  ShmGuard guard(feed);
  const std::string path = algo_segment_path(feed, "junk");
  const int fd = shm_open(path.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  const std::string junk(700, 'q');
  ASSERT_EQ(write(fd, junk.data(), junk.size()), static_cast<ssize_t>(junk.size()));
  close(fd);
  auto r = read_algo_status(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad magic"), std::string::npos);
  std::vector<std::string> errors;
  EXPECT_TRUE(read_all_algo_status(feed, &errors).empty());
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace tickshm::test
