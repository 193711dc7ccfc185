// Chaos run: the suite (feed --verify at --rate max, two algos --verify, dashboard --snapshot loops) under a
// seeded random schedule of SIGKILL, SIGSTOP/SIGCONT, SIGTERM and restarts, for TICKSHM_CHAOS_SECONDS
// (default 60; TICKSHM_CHAOS_SEED picks the schedule). Checked at the end:
//   - 0 checksum mismatches (every algo report, every registry sample);
//   - for every reader and every epoch: joined_at + received + lost = published (the epoch's final write
//     cursor), exactly when the reader left that epoch after draining it, at most when it was stopped
//     inside it;
//   - no process died on its own (only the driver's signals end processes);
//   - after the clean stop: no process and no segment left;
//   - while every reader was SIGSTOPped, the writer's rate stayed within 10% of its rate with no reader at
//     all (pairs of adjacent windows of the same run; the median of the pairs' ratios: the shared
//     machine runs everything ~35% slower for a second or so at a time, and adjacent windows share
//     their spell far more often than the medians of two sets of windows do).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include "test_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::test {
namespace {

namespace fs = std::filesystem;
using Ms = std::chrono::milliseconds;

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

std::uint64_t ms_now() {
  return now_ns() / 1'000'000;
}

void sleep_ms(std::uint64_t ms) {
  std::this_thread::sleep_for(Ms(ms));
}

std::string tail(const std::string& s, std::size_t n = 1500) {
  return s.size() > n ? s.substr(s.size() - n) : s;
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

enum class Role { kFeed, kAlgoA, kAlgoB, kDash };
constexpr std::array<Role, 4> kRoles = {Role::kFeed, Role::kAlgoA, Role::kAlgoB, Role::kDash};
const char* role_name(Role r) {
  switch (r) {
    case Role::kFeed:
      return "feed";
    case Role::kAlgoA:
      return "algo-a";
    case Role::kAlgoB:
      return "algo-b";
    case Role::kDash:
      return "dash";
  }
  return "?";
}
bool is_algo(Role r) {
  return r == Role::kAlgoA || r == Role::kAlgoB;
}

// One algo report: the epochs it read and whether it left the last one after draining it.
struct AlgoReport {
  std::string source;
  bool last_complete = false;
  std::uint64_t verify_errors = 0;
  struct Epoch {
    std::uint64_t epoch = 0;
    std::uint64_t joined_at = 0, received = 0, lost = 0;
  };
  std::vector<Epoch> epochs;
};

struct Figures {
  std::uint64_t kills = 0, stops = 0, terms = 0, starts = 0, unexpected = 0;
  std::uint64_t epochs = 0, reports = 0, epochs_checked_exact = 0, epochs_checked_partial = 0;
  std::uint64_t snapshots = 0, registry_samples = 0, max_registry_verify_errors = 0;
  std::uint64_t published_past_cursor = 0;  // epochs whose writer died between publishing and the cursor
  std::uint64_t early_terms = 0;            // SIGTERMs that came before the algo installed its handler
  std::vector<double> rate_stopped, rate_absent, rate_ratio;  // rate_ratio: stopped / absent, per pair
};

class ChaosRun {
 public:
  ChaosRun(std::string feed, std::uint64_t seed, std::string dir)
      : feed_(std::move(feed)), rng_(seed), dir_(std::move(dir)) {}

  std::vector<std::string> failures;
  Figures fig;

  void run(std::uint64_t seconds) {
    const std::uint64_t start = ms_now();
    const std::uint64_t end = start + seconds * 1000;
    for (Role r : kRoles) start_role(r);
    wait_feed_live();
    std::uint64_t next_action = ms_now() + pick(200, 600);
    std::uint64_t next_episode = start + 5000;
    std::uint64_t next_sample = 0;
    while (ms_now() < end) {
      const std::uint64_t now = ms_now();
      reap_and_restart(now);
      resume_due(now);
      if (now >= next_sample) {
        sample_registry();
        next_sample = now + 250;
      }
      if (now >= next_episode && end - now > 8000) {
        rate_episode();
        next_episode = ms_now() + 12000;
        next_action = ms_now() + pick(100, 400);
        continue;
      }
      if (now >= next_action) {
        chaos_action();
        next_action = ms_now() + pick(60, 600);
      }
      sleep_ms(20);
    }
    shutdown();
  }

  // Checks every algo report against the epochs' published counts.
  void check_reports() {
    for (const AlgoReport& r : reports_) {
      if (r.verify_errors != 0)
        fail(r.source + ": " + std::to_string(r.verify_errors) + " checksum mismatches");
      for (std::size_t i = 0; i < r.epochs.size(); ++i) {
        const auto& e = r.epochs[i];
        const auto it = published_.find(e.epoch);
        if (it == published_.end()) {
          char hex[24];
          std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(e.epoch));
          fail(r.source + ": epoch " + hex + " is not an epoch the driver saw end");
          continue;
        }
        const std::uint64_t sum = e.joined_at + e.received + e.lost;
        const bool exact = i + 1 < r.epochs.size() || r.last_complete;
        const std::string what = r.source + " epoch #" + std::to_string(i) + ": joined_at " +
                                 std::to_string(e.joined_at) + " + received " + std::to_string(e.received) +
                                 " + lost " + std::to_string(e.lost) + " = " + std::to_string(sum) +
                                 ", published " + std::to_string(it->second);
        if (exact) {
          ++fig.epochs_checked_exact;
          if (sum != it->second) fail(what + " (must be equal: the reader drained the epoch)");
        } else {
          ++fig.epochs_checked_partial;
          if (sum > it->second) fail(what + " (more than published)");
        }
      }
    }
  }

 private:
  struct Proc {
    std::optional<Child> child;
    bool stopped = false;
    std::uint64_t cont_at = 0;
    int sent = 0;                  // the signal that ends it (0: none, it must not end on its own)
    std::uint64_t restart_at = 0;  // when dead: when to start it again (0: now)
    int instance = 0;
    std::string report;
    std::size_t closed_seen = 0;  // "closed after" lines in its log when the final stop began
  };

  std::string feed_;
  std::mt19937_64 rng_;
  std::string dir_;
  std::array<Proc, 4> procs_{};
  std::optional<DataView> view_;  // the current epoch, mapped: its cursor stays readable after unlink
  std::map<std::uint64_t, std::uint64_t> published_;  // epoch -> its final write cursor
  std::vector<AlgoReport> reports_;
  bool final_stop_ = false;

  Proc& proc(Role r) { return procs_[static_cast<std::size_t>(r)]; }
  std::uint64_t pick(std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
  }
  void fail(const std::string& why) {
    failures.push_back(why);
    std::fprintf(stderr, "chaos: FAILURE: %s\n", why.c_str());
  }

  void start_role(Role r) {
    Proc& p = proc(r);
    ++p.instance;
    std::vector<std::string> args = {"--segment", feed_};
    std::string program;
    switch (r) {
      case Role::kFeed:
        program = "tickshm-feed";
        args.insert(args.end(),
                    {"--rate", "max", "--verify", "--ring-capacity", "4096", "--symbols",
                     "AAPL,MSFT,AMZN,GOOG,META,NVDA,TSLA,JPM", "--seed", std::to_string(p.instance)});
        break;
      case Role::kAlgoA:
      case Role::kAlgoB: {
        program = "tickshm-algo";
        const bool a = r == Role::kAlgoA;
        p.report = dir_ + "/" + role_name(r) + "-" + std::to_string(p.instance) + ".json";
        args.insert(args.end(),
                    {"--name", a ? "chaos-a" : "chaos-b", "--strategy", a ? "sma-cross" : "mean-revert",
                     "--wait", a ? "adaptive" : "block", "--verify", "--report", p.report});
        break;
      }
      case Role::kDash:
        program = "tickshm-dash";
        args.insert(args.end(), {"--snapshot", "--snapshot-ms", "200", "--width", "120"});
        break;
    }
    p.child.emplace(Child::spawn(bin_path(program), args));
    p.stopped = false;
    p.sent = 0;
    ++fig.starts;
  }

  bool alive(Role r) { return proc(r).child && proc(r).child->running(); }

  // Opens the running feed's epoch, so its final cursor can be read once it is gone.
  bool wait_feed_live() {
    const bool ok = eventually(
        [&] {
          if (!alive(Role::kFeed)) return false;
          auto v = DataView::open(feed_);
          if (!v || v->state() != SegmentState::kLive) return false;
          if (v->header().writer_pid != proc(Role::kFeed).child->pid()) return false;
          view_.emplace(std::move(v.value()));
          return true;
        },
        Ms(5000));
    return ok;
  }

  // Ticks an epoch published, once its writer is gone. Storing a slot's final sequence word publishes a
  // tick; the write cursor is advanced after it. A writer killed between the two stores leaves tick
  // `cursor` published (readers may take it) with the cursor one behind: count it.
  static std::uint64_t final_published(const DataView& v) {
    const std::uint64_t c = v.write_cursor();
    std::uint64_t seq = 0;
    std::memcpy(&seq, &v.ring()[c & v.ring_mask()].seq, sizeof seq);  // the writer is dead: no race
    if (seq == seq_published(c)) {
      ++published_past_cursor;
      return c + 1;
    }
    return c;
  }
  inline static std::uint64_t published_past_cursor = 0;

  // After the feed process is gone: the epoch it wrote ends at its segment's final cursor.
  void record_epoch_end() {
    if (auto v = DataView::open(feed_); v) {  // killed: its segment is still under the name
      published_[v->epoch()] = final_published(v.value());
    }
    if (view_) {  // stopped cleanly (unlinked) or killed: our mapping still shows the last cursor
      published_[view_->epoch()] = final_published(*view_);
      view_.reset();
    }
    fig.epochs = published_.size();
    fig.published_past_cursor = published_past_cursor;
  }

  void on_exit(Role r, int code) {
    Proc& p = proc(r);
    const std::string who = std::string(role_name(r)) + "#" + std::to_string(p.instance);
    const int expected = p.sent == SIGKILL ? 128 + SIGKILL : 0;
    // A SIGTERM that lands before the program installs its handler (its first milliseconds) ends it by
    // the default action: nothing was created yet, so there is nothing to clean and no report.
    const bool early_term = p.sent == SIGTERM && code == 128 + SIGTERM;
    if (early_term) ++fig.early_terms;
    // A dashboard that exits 0 printed its snapshot and ended, even when a SIGKILL was sent: one sent
    // after it had finished (but before it was reaped) finds nothing to kill.
    if (r == Role::kDash && code == 0) {
      ++fig.snapshots;
    } else if (code != expected && !early_term) {
      ++fig.unexpected;
      fail(who + " exited " + std::to_string(code) + " (expected " + std::to_string(expected) +
           "); stderr: " + tail(p.child->err()));
    }
    if (r == Role::kFeed) record_epoch_end();
    if (is_algo(r) && p.sent == SIGTERM && !early_term) read_report(r);
    p.child.reset();
    p.stopped = false;
  }

  void read_report(Role r) {
    Proc& p = proc(r);
    AlgoReport rep;
    rep.source = p.report;
    std::ifstream f(p.report);
    std::stringstream ss;
    ss << f.rdbuf();
    try {
      const nlohmann::json j = nlohmann::json::parse(ss.str());
      rep.verify_errors = static_cast<std::uint64_t>(j.at("ticks").at("verify_errors").get<long long>());
      for (const nlohmann::json& e : j.at("epochs")) {
        // The report writes epochs as 16 hex digits (a JSON number would lose bits as a double).
        const std::uint64_t epoch = std::strtoull(e.at("epoch").get<std::string>().c_str(), nullptr, 16);
        rep.epochs.push_back({epoch, static_cast<std::uint64_t>(e.at("joined_at").get<long long>()),
                              static_cast<std::uint64_t>(e.at("received").get<long long>()),
                              static_cast<std::uint64_t>(e.at("lost").get<long long>())});
      }
    } catch (const std::exception& e) {
      fail(p.report + ": unreadable report: " + e.what());
      return;
    }
    // Its last epoch was read to the end only if the algo logged leaving it before we stopped it.
    rep.last_complete = final_stop_ && count_of(p.child->err(), "closed after") > p.closed_seen;
    reports_.push_back(std::move(rep));
    ++fig.reports;
  }

  void reap_and_restart(std::uint64_t now) {
    for (Role r : kRoles) {
      Proc& p = proc(r);
      if (p.child) {
        if (p.child->running()) continue;
        on_exit(r, p.child->wait_for(Ms(0)).value_or(-1));
        p.restart_at = r == Role::kDash ? now : now + pick(0, 800);
      }
      if (!final_stop_ && now >= p.restart_at) {
        if (r == Role::kFeed) {
          start_role(r);
          if (!wait_feed_live())
            fail("feed#" + std::to_string(p.instance) + " did not go live: " + tail(p.child->err()));
        } else {
          start_role(r);
        }
      }
    }
  }

  void resume_due(std::uint64_t now) {
    for (Role r : kRoles) {
      Proc& p = proc(r);
      if (p.stopped && now >= p.cont_at && p.child) {
        p.child->signal(SIGCONT);
        p.stopped = false;
      }
    }
  }

  void send(Role r, int sig) {
    Proc& p = proc(r);
    if (!p.child || !p.child->running() || p.sent != 0) return;
    if (sig == SIGSTOP) {
      if (p.stopped) return;
      p.child->signal(SIGSTOP);
      p.stopped = true;
      p.cont_at = ms_now() + pick(50, 1500);
      ++fig.stops;
      return;
    }
    p.sent = sig;
    p.child->signal(sig);
    if (p.stopped) p.child->signal(SIGCONT);  // a stopped process acts on SIGTERM only once continued
    p.stopped = false;
    if (sig == SIGKILL) {
      ++fig.kills;
    } else {
      ++fig.terms;
    }
  }

  void chaos_action() {
    const Role r = kRoles[pick(0, kRoles.size() - 1)];
    const std::uint64_t a = pick(0, 99);
    if (a < 40) {
      send(r, SIGKILL);
    } else if (a < 80) {
      send(r, SIGSTOP);
    } else if (r != Role::kDash) {
      send(r, SIGTERM);
    }
  }

  void sample_registry() {
    auto c = ControlView::open(feed_, false);
    if (!c) return;
    for (const ReaderInfo& ri : c->readers()) {
      fig.max_registry_verify_errors = std::max(fig.max_registry_verify_errors, ri.verify_errors);
      if (ri.verify_errors != 0)
        fail("registry: reader " + ri.name + " (pid " + std::to_string(ri.pid) + ") counts " +
             std::to_string(ri.verify_errors) + " checksum mismatches");
    }
    ++fig.registry_samples;
  }

  // Ends role r now (SIGTERM, or SIGKILL for the dashboard) and waits for it.
  void end_role(Role r, int sig) {
    send(r, sig);
    Proc& p = proc(r);
    if (!p.child) return;
    if (!p.child->wait_for(Ms(10000))) {
      fail(std::string(role_name(r)) + " did not exit within 10 s of signal " + std::to_string(sig));
      p.child->stop(Ms(100));
    }
    on_exit(r, p.child->wait_for(Ms(0)).value_or(-1));
  }

  std::optional<double> window_rate() {
    if (!view_) return std::nullopt;
    const std::uint64_t c0 = view_->write_cursor(), t0 = now_ns();
    sleep_ms(500);
    const std::uint64_t c1 = view_->write_cursor(), t1 = now_ns();
    if (!alive(Role::kFeed)) return std::nullopt;
    return static_cast<double>(c1 - c0) * 1e9 / static_cast<double>(t1 - t0);
  }

  std::size_t algos_attached() {
    auto c = ControlView::open(feed_, false);
    if (!c) return 0;
    std::size_t n = 0;
    for (const ReaderInfo& ri : c->readers()) {
      if (ri.alive && ri.role == "algo") ++n;
    }
    return n;
  }

  // Interleaved windows: every reader SIGSTOPped, then no reader at all; five pairs (one pair's ratio
  // swings by +-20% on a shared machine, so the median needs a few of them).
  void rate_episode() {
    for (Role r : kRoles) {
      if (proc(r).stopped) {
        proc(r).child->signal(SIGCONT);
        proc(r).stopped = false;
      }
    }
    if (!alive(Role::kFeed)) {
      if (proc(Role::kFeed).child) end_role(Role::kFeed, SIGKILL);
      start_role(Role::kFeed);
      if (!wait_feed_live()) return;
    }
    if (!view_ && !wait_feed_live()) return;
    for (int pair = 0; pair < 5; ++pair) {
      for (Role r : {Role::kAlgoA, Role::kAlgoB}) {
        if (!alive(r)) {
          if (proc(r).child) on_exit(r, proc(r).child->wait_for(Ms(0)).value_or(-1));
          start_role(r);
        }
      }
      if (proc(Role::kDash).child) end_role(Role::kDash, SIGKILL);
      if (!eventually([&] { return algos_attached() >= 2; }, Ms(5000))) return;
      sleep_ms(200);
      for (Role r : {Role::kAlgoA, Role::kAlgoB}) {
        proc(r).child->signal(SIGSTOP);
        proc(r).stopped = true;
        proc(r).cont_at = UINT64_MAX;
      }
      sleep_ms(200);
      const auto stopped = window_rate();
      for (Role r : {Role::kAlgoA, Role::kAlgoB}) end_role(r, SIGTERM);
      sleep_ms(200);
      const auto absent = window_rate();
      if (stopped && absent) {
        fig.rate_stopped.push_back(*stopped);
        fig.rate_absent.push_back(*absent);
        if (*absent > 0) fig.rate_ratio.push_back(*stopped / *absent);
      }
    }
    const std::uint64_t now = ms_now();
    for (Role r : kRoles) proc(r).restart_at = now;
  }

  // The clean stop: everything running, then the feed (so readers drain the last epoch), then the readers.
  void shutdown() {
    for (Role r : kRoles) {
      Proc& p = proc(r);
      if (p.stopped) {
        p.child->signal(SIGCONT);
        p.stopped = false;
      }
      // A process signalled just before the shutdown may still be exiting (a SIGKILLed feed not yet
      // reaped): wait for it, so that it is reaped and restarted below rather than taken for running.
      if (p.child && p.sent != 0 && !p.child->wait_for(Ms(10000))) {
        fail(std::string(role_name(r)) + " did not exit within 10 s of signal " + std::to_string(p.sent));
        p.child->stop(Ms(100));
      }
    }
    // Reap what has exited and start what is not running, now (reap_and_restart would schedule the
    // restart of a process it reaps for later), the feed first.
    for (Role r : kRoles) {
      Proc& p = proc(r);
      if (p.child && !p.child->running()) on_exit(r, p.child->wait_for(Ms(0)).value_or(-1));
      if (p.child) continue;
      start_role(r);
      if (r == Role::kFeed && !wait_feed_live())
        fail("feed#" + std::to_string(p.instance) + " did not go live: " + tail(p.child->err()));
    }
    if (!view_) wait_feed_live();
    eventually([&] { return algos_attached() >= 2; }, Ms(5000));
    sleep_ms(1000);
    final_stop_ = true;
    for (Role r : {Role::kAlgoA, Role::kAlgoB}) {
      if (proc(r).child) proc(r).closed_seen = count_of(proc(r).child->err(), "closed after");
    }
    if (proc(Role::kDash).child) {
      if (!proc(Role::kDash).child->wait_for(Ms(5000))) end_role(Role::kDash, SIGKILL);
      reap_and_restart(ms_now());
    }
    end_role(Role::kFeed, SIGTERM);
    for (Role r : {Role::kAlgoA, Role::kAlgoB}) {
      if (!proc(r).child) continue;
      const std::size_t before = proc(r).closed_seen;
      if (!eventually([&] { return count_of(proc(r).child->err(), "closed after") > before; }, Ms(10000))) {
        fail(std::string(role_name(r)) + " never logged the feed's close: " + tail(proc(r).child->err()));
      }
    }
    for (Role r : {Role::kAlgoA, Role::kAlgoB}) end_role(r, SIGTERM);
  }
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Processes whose command line names the segment (the driver's children all do).
std::vector<std::string> processes_naming(const std::string& feed) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string pid = e.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(::getpid()))
      continue;
    std::ifstream f(e.path() / "cmdline");
    std::string cmd;
    std::getline(f, cmd, '\n');  // NUL-separated arguments, no newline: the whole line
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    if (cmd.find(feed) != std::string::npos) out.push_back(pid + ": " + cmd);
  }
  return out;
}

