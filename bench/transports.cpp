// The names of tickshm-bench's transports, modes and runs, the configuration's arithmetic, and the one
// entry point that runs any transport.
#include <algorithm>
#include <cmath>

#include "peers.hpp"
#include "run_common.hpp"

namespace tickshm::bench {

const char* transport_name(Transport t) noexcept {
  switch (t) {
    case Transport::kTickshm:
      return "tickshm";
    case Transport::kUnixSocket:
      return "unix-socket";
    case Transport::kPipe:
      return "pipe";
    case Transport::kIceoryxSpin:
    case Transport::kIceoryxWaitSet:
    case Transport::kIceoryxBlocking:
      return "iceoryx";
    case Transport::kZmq:
    case Transport::kZmqNoDrop:
      return "zeromq";
  }
  return "?";
}

const char* mode_name(Mode m) noexcept {
  return m == Mode::kLatency ? "latency" : "throughput";
}

const char* cost_readers_name(CostReaders r) noexcept {
  switch (r) {
    case CostReaders::kNone:
      return "none";
    case CostReaders::kSpinning:
      return "spinning";
    case CostReaders::kSleeping:
      return "sleeping";
    case CostReaders::kDead:
      return "dead";
    case CostReaders::kSleepingMany:
      return "sleeping16";
  }
  return "?";
}

const char* wake_mode_name(WakeMode m) noexcept {
  return m == WakeMode::kAll ? "wake-all" : "fan-out";
}

std::string run_name(Transport t, WaitStrategy w) {
  switch (t) {
    case Transport::kTickshm:
      break;
    case Transport::kIceoryxSpin:
      return "iceoryx-spin";
    case Transport::kIceoryxWaitSet:
      return "iceoryx-waitset";
    case Transport::kIceoryxBlocking:
      return "iceoryx-blocking";
    case Transport::kZmqNoDrop:
      return "zeromq-nodrop";
    default:
      return transport_name(t);
  }
  switch (w) {
    case WaitStrategy::kSpin:
      return "tickshm-spin";
    case WaitStrategy::kBlock:
      return "tickshm-block";
    case WaitStrategy::kAdaptive:
      return "tickshm-adaptive";
  }
  return "tickshm-?";
}

bool spins(Transport t, WaitStrategy w) noexcept {
  return (t == Transport::kTickshm && w == WaitStrategy::kSpin) || t == Transport::kIceoryxSpin ||
         t == Transport::kIceoryxBlocking;
}

std::uint64_t Config::latency_count() const noexcept {
  if (count != 0) return count;
  return std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::llround(static_cast<double>(rate) * duration_s)));
}

std::uint64_t Config::timeout_ns(double seconds, std::size_t readers) const noexcept {
  // Set-up, the run itself several times over (a loaded machine), and the readers' last wake-up.
  const double slower = std::max(1.0, static_cast<double>(readers) / 2.0);
  return static_cast<std::uint64_t>((20.0 + 5.0 * seconds * slower) * 1e9);
}

RunOutcome run_transport(const Config& c, SharedRegion& region, Transport t, WaitStrategy w, Mode m,
                         std::size_t readers) {
  switch (t) {
    case Transport::kTickshm:
      return run_tickshm(c, region, w, m, readers);
    case Transport::kUnixSocket:
    case Transport::kPipe:
      return run_fd(c, region, t, m, readers);
    case Transport::kIceoryxSpin:
    case Transport::kIceoryxWaitSet:
    case Transport::kIceoryxBlocking:
      return run_iceoryx(c, region, t, m, readers);
    case Transport::kZmq:
    case Transport::kZmqNoDrop:
      return run_zmq(c, region, t, m, readers);
  }
  RunOutcome out;
  out.error = "unknown transport";
  return out;
}

}  // namespace tickshm::bench
