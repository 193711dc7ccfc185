// The ZeroMQ rows of tickshm-bench: one XPUB socket bound to an ipc:// path and N SUB sockets, each a
// process, carrying the bus's ticks; with the default high-water mark (a full subscriber pipe drops
// ticks) or with ZMQ_XPUB_NODROP (the publisher blocks instead).
#include <unistd.h>

#include "peers.hpp"

#if TICKSHM_HAVE_ZMQ
#include <zmq.h>
#endif

namespace tickshm::bench {

#if TICKSHM_HAVE_ZMQ
namespace {

// A dropping pipe may never deliver the last ticks: a reader that heard nothing this long after the
// writer finished counts the rest as lost.
constexpr std::uint64_t kQuietNs = 200 * kNsPerMs;
constexpr int kPollMs = 10;

// A context with one socket, closed (linger 0) on every way out.
class ZmqSocket {
 public:
  explicit ZmqSocket(int type) : ctx_(zmq_ctx_new()) {
    if (ctx_ != nullptr) sock_ = zmq_socket(ctx_, type);
  }
  ~ZmqSocket() {
    if (sock_ != nullptr) {
      const int zero = 0;
      zmq_setsockopt(sock_, ZMQ_LINGER, &zero, sizeof zero);
      zmq_close(sock_);
    }
    if (ctx_ != nullptr) zmq_ctx_term(ctx_);
  }
  ZmqSocket(const ZmqSocket&) = delete;
  ZmqSocket& operator=(const ZmqSocket&) = delete;
  void* get() const noexcept { return sock_; }
  bool set(int option, int value) noexcept {
    return zmq_setsockopt(sock_, option, &value, sizeof value) == 0;
  }

 private:
  void* ctx_ = nullptr;
  void* sock_ = nullptr;
};

std::string zmq_error(const char* what) {
  return std::string(what) + ": " + zmq_strerror(zmq_errno());
}

int zmq_writer(const Config& c, Transport t, Mode m, const std::string& endpoint, std::uint32_t readers,
               SharedBlock& b) {
  RunControl& ctl = b.control;
  auto fail = [&](const std::string& e) {
    set_error(b.writer.error, e);
    ctl.writer_done.store(true);
    return 1;
  };
  ZmqSocket pub(ZMQ_XPUB);
  if (pub.get() == nullptr) return fail(zmq_error("zmq_socket"));
  // Verbose: every SUB's subscription comes up, so the writer knows when all N are connected.
  if (!pub.set(ZMQ_XPUB_VERBOSE, 1) || !pub.set(ZMQ_RCVTIMEO, kPollMs) || !pub.set(ZMQ_SNDTIMEO, kPollMs))
    return fail(zmq_error("zmq_setsockopt"));
  if (t == Transport::kZmqNoDrop && !pub.set(ZMQ_XPUB_NODROP, 1)) return fail(zmq_error("ZMQ_XPUB_NODROP"));
  if (zmq_bind(pub.get(), endpoint.c_str()) != 0) return fail(zmq_error(("zmq_bind " + endpoint).c_str()));
  ctl.writer_ready.store(1);
  std::uint32_t subscribed = 0;
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (subscribed < readers) {
    unsigned char msg[64];
    const int n = zmq_recv(pub.get(), msg, sizeof msg, 0);
    if (n >= 1 && msg[0] == 1) ++subscribed;
    if (now_ns() >= until || ctl.abort.load()) return fail("ZeroMQ subscribers did not connect within 10 s");
  }
  if (!wait_for_count(ctl.readers_ready, readers, ctl.abort, kSetupTimeoutNs))
    return fail("readers did not start");
  std::string error;
  const int code = peer_write(c, m, readers, b, [&](const TickRecord& tick) {
    for (;;) {
      if (zmq_send(pub.get(), &tick, sizeof tick, 0) == static_cast<int>(sizeof tick)) return true;
      // EAGAIN: NODROP and a full pipe, for kPollMs; look at abort and try again.
      if (zmq_errno() != EAGAIN && zmq_errno() != EINTR) {
        error = zmq_error("zmq_send");
        return false;
      }
      if (ctl.abort.load(std::memory_order_relaxed)) {
        error = "aborted while the publisher was blocked";
        return false;
      }
    }
  });
  if (!error.empty()) set_error(b.writer.error, error);
  return code;
}

int zmq_reader(const Config& c, Mode m, const std::string& endpoint, std::size_t index, SharedBlock& b) {
  RunControl& ctl = b.control;
  ReaderReport& rep = b.readers[index];
  if (!wait_for_count(ctl.writer_ready, 1, ctl.abort, kSetupTimeoutNs)) {
    set_error(rep.error, "the ZeroMQ publisher did not bind");
    return 1;
  }
  ZmqSocket sub(ZMQ_SUB);
  if (sub.get() == nullptr || !sub.set(ZMQ_RCVTIMEO, kPollMs) ||
      zmq_connect(sub.get(), endpoint.c_str()) != 0 || zmq_setsockopt(sub.get(), ZMQ_SUBSCRIBE, "", 0) != 0) {
    set_error(rep.error, zmq_error("ZeroMQ subscriber"));
    return 1;
  }
  ctl.readers_ready.fetch_add(1);
  return peer_read(c, m, index, b, kQuietNs, [&](TickRecord& out, bool wait) {
    return zmq_recv(sub.get(), &out, sizeof out, wait ? 0 : ZMQ_DONTWAIT) == static_cast<int>(sizeof out);
  });
}

}  // namespace

RunOutcome run_zmq(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers) {
  RunOutcome out = peer_run_base(t, m, readers);
  region.reset();
  SharedBlock& b = region.block();
  static int runs = 0;
  const std::string path =
      "/tmp/tickshm-bench-" + std::to_string(getpid()) + "-zmq-" + std::to_string(runs++);
  const std::string endpoint = "ipc://" + path;
  {
    Workers procs;
    for (std::size_t i = 0; i < readers; ++i) {
      procs.spawn(c.cpus.reader(i), [&, i] { return zmq_reader(c, m, endpoint, i, b); });
    }
    const auto n = static_cast<std::uint32_t>(readers);
    procs.spawn(c.cpus.writer(), [&] { return zmq_writer(c, t, m, endpoint, n, b); });
    const double secs = m == Mode::kLatency
                            ? static_cast<double>(c.latency_count()) / static_cast<double>(c.rate)
                            : c.throughput_s;
    const bool exited = procs.wait_all(c.timeout_ns(secs, readers) + kQuietNs, &b.control.abort);
    collect_outcome(out, b, exited, exited ? "" : "timed out or interrupted");
  }
  unlink(path.c_str());
  return out;
}

#else

RunOutcome run_zmq(const Config&, SharedRegion&, Transport t, Mode m, std::size_t readers) {
  return skipped_run(t, m, readers,
                     "libzmq was not found when tickshm-bench was built (Debian libzmq3-dev, "
                     "scripts/install-deps.sh; then rebuild)");
}

#endif

}  // namespace tickshm::bench
