// The bridge status segment: written by its owner, read by anyone, and a foreign file refused.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "test_support.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/names.hpp"

namespace tickshm {
namespace {

TEST(BridgeStatusTest, shouldReadBackTheCountersWhenTheOwnerWroteThem) {
  const std::string seg = test::unique_segment("brst");
  test::ShmGuard guard(seg);
  auto w = BridgeStatusWriter::create(seg, BridgeDirection::kIn, "upstream");
  ASSERT_TRUE(w) << w.error().message;
  BridgeStatusWriter::set(w->raw().ticks, 1234);
  BridgeStatusWriter::set(w->raw().lost_ticks, 5);
  auto all = read_bridge_statuses(seg);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].direction, BridgeDirection::kIn);
  EXPECT_EQ(all[0].remote_feed, "upstream");
  EXPECT_EQ(all[0].ticks, 1234u);
  EXPECT_EQ(all[0].lost_ticks, 5u);
  EXPECT_TRUE(all[0].alive);
  auto again = BridgeStatusWriter::create(seg, BridgeDirection::kIn, "upstream");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kAlreadyRunning);
}

TEST(BridgeStatusTest, shouldRefuseAForeignFileWhenItIsNotABridgeStatus) {
  const std::string seg = test::unique_segment("brbad");
  test::ShmGuard guard(seg);
  const std::string path = bridge_status_path(seg, "out");
  for (const std::size_t size : {std::size_t{100}, sizeof(BridgeStatusLayout)}) {
    const int fd = ::shm_open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(size)), 0);
    std::vector<char> junk(size, 'J');
    ASSERT_EQ(::write(fd, junk.data(), junk.size()), static_cast<ssize_t>(junk.size()));
    ::close(fd);
    auto r = read_bridge_status(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidSegment) << r.error().message;
  }
  std::vector<std::string> errors;
  EXPECT_TRUE(read_bridge_statuses(seg, &errors).empty());
  EXPECT_EQ(errors.size(), 1u);
  ::shm_unlink(path.c_str());
}

}  // namespace
}  // namespace tickshm
