// tickshm-bridge's command line: struct Options and setup_cli (every flag also works in --config FILE).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "nats_link.hpp"
#include "tickshm/cli.hpp"

namespace tickshm::bridge {

enum class Mode { kOut, kIn };

struct Options {
  CommonOptions common;  // --segment: the local feed carried (out) or the local segment written (in)
  Mode mode = Mode::kOut;
  // NATS.
  std::string nats;  // URL[,URL...]
  int max_reconnect = -1;
  int reconnect_wait_ms = 250;
  int reconnect_buffer_kb = 8192;
  std::string creds, user, password, token;  // password/token: "file:PATH", "env:VAR" or (warned) literal
  std::string tls_ca, tls_cert, tls_key;
  mode_t segment_mode = 0600;  // --mode: the data segment (in) and the status segment (both)
  std::string jetstream;       // stream name; empty: core NATS
  std::int64_t jetstream_max_age_s = 3600;
  // out
  std::uint32_t batch = 64;
  std::uint32_t linger_us = 20;
  bool per_symbol = false;
  std::string wait = "adaptive";
  bool from_start = false;
  std::string name = "bridge-out";
  // in
  std::string remote_feed;
  std::string symbols;              // comma-separated subset; empty: all
  std::uint64_t ring_capacity = 0;  // 0: the upstream ring's capacity
  int pending_mb = 256;
  std::uint64_t start_seq = 0;  // JetStream: replay from this stream sequence
  double start_time_s = 0;      // JetStream: replay from this Unix time
};

void setup_cli(CLI::App& app, Options& opts);

// setup_cli + parse_cli. -1 to go on, else the exit code to return now.
int parse_command_line(int argc, char** argv, Options& opts);

// The NATS settings, secrets read from their file or variable. Fails (exit 2) on an unreadable one.
[[nodiscard]] Result<NatsSettings> nats_settings(const Options& opts, const std::string& client_name);

// Subjects: tickshm.<feed>.ticks, .sym.<SYMBOL>, .snapshot (requests), .epoch (pushed snapshots).
std::string ticks_subject(const std::string& feed);
std::string symbol_subject(const std::string& feed, const std::string& symbol);
std::string snapshot_subject(const std::string& feed);
std::string epoch_subject(const std::string& feed);  // snapshots pushed on a new epoch (kept by JetStream)
std::vector<std::string> stream_subjects(const std::string& feed);  // what a JetStream stream keeps

}  // namespace tickshm::bridge
