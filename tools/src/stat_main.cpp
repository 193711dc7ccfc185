// tickshm-stat: prints a feed's header, quotes, reader registry and algos (text or --json), lists every
// tickshm segment (--list) and removes those whose writer is dead (--clean). Never writes otherwise.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>

#include "stat_report.hpp"
#include "tickshm/cleanup.hpp"
#include "tickshm/cli.hpp"
#include "tickshm/cli_checks.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/json_out.hpp"
#include "tickshm/text.hpp"
#include "tickshm/trust_cli.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::stat;

struct Options {
  CommonOptions common;
  bool json = false;
  bool pretty = false;
  double watch_s = 0;
  bool list = false;
  bool clean = false;
  std::size_t max_symbols = 0;
};

void setup_cli(CLI::App& app, Options& o) {
  add_common_options(app, o.common);
  add_trust_option(app);
  app.add_flag("--json", o.json, "Print JSON instead of text (fields: docs/STAT.md)");
  app.add_flag("--pretty", o.pretty,
               "Indent the JSON (not with --watch, which prints one document per line)");
  app.add_option("--watch", o.watch_s, "Print again every SECONDS until interrupted")
      ->type_name("SECONDS")
      ->check(checks::range(0.05, 86'400.0));
  app.add_option("--max-symbols", o.max_symbols, "Print at most N symbols (0 = all)")
      ->type_name("N")
      ->check(checks::range(std::size_t{0}, std::size_t{1'000'000}))
      ->capture_default_str();
  auto* list =
      app.add_flag("--list", o.list, "List every tickshm segment in /dev/shm: size, owner, writer alive");
  auto* clean = app.add_flag("--clean", o.clean,
                             "Remove the segments whose writer is dead (of --segment when given, "
                             "else of every feed), after printing which");
  list->excludes(clean);
}

// A missing segment is a runtime condition (exit 1); a file that is not a valid segment is bad
// input (exit 2), as is an invalid name (rejected by the option's validator).
int report_error(const Error& e, const std::string& feed) {
  if (e.code == Errc::kNotFound) {
    std::cerr << "tickshm-stat: no feed segment /tickshm." << feed << " (is tickshm-feed --segment " << feed
              << " running? try --list)\n";
    return kExitFailure;
  }
  std::cerr << "tickshm-stat: " << e.message << "\n";
  return e.code == Errc::kInvalidSegment || e.code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
}

bool sleep_interruptible(double seconds) {
  const std::uint64_t end = now_ns() + static_cast<std::uint64_t>(seconds * 1e9);
  while (!stop_requested()) {
    const std::uint64_t now = now_ns();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<std::uint64_t>(end - now, 50'000'000)));
  }
  return false;
}

int run_list(const Options& o) {
  const auto entries = gather_list();
  std::fputs((o.json ? format_list_json(entries, o.pretty) : format_list_text(entries)).c_str(), stdout);
  return kExitOk;
}

int run_clean(const Options& o, bool segment_given) {
  const std::string only = segment_given ? o.common.segment : std::string();
  // Only what is proven dead goes (cleanup.hpp): a live feed's or algo's objects are never removed.
  const std::vector<CleanDecision> decisions = clean_proven_dead(only);
  std::size_t removed = 0;
  for (const CleanDecision& d : decisions) removed += d.removed ? 1 : 0;
  // Live feeds' registries: free slots held by dead owners or silent beyond kReaderStaleAfterNs (squatted).
  std::vector<std::string> freed;
  for (const ListEntry& e : gather_list()) {
    if (e.kind != "control" || e.status != "live" || (!only.empty() && e.feed != only)) continue;
    auto ctl = ControlView::open(e.feed, /*writable=*/true);
    if (!ctl) continue;
    for (const auto& s : ctl->free_reclaimable_slots(now_ns())) freed.push_back(e.name + " " + s);
  }
  if (o.json) {
    Json removed_names = Json::array(), kept = Json::array();
    for (const CleanDecision& d : decisions) {
      if (d.removed)
        removed_names.push_back(d.name);
      else
        kept.push_back({{"name", d.name}, {"reason", d.reason}});
    }
    const Json j = {{"schema_version", kStatSchemaVersion},
                    {"removed", removed_names},
                    {"kept", kept},
                    {"freed_slots", freed}};
    std::printf("%s\n", dump_json(j, o.pretty).c_str());
    return kExitOk;
  }
  for (const CleanDecision& d : decisions) {
    std::printf("%s %s (%s)\n", d.removed ? "removing" : "kept", printable(d.name).c_str(),
                printable(d.reason).c_str());
  }
  for (const auto& f : freed)
    std::printf("freed registry %s: its owner is gone or silent\n", printable(f).c_str());
  std::printf("%zu segment(s) removed\n", removed);
  return kExitOk;
}

int run_report(const Options& o) {
  int rc = kExitOk;
  for (bool first = true;; first = false) {
    if (!first && !o.json) std::printf("\n");
    auto r = gather_report(o.common.segment);
    if (r) {
      const bool pretty = o.pretty && o.watch_s == 0;
      std::fputs((o.json ? format_json(*r, o.max_symbols, pretty) : format_text(*r, o.max_symbols)).c_str(),
                 stdout);
      rc = kExitOk;
    } else {
      rc = report_error(r.error(), o.common.segment);
    }
    std::fflush(stdout);
    // --watch keeps watching through a missing feed: that is when one watches.
    if (o.watch_s == 0 || !sleep_interruptible(o.watch_s)) break;
  }
  return o.watch_s == 0 ? rc : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tickshm-stat: inspect a tickshm feed's segments read-only (like ipcs / AeronStat)",
               "tickshm-stat"};
  Options o;
  setup_cli(app, o);
  if (const int rc = parse_cli(app, argc, argv); rc >= 0) return rc;
  setup_logging("tickshm-stat", o.common);
  install_stop_signals();
  if (o.list) return run_list(o);
  if (o.clean) return run_clean(o, app.get_option("--segment")->count() > 0);
  return run_report(o);
}