TEST(Chaos, shouldKeepEveryInvariantWhenProcessesAreKilledStoppedAndRestartedAtRandom) {
  for (const char* p : {"tickshm-feed", "tickshm-algo", "tickshm-dash"}) {
    if (!fs::exists(bin_path(p))) GTEST_SKIP() << p << " is not built in " << bin_path("");
  }
  const std::uint64_t seconds = env_u64("TICKSHM_CHAOS_SECONDS", 60);
  const std::uint64_t seed = env_u64("TICKSHM_CHAOS_SEED", 20240102);
  const std::string feed = unique_segment("chaos");
  const std::string dir = ::testing::TempDir() + "tickshm-chaos-" + std::to_string(::getpid());
  fs::create_directories(dir);
  std::printf("chaos: %llu s, seed %llu (TICKSHM_CHAOS_SEED), segment %s, reports in %s\n",
              static_cast<unsigned long long>(seconds), static_cast<unsigned long long>(seed), feed.c_str(),
              dir.c_str());
  std::fflush(stdout);
  std::vector<std::string> leftovers;
  ChaosRun chaos(feed, seed, dir);
  {
    ShmGuard guard(feed);
    chaos.run(seconds);
    sleep_ms(200);
    leftovers = guard.leftovers();  // before the guard cleans up: the programs must have left nothing
  }
  chaos.check_reports();
  const auto procs = processes_naming(feed);
  const Figures& f = chaos.fig;
  const double stopped = median(f.rate_stopped), absent = median(f.rate_absent);
  const double ratio = median(f.rate_ratio);
  std::printf(
      "chaos: %llu starts, %llu SIGKILL, %llu SIGTERM, %llu SIGSTOP; %llu epochs; %llu algo reports, %llu "
      "epoch "
      "accounts exact + %llu partial; %llu dashboard snapshots; %llu registry samples, max verify errors "
      "%llu; "
      "%llu unexpected exits; %llu epochs ended with a tick published past the cursor; %llu early SIGTERMs\n"
      "chaos: writer rate, median of %zu window pairs: readers stopped %.0f ticks/s, no readers %.0f "
      "ticks/s, median ratio of the pairs %.3f\n",
      static_cast<unsigned long long>(f.starts), static_cast<unsigned long long>(f.kills),
      static_cast<unsigned long long>(f.terms), static_cast<unsigned long long>(f.stops),
      static_cast<unsigned long long>(f.epochs), static_cast<unsigned long long>(f.reports),
      static_cast<unsigned long long>(f.epochs_checked_exact),
      static_cast<unsigned long long>(f.epochs_checked_partial), static_cast<unsigned long long>(f.snapshots),
      static_cast<unsigned long long>(f.registry_samples),
      static_cast<unsigned long long>(f.max_registry_verify_errors),
      static_cast<unsigned long long>(f.unexpected), static_cast<unsigned long long>(f.published_past_cursor),
      static_cast<unsigned long long>(f.early_terms), f.rate_stopped.size(), stopped, absent, ratio);
  std::fflush(stdout);

  EXPECT_TRUE(chaos.failures.empty())
      << chaos.failures.size() << " failures, first: " << chaos.failures.front();
  EXPECT_TRUE(leftovers.empty()) << "segments left after the stop: " << ::testing::PrintToString(leftovers);
  EXPECT_TRUE(procs.empty()) << "processes left after the stop: " << ::testing::PrintToString(procs);
  EXPECT_GT(f.epochs_checked_exact, 0u) << "no epoch account could be checked exactly";
  EXPECT_GT(f.kills, 0u);
  EXPECT_GT(f.stops, 0u);
  ASSERT_GE(f.rate_ratio.size(), 3u) << "too few rate windows were measured";
  EXPECT_GE(ratio, 0.9) << "with every reader stopped the writer ran at " << stopped
                        << " ticks/s, without readers " << absent << " ticks/s";
  std::error_code ec;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace tickshm::test
