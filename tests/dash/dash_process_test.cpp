// The real tickshm-dash with a real feed and algo: --snapshot output, and the ncurses UI driven in a
// real terminal under tmux (header, table, readers; keys s, /, q; the terminal restored on exit).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace tickshm::test {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = p.find(':', start);
    const std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string full = dir + "/" + name;
    if (!dir.empty() && access(full.c_str(), X_OK) == 0) return full;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

// One private tmux server per test (its own socket), killed in the destructor even when the test fails.
class Tmux {
 public:
  Tmux() : tmux_(find_program("tmux")), socket_(unique_segment("dash-tmux")) {}
  ~Tmux() {
    if (!tmux_.empty()) run(tmux_, {"-L", socket_, "kill-server"}, 5s);
  }
  Tmux(const Tmux&) = delete;
  Tmux& operator=(const Tmux&) = delete;

  bool available() const { return !tmux_.empty(); }
  // Runs command in a detached 120x40 session; `remain-on-exit` keeps the pane to inspect after exit.
  bool start(const std::string& command, int width = 120, int height = 40) {
    const auto r =
        run(tmux_, {"-L", socket_, "-f", "/dev/null", "new-session", "-d", "-x", std::to_string(width), "-y",
                    std::to_string(height), "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", command});
    return r.code && *r.code == 0;
  }
  std::string capture() const {
    const auto r = run(tmux_, {"-L", socket_, "capture-pane", "-p", "-t", "0"}, 5s);
    return r.out;
  }
  void keys(const std::vector<std::string>& keys) const {
    std::vector<std::string> args{"-L", socket_, "send-keys", "-t", "0"};
    args.insert(args.end(), keys.begin(), keys.end());
    run(tmux_, args, 5s);
  }
  void resize(int width, int height) const {
    run(tmux_,
        {"-L", socket_, "resize-window", "-t", "0", "-x", std::to_string(width), "-y",
         std::to_string(height)},
        5s);
  }
  // Waits until the pane shows `text`; returns the last capture either way.
  std::string wait_for(const std::string& text, std::chrono::milliseconds timeout = 15s) const {
    return wait_for_all({text}, timeout);
  }
  // Waits until the pane shows every one of `texts`: a frame is drawn top to bottom, so a capture can
  // hold its first lines and not yet its last (seen under ASan).
  std::string wait_for_all(const std::vector<std::string>& texts,
                           std::chrono::milliseconds timeout = 15s) const {
    std::string last;
    eventually(
        [&] {
          last = capture();
          return std::all_of(texts.begin(), texts.end(),
                             [&](const std::string& t) { return contains(last, t); });
        },
        timeout);
    return last;
  }

 private:
  std::string tmux_, socket_;
};

// The feed, with the symbols the tests look for; stopped (and reaped) by Child's destructor.
Child start_feed(const std::string& seg, const std::string& rate = "2000") {
  return Child::spawn(bin_path("tickshm-feed"),
                      {"--segment", seg, "--symbols", "AAPL,MSFT,GOOG,AMZN,MSTR", "--rate", rate, "--seed",
                       "7", "--duration", "120", "--log-level", "warn"});
}

Child start_algo(const std::string& seg, const std::string& name) {
  return Child::spawn(bin_path("tickshm-algo"),
                      {"--segment", seg, "--name", name, "--strategy", "momentum", "--wait", "block",
                       "--duration", "120", "--log-level", "warn"});
}

std::string dash_snapshot(const std::string& seg, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"--segment", seg, "--snapshot", "--snapshot-ms", "300"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run(bin_path("tickshm-dash"), args, 20s);
  EXPECT_TRUE(r.code && *r.code == 0) << r.err;
  return r.out;
}

// The first line of text starting with the symbol (a market-table row).
std::string row_of(const std::string& text, const std::string& symbol) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (line.rfind(symbol + " ", 0) == 0) return line;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return {};
}

