// One writer process and three reader processes per wait strategy: every tick received is whole and,
// for every reader, received + lost = published.
#include <atomic>

#include "common_fixture.hpp"
#include "shared_block.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {
// ctest lists the parameter by its name, not as a dump of its bytes (found by ADL beside the enum).
inline void PrintTo(WaitStrategy w, std::ostream* os) {
  *os << wait_name(w);
}
}  // namespace tickshm

namespace tickshm::test {
namespace {

#ifdef TICKSHM_SANITIZED
constexpr std::uint64_t kTicks = 200'000;
#else
constexpr std::uint64_t kTicks = 1'000'000;
#endif
constexpr int kReaders = 3;

struct Shared {
  struct Reader {
    std::atomic<std::uint64_t> received{0}, lost{0}, torn{0}, out_of_order{0}, verify_errors{0};
  } readers[kReaders];
  std::atomic<bool> readers_done{false};
};

int run_reader(const std::string& seg, WaitStrategy w, Shared::Reader& out) {
  SubscriberOptions o = subscriber_options(seg, w);
  o.verify = true;
  auto sub = Subscriber::create(o);
  if (!sub.ok()) return 2;
  TickRecord t{};
  std::uint64_t last = 0;
  bool first = true;
  const std::uint64_t give_up = now_ns() + 240 * kNsPerSec;
  while (sub->received() + sub->lost() < kTicks) {
    if (sub->next(t, give_up) != Subscriber::Next::kTick) return 3;
    if (!tick_matches(t, t.seq)) out.torn.fetch_add(1);
    if (!first && t.seq <= last) out.out_of_order.fetch_add(1);
    first = false;
    last = t.seq;
  }
  out.received = sub->received();
  out.lost = sub->lost();
  out.verify_errors = sub->verify_errors();
  return 0;
}

int run_writer(const std::string& seg, Shared& shared) {
  auto pub = Publisher::create(publisher_options(seg, 4096, /*verify=*/true));
  if (!pub.ok()) return 2;
  // Wait until the three readers have registered: they started first and are waiting for us.
  auto ctl = ControlView::open(seg, false);
  if (!ctl.ok()) return 3;
  const std::uint64_t give_up = now_ns() + 60 * kNsPerSec;
  while (ctl->readers().size() < kReaders) {
    if (now_ns() > give_up) return 4;
    pub->heartbeat(now_ns());
    usleep(1000);
  }
  for (std::uint64_t s = 0; s < kTicks; ++s) {
    TickRecord t = make_tick(s);
    pub->publish(t);
    if ((s & 63) == 63) {
      pub->wake_sleepers();
      if ((s & 0xFFFF) == 0xFFFF) pub->heartbeat(now_ns());
    }
  }
  pub->wake_sleepers();
  while (!shared.readers_done.load()) {
    pub->heartbeat(now_ns());
    usleep(1000);
  }
  return 0;
}

}  // namespace

class MultiProcess : public ::testing::TestWithParam<WaitStrategy> {};

TEST_P(MultiProcess, shouldDeliverWholeTicksAndAccountForEveryOneWhenThreeReadersRunInProcesses) {
  const std::string seg = unique_segment(std::string("mp-") + wait_name(GetParam()));
  ShmGuard guard(seg);
  SharedBlock<Shared> shared;
  std::vector<Child> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.push_back(Child::fork_fn([&, r] { return run_reader(seg, GetParam(), shared->readers[r]); }));
  }
  Child writer = Child::fork_fn([&] { return run_writer(seg, *shared); });
  for (int r = 0; r < kReaders; ++r) {
    EXPECT_EQ(readers[std::size_t(r)].wait_for(std::chrono::seconds(250)), 0) << "reader " << r;
  }
  shared->readers_done = true;
  EXPECT_EQ(writer.wait_for(std::chrono::seconds(30)), 0);
  for (int r = 0; r < kReaders; ++r) {
    const auto& res = shared->readers[r];
    EXPECT_EQ(res.torn.load(), 0u) << "reader " << r;
    EXPECT_EQ(res.out_of_order.load(), 0u) << "reader " << r;
    EXPECT_EQ(res.verify_errors.load(), 0u) << "reader " << r;
    EXPECT_EQ(res.received.load() + res.lost.load(), kTicks) << "reader " << r;
    EXPECT_GT(res.received.load(), 0u) << "reader " << r;
    RecordProperty("reader" + std::to_string(r) + "_lost", std::to_string(res.lost.load()));
  }
  EXPECT_TRUE(guard.leftovers().empty());
}

INSTANTIATE_TEST_SUITE_P(WaitStrategies, MultiProcess,
                         ::testing::Values(WaitStrategy::kSpin, WaitStrategy::kBlock,
                                           WaitStrategy::kAdaptive),
                         [](const auto& param_info) { return std::string(wait_name(param_info.param)); });

}  // namespace tickshm::test
