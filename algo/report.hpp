// The run's summary: gathered into one plain struct, printed for people and written as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine.hpp"
#include "tickshm/histogram.hpp"

namespace tickshm::algo {

// The --report document's "schema_version": bumped when a field changes meaning or goes away.
inline constexpr int kReportSchemaVersion = 1;

struct EpochReport {
  std::uint64_t epoch = 0;
  std::uint64_t joined_at = 0;  // sequence the algo started reading this epoch at
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
};

struct PositionReport {
  std::string symbol;
  std::int64_t position = 0, avg_cost = 0, mark = 0;
  Money realized = 0, unrealized = 0;
  std::uint32_t orders = 0, fills = 0;
};

struct RunReport {
  std::string name, strategy, params, feed, wait;
  double elapsed_s = 0;
  bool verify = false;
  std::uint64_t received = 0, lost = 0, verify_errors = 0;
  std::vector<EpochReport> epochs;
  EngineCounters counters;
  bool halted = false;
  std::string halt_reason;
  Money realized = 0, unrealized = 0, total_pnl = 0, commissions = 0;
  Money gross_exposure = 0, net_exposure = 0, max_drawdown = 0;
  LatencySummary read, decide;
  std::vector<PositionReport> positions;
};

// Collects the engine's side (counters, P&L, positions) into a report.
void add_engine(RunReport& r, const Engine& e);

std::string summary_text(const RunReport& r);  // several lines for stdout
std::string report_json(const RunReport& r);   // the --report document (fields in docs/ALGO.md)

}  // namespace tickshm::algo
