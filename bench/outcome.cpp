// Turning the shared reports of a finished run into its outcome, and the set-up wait every run shares.
#include <cmath>
#include <thread>

#include "run_common.hpp"

namespace tickshm::bench {

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
  LatencyHistogram merged, merged_corrected;
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
    f.latency_corrected = summarize(r.hist_corrected);
    if (r.last_ns > b.writer.start_ns && b.writer.start_ns != 0) {
      f.rate_per_s =
          static_cast<double>(r.received) / (static_cast<double>(r.last_ns - b.writer.start_ns) / 1e9);
    }
    merged.merge(r.hist);
    merged_corrected.merge(r.hist_corrected);
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
  out.latency_corrected = summarize(merged_corrected);
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
  acc.wake = round.wake;
  acc.round_asleep.push_back(round.asleep_per_tick);
  acc.round_p50.push_back(static_cast<double>(round.reader_p50_ns));
  acc.round_p99.push_back(static_cast<double>(round.reader_p99_ns));
  acc.asleep_per_tick = median(acc.round_asleep);
  acc.reader_p50_ns = static_cast<std::uint64_t>(median(acc.round_p50));
  acc.reader_p99_ns = static_cast<std::uint64_t>(median(acc.round_p99));
}

}  // namespace tickshm::bench
