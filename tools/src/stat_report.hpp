// tickshm-stat's data: a read-only report of one feed (header, quotes, registry, algos) and the list of
// every tickshm segment in /dev/shm; gathering is separate from the text and JSON formatting.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tickshm/algo_status.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::stat {

// The "schema_version" of every JSON document tickshm-stat prints (report, --list, --clean): bumped
// when a field changes meaning or goes away (adding one does not bump it). docs/STAT.md lists them.
inline constexpr int kStatSchemaVersion = 1;

struct SymbolStat {
  std::uint32_t index = 0;
  std::string symbol;
  std::int64_t reference = 0;
  std::uint32_t tick_size = 0;
  bool whole = true;  // the quote was copied under its seqlock (false: the writer never let go)
  Quote quote;
};

struct ReaderStat {
  ReaderInfo info;
  std::uint64_t lag = 0;  // published - cursor (0 when the cursor is ahead)
  std::string state;      // "alive", "stale", "dead"
};

struct StatReport {
  std::string segment, path;
  std::string state;  // LIVE, STALE, DEAD, CLOSED (WriterHealth)
  std::uint64_t epoch = 0;
  std::int32_t writer_pid = 0;
  bool writer_alive = false;
  std::uint64_t published = 0;
  std::uint32_t layout_version = 0;
  std::uint64_t size_bytes = 0, ring_capacity = 0;
  std::uint32_t symbol_count = 0, symbol_capacity = 0;
  bool verify = false;
  std::uint64_t created_unix_ns = 0, uptime_ns = 0, heartbeat_age_ns = 0;
  std::uint64_t sampled_unix_ns = 0;
  std::vector<SymbolStat> symbols;
  bool registry_present = false;
  std::string registry_error;  // why the registry could not be read
  std::uint64_t registry_epoch = 0;
  std::vector<ReaderStat> readers;
  std::vector<AlgoStatusSnapshot> algos;
  std::vector<std::string> algo_errors;       // status segments that failed validation
  std::vector<BridgeStatusSnapshot> bridges;  // tickshm-bridge out/in on this segment
  std::vector<std::string> bridge_errors;
};

// Opens the feed's segments read-only (never registers, never writes) and copies everything out.
// Works on a segment whose writer is dead. Errors are DataView::open's (kNotFound, kInvalidSegment...).
[[nodiscard]] Result<StatReport> gather_report(const std::string& feed);

std::string format_text(const StatReport& r, std::size_t max_symbols);
std::string format_json(const StatReport& r, std::size_t max_symbols, bool pretty);

// One file of /dev/shm/tickshm.*, classified.
struct ListEntry {
  std::string name;  // "tickshm.market.ctl"
  std::string kind;  // "data", "control", "algo", "bridge"
  std::string feed;  // the feed it belongs to
  std::uint64_t size = 0;
  uid_t owner_uid = 0;
  std::string owner;  // user name, or the uid as text
  mode_t mode = 0;
  std::int32_t writer_pid = 0;  // the process that writes it (for control: the feed's writer)
  std::string status;           // "live", "creating", "closed", "dead", "refused", "invalid"
  std::string detail;           // validation error, algo name, ...
  bool writer_alive() const { return status == "live"; }
};

std::vector<ListEntry> gather_list();
std::string format_list_text(const std::vector<ListEntry>& entries);
std::string format_list_json(const std::vector<ListEntry>& entries, bool pretty);

}  // namespace tickshm::stat
