// Fills a Snapshot from shared memory: the quote board, the reader registry and the algos' status
// segments, all mapped read-only. Never reads the tick ring and never registers as a reader.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "snapshot.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::dash {

struct SamplerOptions {
  std::uint64_t spark_period_ns = 500'000'000ULL;   // one sparkline point per period
  std::uint64_t reopen_period_ns = 200'000'000ULL;  // how often a WAITING/DEAD feed is looked for
};

// History kept per symbol and per reader: the widest sparkline and the symbol view's chart.
inline constexpr std::size_t kSparkPoints = 240;
inline constexpr std::size_t kTapeRows = 40;      // ticks the symbol view's tape holds at most
inline constexpr std::size_t kTapeScan = 65'536;  // ticks looked back over to find them

class Sampler {
 public:
  explicit Sampler(std::string feed, SamplerOptions opt = {});

  // Samples everything into out (its vectors are reused, so a steady state allocates little).
  void sample(Snapshot& out, std::uint64_t now_ns);

  // The symbol whose newest ticks go into Snapshot::tape ("" = none: the ring is not read at all).
  void set_tape_symbol(std::string symbol) { tape_symbol_ = std::move(symbol); }

  bool attached() const noexcept { return data_.has_value(); }
  std::uint64_t epoch() const noexcept { return data_ ? data_->epoch() : 0; }

 private:
  struct History {
    std::array<std::int64_t, kSparkPoints> mids{};
    std::size_t count = 0, head = 0;  // head: where the next point goes
    std::int64_t last_price = 0;
    std::uint64_t changed_ns = 0;
  };

  void attach(DataView view, std::uint64_t now_ns);
  void maybe_reopen(std::uint64_t now_ns, bool writer_gone);
  void sample_symbols(Snapshot& out, std::uint64_t now_ns);
  void sample_readers(Snapshot& out, std::uint64_t now_ns);
  void sample_algos(Snapshot& out, std::uint64_t now_ns);
  void sample_tape(Snapshot& out);

  std::string feed_;
  SamplerOptions opt_;
  std::optional<DataView> data_;
  std::optional<ControlView> ctl_;
  std::string last_error_;
  std::uint64_t next_reopen_ns_ = 0, next_ctl_open_ns_ = 0, next_spark_ns_ = 0;
  std::vector<History> history_;
  struct LagHistory {
    std::array<std::uint64_t, kSparkPoints> lags{};
    std::size_t count = 0, head = 0;
  };
  std::map<std::pair<std::uint32_t, std::int32_t>, LagHistory> lag_history_;  // by (slot, pid)
  bool spark_tick_ = false;  // this sample adds a point to the histories
  std::string tape_symbol_;
  std::uint64_t rate_t0_ = 0, rate_c0_ = 0;
  double rate_ = 0;
  bool rate_final_ = false;  // a full one-second window has been measured
};

}  // namespace tickshm::dash
