// tickshm-algo's run: reads ticks from the feed, trades them through the engine, publishes the status
// segment a few times a second, and writes the summary and reports at the end.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "algo_options.hpp"
#include "engine.hpp"
#include "pnl_history.hpp"
#include "report.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::algo {

class Runner {
 public:
  Runner(const Options& o, const ResolvedOptions& r, Subscriber sub, AlgoStatusWriter status);

  // Until stopped, the --duration or the feed's end; returns the exit code (the summary is printed).
  int run(const std::atomic<bool>& stop);

 private:
  // Attached to a new epoch (first feed, or a restart): closes the previous epoch's account and
  // rebuilds the engine's books for the new symbol directory.
  void on_new_epoch();
  void on_halt();
  // At most one line a second about ticks refused since the last one, naming the newest.
  void log_bad_ticks(std::uint64_t now);
  void publish_status(std::uint64_t now);
  int finish();

  const Options& opts_;
  const ResolvedOptions& res_;
  Subscriber sub_;
  AlgoStatusWriter status_;
  Engine engine_;
  LatencyHistogram decide_;
  std::vector<PositionRecord> positions_;
  std::vector<FillRecord> fills_;
  std::vector<EpochReport> epochs_;
  std::uint64_t epoch_ = 0, epochs_seen_ = 0, closed_received_ = 0, closed_lost_ = 0;
  std::string halt_reason_;
  double elapsed_s_ = 0;
  PnlHistory pnl_;
  std::vector<PnlSample> pnl_out_;
  std::uint64_t verify_seen_ = 0, bad_logged_ = 0, unverified_logged_ = 0, next_bad_log_ = 0;
};

}  // namespace tickshm::algo
