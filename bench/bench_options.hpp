// tickshm-bench's command line: every option with its description and validator, and the checks of
// what CLI11 cannot check alone (the CPU list, the feed binary).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "scenarios.hpp"
#include "tickshm/cli.hpp"

namespace tickshm::bench {

struct Options {
  CommonOptions common;
  Config config;
  std::string cpus = "auto";
  std::vector<std::string> waits{"spin", "adaptive", "block"};
  std::vector<std::string> peers{"iceoryx", "zeromq"};
  bool no_baselines = false, no_latency = false, no_throughput = false, no_extras = false;
  std::string feed = "auto";
  std::uint64_t feed_count = 20'000'000;
  std::uint32_t feed_runs = 3;
  std::string json;
  bool realtime = false;
  bool bridge = false;
  // --bridge's runs: batch sizes swept flat out and paced, linger, pace, counts, JetStream or not.
  std::vector<std::uint32_t> bridge_batches{64};
  std::uint32_t bridge_linger_us = 20;
  std::uint64_t bridge_rate = 100'000;
  double bridge_seconds = 2.0;
  std::uint64_t bridge_ticks = 2'000'000;
  bool bridge_no_jetstream = false;
  std::uint64_t symbol_feed_count = 5'000'000;
  double symbol_dash_s = 2.0;
};

void setup_cli(CLI::App& app, Options& o);

// "0,1,3" -> {0,1,3}, "auto" -> this process's CPUs, "none" -> {}; every CPU must be one this process
// may run on. False with `error` set otherwise.
bool parse_cpus(const std::string& text, std::vector<int>& out, std::string& error);

// The tickshm-feed to time: "none" -> "", "auto" -> the one beside this program if any, else the path.
std::string find_feed(const std::string& choice);

}  // namespace tickshm::bench
