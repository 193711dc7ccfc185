// tickshm-feed's ITCH flags: --itch FILE, --from/--to, --record-itch FILE, and how they combine with
// the other flags (setup_cli calls this after declaring those).
#include <CLI/CLI.hpp>

#include "itch_replay.hpp"
#include "options.hpp"

namespace tickshm::feed {

namespace {

const CLI::Validator kTimeOfDay(
    [](std::string& v) -> std::string {
      std::uint64_t ns = 0;
      std::string why;
      return parse_time_of_day(v, ns, why) ? std::string() : why;
    },
    "HH:MM:SS", "time of day");

}  // namespace

void add_itch_options(CLI::App& app, Options& o) {
  auto* itch = app.add_option("--itch", o.itch,
                              "Replay a NASDAQ TotalView-ITCH 5.0 file (or FILE.gz) through per-stock order "
                              "books; --symbols picks stocks (see docs/FEED.md, ITCH)")
                   ->check(CLI::ExistingFile)
                   ->group("ITCH");
  auto* from =
      app.add_option("--from", o.itch_from,
                     "ITCH: publish from this time of the file's day (books are built from its start)")
          ->check(kTimeOfDay)
          ->group("ITCH");
  auto* to = app.add_option("--to", o.itch_to, "ITCH: stop at this time of the file's day")
                 ->check(kTimeOfDay)
                 ->group("ITCH");
  from->needs(itch);
  to->needs(itch);
  app.add_option("--record-itch", o.record_itch,
                 "Also write every published tick to this file as ITCH 5.0 (FILE.gz: gzip)")
      ->check(CLI::NonexistentPath | CLI::ExistingFile)
      ->group("ITCH");

  // --itch is a replay: the simulator's and the CSV replay's flags mean nothing with it. --symbols
  // stays: it picks stocks from the file's directory.
  for (const char* name :
       {"--replay", "--symbols-file", "--num-symbols", "--rate", "--seed", "--market-weight", "--trade-ratio",
        "--jumps-per-session", "--jump-size", "--session-ticks", "--on-bad-row"}) {
    if (auto* opt = app.get_option_no_throw(name)) itch->excludes(opt);
  }
  if (auto* speed = app.get_option_no_throw("--speed")) {
    auto* replay = app.get_option_no_throw("--replay");
    app.callback([speed, replay, itch] {
      if (speed->count() > 0 && itch->count() == 0 && (replay == nullptr || replay->count() == 0)) {
        throw CLI::ValidationError("--speed", "requires --replay or --itch");
      }
    });
  }
}

}  // namespace tickshm::feed
