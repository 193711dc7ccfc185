// The iceoryx rows of tickshm-bench: one publisher with N subscribers, each a process, carrying the
// bus's ticks: spinning subscribers, WaitSet subscribers, and a publisher that waits for a full
// subscriber queue instead of dropping its oldest tick. Their RouDi is iceoryx_roudi's.
#include <unistd.h>

#include "iceoryx_roudi.hpp"
#include "peers.hpp"

#if TICKSHM_HAVE_ICEORYX
#include "iceoryx_hoofs/log/logmanager.hpp"
#include "iceoryx_posh/popo/publisher.hpp"
#include "iceoryx_posh/popo/subscriber.hpp"
#include "iceoryx_posh/popo/wait_set.hpp"
#include "iceoryx_posh/runtime/posh_runtime.hpp"
#endif

namespace tickshm::bench {

#if TICKSHM_HAVE_ICEORYX
namespace {

using Tick = TickRecord;

iox::capro::ServiceDescription service(const std::string& instance) {
  return {iox::capro::IdString_t(iox::cxx::TruncateToCapacity, "tickshm-bench"),
          iox::capro::IdString_t(iox::cxx::TruncateToCapacity, instance.c_str()),
          iox::capro::IdString_t(iox::cxx::TruncateToCapacity, "ticks")};
}

void init_runtime(const char* role) {
  iox::log::LogManager::GetLogManager().SetDefaultLogLevel(iox::log::LogLevel::kWarn,
                                                           iox::log::LogLevelOutput::kHideLogLevel);
  const std::string name = std::string("tickshm-bench-") + role + "-" + std::to_string(getpid());
  iox::runtime::PoshRuntime::initRuntime(iox::RuntimeName_t(iox::cxx::TruncateToCapacity, name.c_str()));
}

// Leaves the way a process using iceoryx should: exit() runs the runtime's destructor, which
// unregisters from RouDi (the harness's _exit would leave RouDi a dead client to find and clean up).
[[noreturn]] void leave(int code) {
  std::fflush(nullptr);
  std::exit(code);
}

int iox_writer(const Config& c, Transport t, Mode m, const std::string& instance, std::uint32_t readers,
               SharedBlock& b) {
  init_runtime("w");
  RunControl& ctl = b.control;
  iox::popo::PublisherOptions po;
  po.historyCapacity = 0;
  if (t == Transport::kIceoryxBlocking)
    po.subscriberTooSlowPolicy = iox::popo::ConsumerTooSlowPolicy::WAIT_FOR_CONSUMER;
  iox::popo::Publisher<Tick> pub(service(instance), po);
  ctl.writer_ready.store(1);
  if (!wait_for_count(ctl.readers_ready, readers, ctl.abort, kSetupTimeoutNs)) {
    set_error(b.writer.error, "iceoryx subscribers did not connect within 10 s");
    ctl.writer_done.store(true);
    return 1;
  }
  std::string error;
  const int code = peer_write(c, m, readers, b, [&](const Tick& tick) {
    auto loan = pub.loan();
    if (loan.has_error()) {
      error = "iceoryx loan failed (error " + std::to_string(static_cast<int>(loan.get_error())) + ")";
      return false;
    }
    *loan.value() = tick;
    loan.value().publish();
    return true;
  });
  if (!error.empty()) set_error(b.writer.error, error);
  return code;
}

int iox_reader(const Config& c, Transport t, Mode m, const std::string& instance, std::size_t index,
               SharedBlock& b) {
  init_runtime("r");
  RunControl& ctl = b.control;
  ReaderReport& rep = b.readers[index];
  if (!wait_for_count(ctl.writer_ready, 1, ctl.abort, kSetupTimeoutNs)) {
    set_error(rep.error, "the iceoryx publisher did not start");
    return 1;
  }
  iox::popo::SubscriberOptions so;
  so.queueCapacity = iox::MAX_SUBSCRIBER_QUEUE_CAPACITY;
  so.historyRequest = 0;
  if (t == Transport::kIceoryxBlocking) so.queueFullPolicy = iox::popo::QueueFullPolicy::BLOCK_PRODUCER;
  iox::popo::Subscriber<Tick> sub(service(instance), so);
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (sub.getSubscriptionState() != iox::SubscribeState::SUBSCRIBED) {
    if (now_ns() >= until || ctl.abort.load()) {
      set_error(rep.error, "not subscribed within 10 s");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto take = [&](TickRecord& out) {
    auto r = sub.take();
    if (r.has_error()) return false;
    out = *r.value();
    return true;
  };
  ctl.readers_ready.fetch_add(1);
  if (t != Transport::kIceoryxWaitSet) {
    return peer_read(c, m, index, b, 0, [&](TickRecord& out, bool) {
      if (take(out)) return true;
      cpu_relax();
      return false;
    });
  }
  iox::popo::WaitSet<> ws;
  if (ws.attachState(sub, iox::popo::SubscriberState::HAS_DATA).has_error()) {
    set_error(rep.error, "cannot attach the subscriber to a WaitSet");
    return 1;
  }
  return peer_read(c, m, index, b, 0, [&](TickRecord& out, bool wait) {
    if (take(out)) return true;
    if (!wait) return false;
    // Timed, so a reader whose last tick has come notices writer_done.
    (void)ws.timedWait(iox::units::Duration::fromMilliseconds(10));
    return take(out);
  });
}

}  // namespace

RunOutcome run_iceoryx(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers) {
  const std::string why = ensure_iceoryx_daemon();
  if (!why.empty()) return skipped_run(t, m, readers, why);
  RunOutcome out = peer_run_base(t, m, readers);
  region.reset();
  SharedBlock& b = region.block();
  // The run's own service: nothing of an earlier run is connected to it.
  static int runs = 0;
  const std::string instance = std::to_string(getpid()) + "-" + std::to_string(runs++);
  std::vector<std::string> runtimes;  // "r-PID", "w-PID": the names init_runtime gave them
  {
    Workers procs;
    for (std::size_t i = 0; i < readers; ++i) {
      const pid_t pid =
          procs.spawn(c.cpus.reader(i), [&, i]() -> int { leave(iox_reader(c, t, m, instance, i, b)); });
      runtimes.push_back("r-" + std::to_string(pid));
    }
    const auto n = static_cast<std::uint32_t>(readers);
    const pid_t pid =
        procs.spawn(c.cpus.writer(), [&]() -> int { leave(iox_writer(c, t, m, instance, n, b)); });
    runtimes.push_back("w-" + std::to_string(pid));
    const double secs = m == Mode::kLatency
                            ? static_cast<double>(c.latency_count()) / static_cast<double>(c.rate)
                            : c.throughput_s;
    const bool exited = procs.wait_all(c.timeout_ns(secs, readers), &b.control.abort);
    collect_outcome(out, b, exited, exited ? "" : "timed out or interrupted");
  }
  // A worker that had to be killed (a timeout, a signal) left its runtime's socket and lock in /tmp;
  // the process is gone (reaped above), so they are ours to remove.
  for (const auto& r : runtimes) {
    const std::string path = "/tmp/tickshm-bench-" + r;
    unlink(path.c_str());
    unlink((path + ".lock").c_str());
  }
  const std::string still = ensure_iceoryx_daemon();
  if (!still.empty()) {
    out.ok = false;
    out.error += (out.error.empty() ? "" : "; ") + still;
  }
  return out;
}

#else

RunOutcome run_iceoryx(const Config&, SharedRegion&, Transport t, Mode m, std::size_t readers) {
  return skipped_run(t, m, readers,
                     "iceoryx_posh was not found when tickshm-bench was built (Debian libiceoryx-posh-dev, "
                     "scripts/install-deps.sh; then rebuild)");
}

#endif

}  // namespace tickshm::bench