// The market table's symbols in screen order.
std::vector<std::string> table_symbols(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex kRow(R"(^(AAPL|MSFT|GOOG|AMZN|MSTR) )");
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::smatch m;
    if (std::regex_search(line, m, kRow)) out.push_back(m[1]);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

TEST(DashProcessTest, shouldPrintHelpAndVersion) {
  const auto h = run(bin_path("tickshm-dash"), {"--help"});
  ASSERT_TRUE(h.code);
  EXPECT_EQ(*h.code, 0);
  EXPECT_TRUE(contains(h.out, "--refresh-ms"));
  EXPECT_TRUE(contains(h.out, "--snapshot"));
  const auto v = run(bin_path("tickshm-dash"), {"--version"});
  ASSERT_TRUE(v.code);
  EXPECT_EQ(*v.code, 0);
  EXPECT_TRUE(contains(v.out, "tickshm"));
  const auto bad = run(bin_path("tickshm-dash"), {"--refresh-ms", "0"});
  ASSERT_TRUE(bad.code);
  EXPECT_EQ(*bad.code, 2);
}

TEST(DashProcessTest, shouldShowWaitingWhenSnapshotBeforeFeed) {
  const std::string seg = unique_segment("dash-wait");
  ShmGuard guard(seg);
  const std::string out = dash_snapshot(seg);
  EXPECT_TRUE(contains(out, "[WAITING]")) << out;
  EXPECT_TRUE(contains(out, "/tickshm." + seg)) << out;
  EXPECT_TRUE(guard.leftovers().empty()) << "the dashboard must never create a segment";
}

TEST(DashProcessTest, shouldShowSymbolsAndLivePricesWhenSnapshot) {
  const std::string seg = unique_segment("dash-snap");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  Child algo = start_algo(seg, "snap-algo");
  std::string out;
  ASSERT_TRUE(eventually(
      [&] {
        out = dash_snapshot(seg);
        // The algo's status segment and its registry slot appear a moment apart: wait for both.
        return contains(out, "[LIVE]") && contains(out, "snap-algo") && contains(out, "Algos: 1") &&
               contains(out, "Readers: 1");
      },
      20s))
      << out << "\nfeed: " << feed.err() << "\nalgo: " << algo.err();
  static const std::regex kPrice(R"(\d+\.\d{2})");
  for (const char* sym : {"AAPL", "MSFT", "GOOG", "AMZN", "MSTR"}) {
    const std::string row = row_of(out, sym);
    ASSERT_FALSE(row.empty()) << sym << " missing in:\n" << out;
    EXPECT_TRUE(std::regex_search(row, kPrice)) << row;
  }
  EXPECT_TRUE(contains(out, "ticks/s")) << out;
  // Live: a later frame has published more ticks and the prices keep being there.
  const std::regex kPublished(R"(published (\S+))");
  std::smatch m1;
  ASSERT_TRUE(std::regex_search(out, m1, kPublished));
  std::string later;
  EXPECT_TRUE(eventually(
      [&] {
        later = dash_snapshot(seg);
        std::smatch m2;
        return std::regex_search(later, m2, kPublished) && m2[1] != m1[1];
      },
      10s))
      << later;
  // The dashboard samples without registering: the registry still shows the algo only.
  EXPECT_TRUE(contains(later, "Readers: 1")) << later;
}

TEST(DashProcessTest, shouldDrawSortFilterAndQuitWhenRunInTmux) {
  Tmux tmux;
  if (!tmux.available()) GTEST_SKIP() << "tmux not installed";
  const std::string seg = unique_segment("dash-ui");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  Child algo = start_algo(seg, "ui-algo");
  ASSERT_TRUE(eventually([&] { return algo.running() && !guard.leftovers().empty(); }));
  // After the dashboard exits the shell prints its status and the terminal's mode, then waits.
  const std::string cmd =
      bin_path("tickshm-dash") + " --segment " + seg +
      "; echo \"DASH-EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo "
      "-e -echo | tr '\\n' ' '; echo STTY-DONE; sleep 60";
  ASSERT_TRUE(tmux.start(cmd));

  // The algo's status segment can show before it registers as a reader: wait for the registry row.
  std::string screen = tmux.wait_for_all({"Readers: 1", "ui-algo", "q quit"});
  ASSERT_TRUE(contains(screen, "[LIVE]")) << screen;
  EXPECT_TRUE(contains(screen, "feed " + seg)) << screen;
  EXPECT_TRUE(contains(screen, "SYMBOL")) << screen;
  EXPECT_TRUE(contains(screen, "AAPL")) << screen;
  EXPECT_TRUE(contains(screen, "Readers: 1")) << screen;
  EXPECT_TRUE(contains(screen, "ui-algo")) << screen;
  EXPECT_TRUE(contains(screen, "q quit")) << screen;
  EXPECT_EQ(table_symbols(screen), (std::vector<std::string>{"AAPL", "AMZN", "GOOG", "MSFT", "MSTR"}))
      << screen;

  // s: the next sort column (last), shown in the title and the heading.
  tmux.keys({"s"});
  screen = tmux.wait_for("sort last asc");
  EXPECT_TRUE(contains(screen, "sort last asc")) << screen;
  tmux.keys({"S"});
  screen = tmux.wait_for("sort last desc");
  EXPECT_TRUE(contains(screen, "sort last desc")) << screen;

  // /: filter by prefix; only MSFT and MSTR stay.
  tmux.keys({"/"});
  screen = tmux.wait_for("filter symbols containing");
  tmux.keys({"m", "s", "Enter"});
  screen = tmux.wait_for("match 'ms'");
  auto shown = table_symbols(screen);
  std::sort(shown.begin(), shown.end());
  EXPECT_EQ(shown, (std::vector<std::string>{"MSFT", "MSTR"})) << screen;
  EXPECT_TRUE(contains(screen, "2 match 'ms'")) << screen;

  // p pauses (the header says so), ? shows the help and any key closes it.
  tmux.keys({"p"});
  EXPECT_TRUE(contains(tmux.wait_for("PAUSED"), "PAUSED"));
  tmux.keys({"p", "?"});
  screen = tmux.wait_for("sort by SYMBOL LAST");
  EXPECT_TRUE(contains(screen, "sort by SYMBOL LAST")) << screen;
  EXPECT_FALSE(contains(screen, "PAUSED")) << screen;
  tmux.keys({"x"});
  EXPECT_TRUE(contains(tmux.wait_for("match 'ms'"), "match 'ms'"));

  // A resize to 80x24 redraws at the new size: still the table and the footer on the last line.
  tmux.resize(80, 24);
  ASSERT_TRUE(eventually([&] {
    screen = tmux.capture();
    std::size_t lines = 0;
    std::istringstream in(screen);
    for (std::string l; std::getline(in, l);) ++lines;
    return lines == 24 && contains(screen, "q quit") && contains(screen, "MSFT");
  })) << screen;

  // q: the dashboard exits 0, the screen and the terminal's modes are restored.
  tmux.keys({"q"});
  screen = tmux.wait_for("STTY-DONE");
  EXPECT_TRUE(contains(screen, "DASH-EXIT=0")) << screen;
  EXPECT_FALSE(contains(screen, "q quit")) << "the alternate screen must be gone:\n" << screen;
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"((^|\s)icanon\s)"))) << screen;
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"((^|\s)echo\s)"))) << screen;
}

