// The baseline runs (Unix sockets, pipes), the cache-line ping-pong floor, the feed run, and what
// every run shares: configuration arithmetic and turning shared reports into outcomes.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <regex>
#include <sstream>
#include <thread>

#include "peers.hpp"
#include "run_common.hpp"
#include "scenarios.hpp"

namespace tickshm::bench {

RunOutcome run_tickshm(const Config& c, SharedRegion& region, WaitStrategy w, Mode m, std::size_t readers);

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

bool wait_for_count(const std::atomic<std::uint32_t>& counter, std::uint32_t n,
                    const std::atomic<bool>& abort, std::uint64_t timeout_ns) {
  const std::uint64_t until = now_ns() + timeout_ns;
  while (counter.load(std::memory_order_acquire) < n) {
    if (abort.load(std::memory_order_relaxed) || now_ns() >= until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return true;
}

void collect_outcome(RunOutcome& out, const SharedBlock& b, bool all_exited, const std::string& who_failed) {
  out.published = b.writer.published;
  out.writer_minor_faults = b.writer.minor_faults;
  if (b.writer.end_ns > b.writer.start_ns) {
    out.writer_seconds = static_cast<double>(b.writer.end_ns - b.writer.start_ns) / 1e9;
    out.writer_rate_per_s = static_cast<double>(out.published) / out.writer_seconds;
  }
  LatencyHistogram merged;
  out.ok = all_exited && who_failed.empty() && b.writer.done != 0;
  std::string errors = who_failed;
  if (b.writer.error[0] != '\0')
    errors += std::string(errors.empty() ? "" : "; ") + "writer: " + b.writer.error;
  out.slowest_rate_per_s = -1;
  for (std::size_t i = 0; i < out.readers; ++i) {
    const ReaderReport& r = b.readers[i];
    ReaderFigures f;
    f.received = r.received;
    f.lost = r.lost;
    f.mismatches = r.mismatches;
    f.minor_faults = r.minor_faults;
    f.latency = summarize(r.hist);
    if (r.last_ns > b.writer.start_ns && b.writer.start_ns != 0) {
      f.rate_per_s =
          static_cast<double>(r.received) / (static_cast<double>(r.last_ns - b.writer.start_ns) / 1e9);
    }
    merged.merge(r.hist);
    out.lost_total += r.lost;
    if (out.slowest_rate_per_s < 0 || f.rate_per_s < out.slowest_rate_per_s)
      out.slowest_rate_per_s = f.rate_per_s;
    if (r.done == 0) out.ok = false;
    if (r.error[0] != '\0') {
      errors += std::string(errors.empty() ? "" : "; ") + "reader " + std::to_string(i) + ": " + r.error;
      out.ok = false;
    }
    if (r.done != 0 && r.received + r.lost != out.published) {
      errors += std::string(errors.empty() ? "" : "; ") + "reader " + std::to_string(i) +
                ": received + lost = " + std::to_string(r.received + r.lost) + " != published " +
                std::to_string(out.published);
      out.ok = false;
    }
    if (r.mismatches != 0) {
      errors += std::string(errors.empty() ? "" : "; ") + "reader " + std::to_string(i) + ": " +
                std::to_string(r.mismatches) + " ticks with a wrong payload";
      out.ok = false;
    }
    out.per_reader.push_back(f);
  }
  if (out.slowest_rate_per_s < 0) out.slowest_rate_per_s = 0;
  out.latency = summarize(merged);
  if (merged.count() > 0) {
    // 1 - 10^(-k/4): four points per decade of the tail, as far as the count resolves.
    for (int k = 0;; ++k) {
      const double q = 1.0 - std::pow(10.0, -k / 4.0);
      if (k > 0 && (1.0 - q) * static_cast<double>(merged.count()) < 1.0) break;
      out.percentiles.emplace_back(100.0 * q, merged.percentile(q));
    }
    out.percentiles.emplace_back(100.0, merged.max());
  }
  out.error = errors;
  if (!out.ok && out.error.empty()) out.error = "a process did not finish";
}

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

int fd_reader(Mode m, const std::vector<FdPair>& fds, std::size_t index, SharedBlock& b) {
  const int fd = fds[index].read_end;
  close_all_but(fds, fd, -1);
  ReaderReport& rep = b.readers[index];
  b.control.readers_ready.fetch_add(1);
  LatencyHistogram hist;
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
    if (m == Mode::kLatency) hist.record(now - t.publish_ns);
  }
  close(fd);
  rep.received = n;
  rep.lost = 0;  // a stream socket or a pipe never drops: the writer blocks instead
  rep.hist = hist;
  rep.done = 1;
  b.control.readers_done.fetch_add(1);
  return rep.error[0] == '\0' ? 0 : 1;
}

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
    w.spawn(c.cpus.reader(i), [&, i] { return fd_reader(m, fds, i, b); });
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

}  // namespace

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

namespace {

// One slot of the bare ring: a sequence word and the stamp on one line, as the bus's TickRecord.
struct alignas(64) BareSlot {
  std::atomic<std::uint64_t> seq{0};  // tick number + 1 once written
  std::atomic<std::uint64_t> stamp{0};
  std::uint8_t pad[48] = {};
};
static_assert(sizeof(BareSlot) == 64);

// An anonymous shared mapping that forked children inherit.
class SharedRing {
 public:
  explicit SharedRing(std::uint64_t slots) : bytes_(slots * sizeof(BareSlot)), mask_(slots - 1) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
    slots_ = static_cast<BareSlot*>(p);
  }
  ~SharedRing() { munmap(slots_, bytes_); }
  SharedRing(const SharedRing&) = delete;
  SharedRing& operator=(const SharedRing&) = delete;
  BareSlot& operator[](std::uint64_t i) const noexcept { return slots_[i & mask_]; }
  // Maps every page into the calling process, as the bus's MAP_POPULATE does: fork does not copy a
  // shared mapping's page tables, so each child would otherwise fault on every page's first touch.
  void touch() const noexcept { touch_pages(slots_, bytes_); }

