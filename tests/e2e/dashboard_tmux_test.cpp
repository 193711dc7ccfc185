// End-to-end test of the launcher's foreground dashboard under tmux: the screen shows the market table,
// and quitting it (q, or Ctrl-C) tears the whole suite down: no process, no pidfile, no segment.
#include <gtest/gtest.h>
#include <unistd.h>

#include "e2e_support.hpp"

namespace tickshm::test::e2e {
namespace {

bool have_tmux() {
  return ::access("/usr/bin/tmux", X_OK) == 0 || ::access("/usr/local/bin/tmux", X_OK) == 0;
}

std::string shell_quote(const std::string& s) {
  return "'" + s + "'";
}  // our paths hold no single quote

class DashboardTmuxTest : public E2eTest {
 protected:
  RunResult tmux(const std::vector<std::string>& args) {
    std::vector<std::string> full{"tmux", "-L", socket_};
    full.insert(full.end(), args.begin(), args.end());
    return run("/usr/bin/env", full, 20s);
  }
  std::string screen() {
    const RunResult r = tmux({"capture-pane", "-p", "-t", "e2e"});
    return r.code == 0 ? r.out : std::string();
  }

  // Starts the suite through the launcher in a 120x40 tmux pane and waits for the dashboard's table.
  void start_under_tmux() {
    socket_ = tmux_socket();
    // The launcher runs in the pane, so stdout is a terminal: the dashboard comes to the foreground.
    // "|| sleep 30" keeps the pane of a failed start around for capture-pane.
    const RunResult r =
        tmux({"new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40",
              "env TICKSHM_BIN_DIR=" + shell_quote(bin_dir()) + " TICKSHM_RUN_DIR=" + shell_quote(run_dir_) +
                  " " + shell_quote(launcher()) + " start --timeout 60 --segment " + segment_ +
                  " --rate 500 --symbols AAPL,MSFT,TSLA --algos sma-cross,mean-revert || sleep 30"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(poll_until(
        [&] {
          const std::string s = screen();
          return s.find("AAPL") != std::string::npos && s.find("TSLA") != std::string::npos &&
                 s.find("LIVE") != std::string::npos && s.find("sma-cross") != std::string::npos;
        },
        40s))
        << "the dashboard's table never showed up; the pane:\n"
        << screen();
    // The launcher writes dash.pid just after starting the dashboard, which may draw first.
    poll_until([&] { return pidfile("dash").has_value(); }, 10s);
    dash_ = pidfile("dash");
    feed_ = pidfile("feed");
    ASSERT_TRUE(dash_ && feed_) << "pidfiles missing; the pane:\n" << screen();
    started_ = all_pidfiles();
    EXPECT_EQ(started_.size(), 4U);  // feed, two algos, dashboard
  }

  void expect_torn_down() {
    const bool gone = poll_until(
        [&] {
          for (const ProcId& p : started_) {
            if (proc_alive(p)) return false;
          }
          return true;
        },
        30s);
    EXPECT_TRUE(gone) << "processes of the suite still run; the pane:\n" << screen();
    EXPECT_TRUE(poll_until([&] { return guard_->leftovers().empty(); }, 10s))
        << "left in /dev/shm: " << testing::PrintToString(guard_->leftovers());
    // The launcher removes the pidfiles last, after the processes and the segments.
    EXPECT_TRUE(poll_until([&] { return all_pidfiles().empty(); }, 10s)) << "pidfiles left in " << run_dir_;
  }

  std::string socket_;
  std::optional<ProcId> dash_, feed_;
  std::vector<ProcId> started_;
};

TEST_F(DashboardTmuxTest, shouldShowTheTableAndTearTheSuiteDownWhenTheDashboardQuits) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed (scripts/install-deps.sh installs it)";
  start_under_tmux();
  if (HasFatalFailure()) return;
  const std::string s = screen();
  for (const char* want : {"AAPL", "MSFT", "TSLA", "sma-cross", "mean-revert"}) {
    EXPECT_NE(s.find(want), std::string::npos) << "the screen lacks '" << want << "':\n" << s;
  }
  ASSERT_EQ(tmux({"send-keys", "-t", "e2e", "q"}).code, 0);
  expect_torn_down();
}

TEST_F(DashboardTmuxTest, shouldTearTheSuiteDownWhenCtrlCIsPressedInTheDashboard) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed (scripts/install-deps.sh installs it)";
  start_under_tmux();
  if (HasFatalFailure()) return;
  ASSERT_EQ(tmux({"send-keys", "-t", "e2e", "C-c"}).code, 0);
  expect_torn_down();
}

}  // namespace
}  // namespace tickshm::test::e2e