// Every drill-down view and the new keys through the real binary, at the three sizes people use.
TEST(DashProcessTest, shouldDrillDownSortByKeyAndFilterAsTypedWhenRunInTmuxAtEachSize) {
  const std::string seg = unique_segment("dash-views");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  // A fast crossover trades within seconds on the default feed, so the fill log has rows.
  Child algo = Child::spawn(bin_path("tickshm-algo"), {"--segment", seg, "--name", "view-algo", "--strategy",
                                                       "sma-cross", "--fast", "2", "--slow", "5", "--wait",
                                                       "block", "--duration", "120", "--log-level", "warn"});
  ASSERT_TRUE(eventually([&] { return algo.running() && !guard.leftovers().empty(); }));
  const std::pair<int, int> sizes[] = {{80, 24}, {120, 40}, {200, 60}};
  for (const auto& [w, h] : sizes) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    Tmux tmux;
    if (!tmux.available()) GTEST_SKIP() << "tmux not installed";
    ASSERT_TRUE(tmux.start(bin_path("tickshm-dash") + " --segment " + seg + "; sleep 60", w, h));
    std::string screen = tmux.wait_for_all({"view-algo", "q quit", "AAPL"});
    ASSERT_TRUE(contains(screen, "[LIVE]")) << screen;
    // The header never cuts a number: each line fits, the epoch is there only when it fits whole.
    std::istringstream in(screen);
    std::string first;
    std::getline(in, first);
    EXPECT_TRUE(contains(first, "ticks/s")) << first;
    if (w >= 120) {
      EXPECT_TRUE(std::regex_search(first, std::regex("epoch [0-9a-f]{16}"))) << first;
    }

    // 8: sort by VOLUME directly; again: reversed.
    tmux.keys({"8"});
    EXPECT_TRUE(contains(tmux.wait_for("sort volume asc"), "sort volume asc"));
    tmux.keys({"8"});
    EXPECT_TRUE(contains(tmux.wait_for("sort volume desc"), "sort volume desc"));
    // The filter matches a substring and applies while typed: "sf" leaves MSFT alone.
    tmux.keys({"/", "s", "f"});
    screen = tmux.wait_for("1 match 'sf'");
    EXPECT_EQ(table_symbols(screen), (std::vector<std::string>{"MSFT"})) << screen;
    tmux.keys({"Escape"});  // cancels the prompt and the filter typed in it
    EXPECT_TRUE(contains(tmux.wait_for("Market: 5 symbols  sort"), "Market: 5 symbols  sort"));

    // Enter on the first row (sorted by volume desc: some symbol) opens its view; Esc goes back.
    tmux.keys({"1", "Enter"});  // back to sort by symbol: the first row is AAPL
    screen = tmux.wait_for_all({"Symbol AAPL", "Tape", "now", "Esc back"});
    EXPECT_TRUE(contains(screen, "Symbol AAPL")) << screen;
    EXPECT_TRUE(contains(screen, "bid ")) << screen;
    EXPECT_TRUE(contains(screen, "Mid price")) << screen;
    EXPECT_TRUE(contains(screen, "quote")) << screen;  // a row of the tape
    tmux.keys({"Escape"});
    EXPECT_TRUE(contains(tmux.wait_for("Market: 5 symbols"), "Market: 5 symbols"));

    // Tab to the algos table, Enter: the algo view with its fills, risk and P&L curve.
    tmux.keys({"Tab", "Enter"});
    screen = tmux.wait_for_all({"Algo view-algo", "Total P&L over time", "rejects by reason", "BUY"}, 30s);
    EXPECT_TRUE(contains(screen, "Algo view-algo")) << screen;
    EXPECT_TRUE(contains(screen, "Orders and fills")) << screen;
    EXPECT_TRUE(contains(screen, "Positions:")) << screen;
    tmux.keys({"Escape"});
    tmux.keys({"r"});
    screen = tmux.wait_for_all({"latency 100ns", "view-algo"});
    EXPECT_TRUE(contains(screen, "latency 100ns")) << screen;
    tmux.keys({"q"});
    EXPECT_TRUE(eventually([&] { return !contains(tmux.capture(), "q quit"); })) << tmux.capture();
  }
}