 private:
  std::uint64_t bytes_;
  std::uint64_t mask_;
  BareSlot* slots_ = nullptr;
};

}  // namespace

bool floors_agree(std::uint64_t a_ns, std::uint64_t b_ns) {
  if (a_ns == 0 || b_ns == 0) return false;
  const double hi = static_cast<double>(std::max(a_ns, b_ns));
  const double lo = static_cast<double>(std::min(a_ns, b_ns));
  return hi <= kFloorAgreement * lo;
}

FloorOutcome run_floor(const Config& c, SharedRegion& region, bool ping_pong_only) {
  FloorOutcome out;
  region.reset();
  SharedBlock& b = region.block();
  const std::uint64_t n = std::max<std::uint64_t>(c.latency_count(), 10'000);
  // The bare ring: as long as a bus latency run, through as large a ring.
  const std::uint64_t bare = ping_pong_only ? 0 : c.latency_count();
  const std::uint64_t probe_ns = ping_pong_only ? 0 : kGapProbeNs;
  const SharedRing ring(ping_pong_only ? 1 : c.ring_capacity);
  Workers w;
  // The echo side: waits for each ping and answers with the same number on its own line.
  w.spawn(c.cpus.reader(0), [&] {
    ring.touch();
    b.control.readers_ready.store(1);
    for (std::uint64_t i = 1; i <= n; ++i) {
      std::uint32_t spins = 0;
      while (b.lines.ping.load(std::memory_order_acquire) != i) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      b.lines.pong.store(i, std::memory_order_release);
    }
    // Phase 2, the bare ring: tick j (from 1) in slot j - 1.
    LatencyHistogram hist;
    std::uint64_t lost = 0;
    b.control.readers_ready.store(2);
    for (std::uint64_t j = 1; j <= bare; ++j) {
      BareSlot& slot = ring[j - 1];
      std::uint32_t spins = 0;
      std::uint64_t seq = 0;
      while ((seq = slot.seq.load(std::memory_order_acquire)) < j) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      const std::uint64_t now = now_ns();
      const std::uint64_t stamp = slot.stamp.load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      // Lapped (the slot holds a later tick, or got one while we read it): tick j is gone.
      if (seq != j || slot.seq.load(std::memory_order_relaxed) != j) {
        ++lost;
        continue;
      }
      hist.record(now - stamp);
    }
    b.readers[0].hist = hist;
    b.readers[0].lost = lost;
    // Phase 3, this CPU's gaps: the clock read back to back, every step of kGapNs or more summed.
    const std::uint64_t probe_start = now_ns();
    std::uint64_t prev = probe_start, away = 0, gaps = 0, longest = 0;
    while (prev - probe_start < probe_ns) {
      const std::uint64_t now = now_ns();
      if (const std::uint64_t step = now - prev; step >= kGapNs) {
        away += step;
        ++gaps;
        longest = std::max(longest, step);
      }
      prev = now;
    }
    b.readers[0].probe_ns = prev - probe_start;
    b.readers[0].away_ns = away;
    b.readers[0].gaps = gaps;
    b.readers[0].longest_gap_ns = longest;
    b.readers[0].done = 1;
    return 0;
  });
  w.spawn(c.cpus.writer(), [&] {
    ring.touch();
    if (!wait_for_count(b.control.readers_ready, 1, b.control.abort, kSetupTimeoutNs)) return 1;
    LatencyHistogram hist;
    std::uint64_t prev = now_ns();
    b.writer.start_ns = prev;
    for (std::uint64_t i = 1; i <= n; ++i) {
      b.lines.ping.store(i, std::memory_order_release);
      std::uint32_t spins = 0;
      while (b.lines.pong.load(std::memory_order_acquire) != i) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      const std::uint64_t now = now_ns();
      hist.record((now - prev) / 2);
      prev = now;
    }
    b.writer.end_ns = prev;
    b.readers[1].hist = hist;  // readers[1] is free in this run: the floor's histogram goes there
    if (!wait_for_count(b.control.readers_ready, 2, b.control.abort, kSetupTimeoutNs)) return 1;
    const std::uint64_t start = now_ns();
    for (std::uint64_t j = 1; j <= bare; ++j) {
      BareSlot& slot = ring[j - 1];
      const std::uint64_t t = spin_until(paced_time(start, j, c.rate));
      // A seqlock's write: zero while the slot changes, so a reader lapped mid-read sees it.
      slot.seq.store(0, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_release);
      slot.stamp.store(t, std::memory_order_relaxed);
      slot.seq.store(j, std::memory_order_release);
    }
    b.writer.done = 1;
    return 0;
  });
  const bool exited = w.wait_all(
      c.timeout_ns(static_cast<double>(n) * 1e-6 + static_cast<double>(bare) / static_cast<double>(c.rate) +
                   static_cast<double>(probe_ns) / 1e9),
      &b.control.abort);
  out.ok = exited && b.writer.done != 0 && b.readers[0].done != 0;
  if (!out.ok) out.error = exited ? "a ping-pong process failed" : "timed out or interrupted";
  out.one_way = summarize(b.readers[1].hist);
  out.bare_ring = summarize(b.readers[0].hist);
  out.bare_ring_lost = b.readers[0].lost;
  if (b.readers[0].probe_ns > 0) {
    out.cpu_away_percent =
        100.0 * static_cast<double>(b.readers[0].away_ns) / static_cast<double>(b.readers[0].probe_ns);
  }
  out.cpu_gaps = b.readers[0].gaps;
  out.cpu_longest_gap_ns = b.readers[0].longest_gap_ns;
  return out;
}

namespace {

FeedOutcome run_feed_once(const Config& c, const std::string& binary, std::uint64_t count,
                          const std::vector<std::string>& extra) {
  FeedOutcome out;
  out.ran = true;
  out.binary = binary;
  out.count = count;
  const std::string seg = unique_segment(c.prefix, "feed");
  int pfd[2];
  if (pipe(pfd) != 0) {
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  Workers w;
  const std::string count_s = std::to_string(count);
  w.spawn(c.cpus.writer(), [&] {
    dup2(pfd[1], 1);
    dup2(pfd[1], 2);
    close(pfd[0]);
    close(pfd[1]);
    std::vector<std::string> args{binary, "--segment", seg, "--rate", "max", "--count", count_s};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    std::fprintf(stderr, "exec %s: %s\n", binary.c_str(), std::strerror(errno));
    return 127;
  });
  close(pfd[1]);
  // Reads the child's output while it runs, so a chatty feed cannot fill the pipe and stall.
  std::string text;
  std::thread drain([&] {
    char buf[4096];
    for (;;) {
      const ssize_t r = read(pfd[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      text.append(buf, static_cast<std::size_t>(r));
    }
  });
  std::atomic<bool> abort{false};
  const bool exited = w.wait_all(c.timeout_ns(static_cast<double>(count) / 1e6), &abort);
  drain.join();
  close(pfd[0]);
  remove_segment(seg);
  // The last lines are the summary; keep them for the report.
  std::istringstream lines(text);
  std::vector<std::string> all;
  for (std::string l; std::getline(lines, l);) all.push_back(l);
  for (std::size_t i = all.size() > 4 ? all.size() - 4 : 0; i < all.size(); ++i) out.summary += all[i] + "\n";
  if (!exited) {
    out.error = "feed timed out or was interrupted";
    return out;
  }
  // Accepts "12.3 M ticks/s", "12.3M/s", "12300000 ticks/s", "rate 12.3 Mticks/s" and the like; the last
  // wins.
  static const std::regex kRate(
      R"(([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG])?\s*(?:ticks?|msgs?|records?)?\s*/\s*s)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kRate); it != std::sregex_iterator(); ++it) {
    double v = std::stod((*it)[1].str());
    const std::string unit = (*it)[2].str();
    if (unit == "k" || unit == "K") v *= 1e3;
    if (unit == "m" || unit == "M") v *= 1e6;
    if (unit == "g" || unit == "G") v *= 1e9;
    out.rate_per_s = v;
  }
  out.ok = out.rate_per_s > 0;
  if (!out.ok) out.error = "no rate (N ticks/s) found in the feed's output";
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

void add_writer_cost_round(WriterCostOutcome& acc, const WriterCostOutcome& round) {
  acc.readers = round.readers;
  if (!round.ok) {
    acc.ok = false;
    acc.error = round.error;
    return;
  }
  acc.ok = acc.error.empty();  // a failed earlier round keeps the outcome failed
  acc.published += round.published;
  acc.reader_received += round.reader_received;
  acc.reader_lost += round.reader_lost;
  acc.round_ns.push_back(round.ns_per_tick);
  acc.ns_per_tick = median(acc.round_ns);
}

FeedOutcome run_feed(const Config& c, const std::string& binary, std::uint64_t count, std::uint32_t runs,
                     const std::vector<std::string>& extra) {
  FeedOutcome out;
  for (std::uint32_t i = 0; i < std::max<std::uint32_t>(runs, 1); ++i) {
    FeedOutcome one = run_feed_once(c, binary, count, extra);
    out.ran = one.ran;
    out.binary = one.binary;
    out.count = one.count;
    out.summary = one.summary;
    if (!one.ok) {
      out.ok = false;
      out.error = one.error;
      return out;
    }
    out.run_rates.push_back(one.rate_per_s);
  }
  out.rate_per_s = median(out.run_rates);
  out.ok = true;
  return out;
}

}  // namespace tickshm::bench
