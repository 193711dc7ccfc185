// Everything one tickshm-bench invocation measured, the TARGETS.md ratios derived from it, and its
// two renderings: tables for people (stdout) and JSON for machines (--json).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scaling.hpp"
#include "scenarios.hpp"

namespace tickshm::bench {

struct Machine {
  std::string date;       // local time of the run
  std::string cpu_model;  // /proc/cpuinfo "model name"
  unsigned online_cpus = 0;
  std::string kernel;
};
Machine describe_machine();

struct Report {
  Config config;
  Machine machine;
  std::optional<FloorOutcome> floor;
  std::optional<FloorBracket> floor_bracket;  // the floor around the spin reader's latency run
  std::vector<RunOutcome> runs;
  std::optional<LosslessOutcome> lossless;
  std::optional<IdleOutcome> idle;
  std::vector<WriterCostOutcome> writer_cost;
  std::vector<WriterCostOutcome> writer_cost_scaling;  // N block readers, for each count of --readers
  std::optional<FeedOutcome> feed;
  std::vector<SymbolScale> symbol_scaling;
};

// One TARGETS.md check: value against a bound, "n/a" when its runs were not part of this invocation.
struct Ratio {
  std::string id;    // "1.p50_vs_floor"
  std::string what;  // human text
  bool available = false;
  double value = 0;
  std::string unit;     // "x", "ns", "M/s", "%", "ticks"
  bool at_most = true;  // the target is value <= bound (else >=)
  double bound = 0;
  bool met = false;
};
std::vector<Ratio> compute_ratios(const Report& r);

void print_tables(const Report& r, const std::vector<Ratio>& ratios);
// The --json document's "schema_version": bumped when a field changes meaning or goes away.
inline constexpr int kBenchSchemaVersion = 2;
std::string to_json(const Report& r, const std::vector<Ratio>& ratios);

}  // namespace tickshm::bench