TEST(DashProcessTest, shouldGoFromWaitingToLiveAndRestoreTerminalOnSigterm) {
  Tmux tmux;
  if (!tmux.available()) GTEST_SKIP() << "tmux not installed";
  const std::string seg = unique_segment("dash-late");
  ShmGuard guard(seg);
  const std::string cmd =
      bin_path("tickshm-dash") + " --segment " + seg +
      " --ascii; echo \"DASH-EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon "
      "| tr '\\n' ' '; echo STTY-DONE; sleep 60";
  ASSERT_TRUE(tmux.start(cmd, 80, 24));
  std::string screen = tmux.wait_for("[WAITING]");
  ASSERT_TRUE(contains(screen, "[WAITING]")) << screen;

  Child feed = start_feed(seg);
  screen = tmux.wait_for_all({"[LIVE]", "AAPL"});
  EXPECT_TRUE(contains(screen, "[LIVE]")) << screen << "\nfeed: " << feed.err();
  EXPECT_TRUE(contains(screen, "AAPL")) << screen;

  // SIGTERM to the dashboard, found by its command line (anchored: not the shell that runs it).
  const auto pg =
      run(find_program("pgrep"), {"-f", "^" + bin_path("tickshm-dash") + " --segment " + seg}, 5s);
  ASSERT_FALSE(pg.out.empty()) << "dashboard process not found";
  const pid_t pid = static_cast<pid_t>(std::stol(pg.out));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  screen = tmux.wait_for("STTY-DONE");
  EXPECT_TRUE(contains(screen, "DASH-EXIT=0")) << screen;
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"((^|\s)icanon\s)"))) << screen;
  EXPECT_FALSE(contains(screen, "[LIVE]")) << "the alternate screen must be gone:\n" << screen;
}

TEST(DashProcessTest, shouldRestoreTerminalWhenCrashSignal) {
  Tmux tmux;
  if (!tmux.available()) GTEST_SKIP() << "tmux not installed";
  const std::string seg = unique_segment("dash-crash");
  ShmGuard guard(seg);
  const std::string cmd = "ulimit -c 0; " + bin_path("tickshm-dash") + " --segment " + seg +
                          "; echo \"DASH-EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon "
                          "| tr '\\n' ' '; echo STTY-DONE; sleep 60";
  ASSERT_TRUE(tmux.start(cmd));
  ASSERT_TRUE(contains(tmux.wait_for("[WAITING]"), "[WAITING]"));
  const auto pg =
      run(find_program("pgrep"), {"-f", "^" + bin_path("tickshm-dash") + " --segment " + seg}, 5s);
  ASSERT_FALSE(pg.out.empty());
  ASSERT_EQ(kill(static_cast<pid_t>(std::stol(pg.out)), SIGSEGV), 0);
  const std::string screen = tmux.wait_for("STTY-DONE");
  EXPECT_TRUE(contains(screen, "DASH-EXIT=139")) << screen;  // died of SIGSEGV, as the signal meant
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"((^|\s)icanon\s)"))) << screen;
  EXPECT_FALSE(contains(screen, "[WAITING]")) << screen;
}

}  // namespace
}  // namespace tickshm::test
