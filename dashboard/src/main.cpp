// tickshm-dash: the live terminal dashboard (or one plain-text frame with --snapshot).
#include <langinfo.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "frame.hpp"
#include "sampler.hpp"
#include "snapshot.hpp"
#include "terminal.hpp"
#include "tickshm/cli.hpp"
#include "tickshm/cli_checks.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/trust_cli.hpp"
#include "view.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::dash;

struct Options {
  CommonOptions common;
  int refresh_ms = 100;
  int spark_ms = 500;
  bool snapshot = false;
  int snapshot_ms = 600;
  std::size_t width = 120;
  std::size_t height = 0;
  bool ascii = false;
};

void setup_cli(CLI::App& app, Options& o) {
  add_common_options(app, o.common);
  add_trust_option(app);
  app.add_option("--refresh-ms", o.refresh_ms, "Milliseconds between two samples of shared memory")
      ->type_name("MS")
      ->check(checks::range(10, 10'000))
      ->capture_default_str();
  app.add_option("--spark-ms", o.spark_ms, "Milliseconds between two points of the sparkline (TREND)")
      ->type_name("MS")
      ->check(checks::range(50, 60'000))
      ->capture_default_str();
  app.add_flag("--snapshot", o.snapshot,
               "Print one plain-text frame (no ncurses, no colours) to stdout and exit");
  app.add_option("--snapshot-ms", o.snapshot_ms,
                 "--snapshot: sample this long first, so ticks/s, freshness and the sparkline have data")
      ->type_name("MS")
      ->check(checks::range(0, 60'000))
      ->capture_default_str();
  app.add_option("--width", o.width, "--snapshot: width of the frame in columns")
      ->type_name("COLUMNS")
      ->check(checks::range(40, 1000))
      ->capture_default_str();
  app.add_option("--height", o.height, "--snapshot: height of the frame in lines (0 = every row)")
      ->type_name("LINES")
      ->check(checks::range(0, 10'000))
      ->capture_default_str();
  app.add_flag("--ascii", o.ascii, "Draw the sparkline and arrows in ASCII instead of Unicode blocks");
}

bool locale_is_utf8() {
  std::setlocale(LC_ALL, "");
  return std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

int run_snapshot(const Options& o) {
  Sampler sampler(o.common.segment, {static_cast<std::uint64_t>(o.spark_ms) * kNsPerMs});
  Snapshot snap;
  const std::uint64_t end = now_ns() + static_cast<std::uint64_t>(o.snapshot_ms) * kNsPerMs;
  for (;;) {
    sampler.sample(snap, now_ns());
    if (now_ns() >= end) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(o.refresh_ms));
  }
  FrameOptions fo;
  fo.width = o.width;
  fo.height = o.height;
  fo.unicode = !o.ascii && locale_is_utf8();
  std::fputs(build_frame(snap, ViewState{}, fo).text().c_str(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
}

int run_ui(const Options& o) {
  install_terminal_signals();
  std::string error;
  auto term = Terminal::open(o.ascii, &error);
  if (!term) {
    std::cerr << "tickshm-dash: " << error << "\n";
    return kExitFailure;
  }
  Sampler sampler(o.common.segment, {static_cast<std::uint64_t>(o.spark_ms) * kNsPerMs});
  Snapshot snap;
  ViewState view;
  const std::uint64_t period = static_cast<std::uint64_t>(o.refresh_ms) * kNsPerMs;
  std::uint64_t next_sample = 0;
  bool dirty = true;
  Frame frame;
  while (!stop_requested_by_signal()) {
    const std::uint64_t now = now_ns();
    if (now >= next_sample) {
      if (!view.paused) sampler.sample(snap, now);
      next_sample = now + period;
      dirty = true;
    }
    if (dirty) {
      FrameOptions fo;
      fo.width = term->width();
      fo.height = term->height();
      fo.unicode = term->unicode();
      frame = build_frame(snap, view, fo);
      clamp_selection(view, frame.visible_count, frame.market_rows);
      term->draw(frame);
      dirty = false;
    }
    const std::uint64_t t = now_ns();
    const int wait_ms = next_sample > t ? static_cast<int>((next_sample - t + kNsPerMs - 1) / kNsPerMs) : 0;
    const int key = term->read_key(wait_ms);
    if (key < 0) continue;
    const KeyAction a = handle_key(view, key, frame.visible_count, frame.market_rows);
    if (a == KeyAction::kQuit) break;
    if (a == KeyAction::kRedraw) dirty = true;
  }
  return kExitOk;  // the Terminal's destructor restores the screen
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tickshm-dash: live terminal dashboard of a tickshm feed, its readers and its algos.\n"
      "Reads the quote board, the reader registry and the algos' status segments, read-only.",
      "tickshm-dash"};
  Options o;
  setup_cli(app, o);
  if (const int rc = parse_cli(app, argc, argv); rc >= 0) return rc;
  // Log lines would tear the ncurses screen: the UI only logs to --log-file, --snapshot to stderr.
  if (o.snapshot || !o.common.log_file.empty()) setup_logging("tickshm-dash", o.common);
  return o.snapshot ? run_snapshot(o) : run_ui(o);
}
