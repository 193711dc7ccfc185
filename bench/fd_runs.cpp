// The baselines: the same ticks written to each reader through a Unix stream socket or a pipe, the
// writer blocking when a reader's buffer is full, each reader blocking in read().
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "run_common.hpp"

namespace tickshm::bench {

namespace {

// One message is one tick: a write of 64 bytes to each reader, a read of 64 bytes by each reader.
bool write_all(int fd, const void* data, std::size_t n) noexcept {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// Reads exactly n bytes; 0 at a clean end of stream, -1 on error, 1 when whole.
int read_exact(int fd, void* data, std::size_t n) noexcept {
  auto* p = static_cast<char*>(data);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) return got == 0 ? 0 : -1;
    got += static_cast<std::size_t>(r);
  }
  return 1;
}

struct FdPair {
  int read_end = -1;
  int write_end = -1;
};

void close_all_but(const std::vector<FdPair>& fds, int keep_a, int keep_b) noexcept {
  for (const auto& p : fds) {
    if (p.read_end != keep_a && p.read_end != keep_b) close(p.read_end);
    if (p.write_end != keep_a && p.write_end != keep_b) close(p.write_end);
  }
}

int fd_writer(const Config& c, Mode m, const std::vector<FdPair>& fds, SharedBlock& b) {
  std::vector<int> out;
  for (const auto& p : fds) {
    close(p.read_end);
    out.push_back(p.write_end);
  }
  RunControl& ctl = b.control;
  if (!wait_for_count(ctl.readers_ready, static_cast<std::uint32_t>(out.size()), ctl.abort,
                      kSetupTimeoutNs)) {
    set_error(b.writer.error, "readers did not start");
    return 1;
  }
  const std::uint32_t symbols = c.symbols;
  std::uint64_t s = 0;
  const std::uint64_t start = now_ns();
  b.writer.start_ns = start;
  bool failed = false;
  if (m == Mode::kLatency) {
    const std::uint64_t n = c.latency_count();
    const std::uint64_t deadline = pace_deadline(start, n, c.rate);
    for (; s < n && !failed; ++s) {
      const TickRecord t = make_tick(s, spin_until(paced_time(start, s, c.rate)), symbols);
      for (int fd : out) failed |= !write_all(fd, &t, sizeof t);
      if ((s & 63) == 0 && (ctl.abort.load(std::memory_order_relaxed) || t.publish_ns > deadline)) {
        ++s;
        break;
      }
    }
  } else {
    const auto until = start + static_cast<std::uint64_t>(c.throughput_s * 1e9);
    while (!failed) {
      const std::uint64_t stamp = now_ns();
      if (stamp >= until || ctl.abort.load(std::memory_order_relaxed)) break;
      for (std::uint64_t k = 0; k < kBatch && !failed; ++k, ++s) {
        const TickRecord t = make_tick(s, stamp, symbols);
        for (int fd : out) failed |= !write_all(fd, &t, sizeof t);
      }
    }
  }
  b.writer.end_ns = now_ns();
  b.writer.published = s;
  ctl.published.store(s);
  ctl.writer_done.store(true);
  for (int fd : out) close(fd);  // end of stream: readers stop at EOF
  if (failed) {
    set_error(b.writer.error, std::string("write: ") + std::strerror(errno));
    return 1;
  }
  b.writer.done = 1;
  return 0;
}

int fd_reader(const Config& c, Mode m, const std::vector<FdPair>& fds, std::size_t index, SharedBlock& b) {
  const int fd = fds[index].read_end;
  close_all_but(fds, fd, -1);
  ReaderReport& rep = b.readers[index];
  b.control.readers_ready.fetch_add(1);
  LatencyRecorder lat(c, b);
  TickRecord t{};
  std::uint64_t n = 0;
  for (;;) {
    const int r = read_exact(fd, &t, sizeof t);
    if (r <= 0) {
      if (r < 0) set_error(rep.error, std::string("read: ") + std::strerror(errno));
      break;
    }
    const std::uint64_t now = now_ns();
    if (n == 0) rep.first_ns = now;
    rep.last_ns = now;
    if (t.event_ns != n) ++rep.mismatches;
    ++n;
    if (m == Mode::kLatency) lat.record(now, t);
  }
  close(fd);
  rep.received = n;
  rep.lost = 0;  // a stream socket or a pipe never drops: the writer blocks instead
  lat.store(rep);
  rep.done = 1;
  b.control.readers_done.fetch_add(1);
  return rep.error[0] == '\0' ? 0 : 1;
}

}  // namespace

RunOutcome run_fd(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers) {
  RunOutcome out;
  out.name = run_name(t, WaitStrategy::kBlock);
  out.transport = t;
  out.wait = WaitStrategy::kBlock;
  out.mode = m;
  out.readers = readers;
  region.reset();
  SharedBlock& b = region.block();
  std::vector<FdPair> fds;
  std::string failure;
  for (std::size_t i = 0; i < readers && failure.empty(); ++i) {
    int v[2];
    const int rc = t == Transport::kPipe ? pipe(v) : socketpair(AF_UNIX, SOCK_STREAM, 0, v);
    if (rc != 0) {
      failure = std::string(t == Transport::kPipe ? "pipe: " : "socketpair: ") + std::strerror(errno);
      break;
    }
    fds.push_back(FdPair{v[0], v[1]});
  }
  if (!failure.empty()) {
    close_all_but(fds, -1, -1);
    out.error = failure;
    return out;
  }
  Workers w;
  for (std::size_t i = 0; i < readers; ++i) {
    w.spawn(c.cpus.reader(i), [&, i] { return fd_reader(c, m, fds, i, b); });
  }
  w.spawn(c.cpus.writer(), [&] { return fd_writer(c, m, fds, b); });
  close_all_but(fds, -1, -1);  // only the children hold the ends now: EOF works
  const double secs = m == Mode::kLatency
                          ? static_cast<double>(c.latency_count()) / static_cast<double>(c.rate)
                          : c.throughput_s;
  const bool exited = w.wait_all(c.timeout_ns(secs, readers), &b.control.abort);
  collect_outcome(out, b, exited, exited ? "" : "timed out or interrupted");
  return out;
}

}  // namespace tickshm::bench
