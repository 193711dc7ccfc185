// End-to-end test support implementation: see e2e_support.hpp.
#include "e2e_support.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace tickshm::test::e2e {
namespace fs = std::filesystem;

std::optional<unsigned long long> proc_start_time(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!f || !std::getline(f, line)) return std::nullopt;
  // The command name may hold spaces and ')': fields restart after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  std::vector<std::string> fields;
  while (rest >> field) fields.push_back(field);
  if (fields.size() < 20) return std::nullopt;
  if (fields[0] == "Z" || fields[0] == "X") return std::nullopt;  // state, field 3
  return std::stoull(fields[19]);                                 // start time, field 22
}

bool proc_alive(const ProcId& id) {
  const auto st = proc_start_time(id.pid);
  return st && (id.start_time == 0 || *st == id.start_time);
}

bool poll_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(every);
  }
}

const nlohmann::json* find_reader(const nlohmann::json& stat, const std::string& name) {
  if (!stat.contains("readers")) return nullptr;
  const nlohmann::json* found = nullptr;
  for (const nlohmann::json& r : stat.at("readers")) {
    if (r.at("name").get<std::string>() != name) continue;
    if (r.at("alive").get<bool>()) return &r;
    found = &r;
  }
  return found;
}

const nlohmann::json* find_reader_pid(const nlohmann::json& stat, pid_t pid) {
  if (!stat.contains("readers")) return nullptr;
  for (const nlohmann::json& r : stat.at("readers")) {
    if (r.at("pid").get<long long>() == pid) return &r;
  }
  return nullptr;
}

const nlohmann::json* find_algo(const nlohmann::json& stat, const std::string& name) {
  if (!stat.contains("algos")) return nullptr;
  for (const nlohmann::json& a : stat.at("algos")) {
    if (a.at("name").get<std::string>() == name) return &a;
  }
  return nullptr;
}

void E2eTest::SetUp() {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  // Short tags keep the segment, its algos' names and the tmux socket well inside their limits.
  segment_ = unique_segment("e2e");
  guard_ = std::make_unique<ShmGuard>(segment_);
  run_dir_ = (fs::temp_directory_path() / ("tickshm-" + segment_)).string();
  std::error_code ec;
  fs::remove_all(run_dir_, ec);
  fs::create_directories(run_dir_);
  std::cerr << "[e2e] " << test << ": segment " << segment_ << ", run folder " << run_dir_ << "\n";
}

void E2eTest::TearDown() {
  // Whatever the test did, nothing it started may outlive it: the launcher's stop first (what is
  // under test), then SIGKILL for anything a pidfile named, then the tmux servers and the segments.
  const std::vector<ProcId> recorded = all_pidfiles();
  if (fs::exists(run_dir_)) {
    const RunResult r = launch({"stop"}, 60s);
    if (!r.code || *r.code != 0) std::cerr << "[e2e] cleanup: launch.sh stop failed:\n" << r.out << r.err;
  }
  for (const ProcId& p : recorded) {
    if (proc_alive(p)) {
      std::cerr << "[e2e] cleanup: pid " << p.pid << " survived launch.sh stop: SIGKILL\n";
      ::kill(p.pid, SIGKILL);
    }
  }
  for (const std::string& s : tmux_sockets_) {
    (void)run("/usr/bin/env", {"tmux", "-L", s, "kill-server"}, 10s);
  }
  if (HasFailure()) std::cerr << logs();
  std::error_code ec;
  fs::remove_all(run_dir_, ec);
  guard_.reset();
}

std::string E2eTest::launcher() const {
  return source_path("scripts/launch.sh");
}

std::string E2eTest::bin_dir() const {
  return TICKSHM_BIN_DIR;
}

std::vector<std::string> E2eTest::launcher_env() const {
  return {"TICKSHM_BIN_DIR=" + bin_dir(), "TICKSHM_RUN_DIR=" + run_dir_};
}

RunResult E2eTest::launch(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                          const std::vector<std::string>& extra_env) const {
  std::vector<std::string> env = launcher_env();
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  Child c = Child::spawn(launcher(), args, env);
  RunResult r;
  r.code = c.wait_for(timeout);
  if (!r.code) c.stop(1000ms);
  r.out = c.out();
  r.err = c.err();
  return r;
}

std::optional<nlohmann::json> E2eTest::stat() const {
  const RunResult r = run(bin_path("tickshm-stat"), {"--segment", segment_, "--json"}, 20s);
  last_stat_ = r.out + r.err;
  if (!r.code || *r.code != 0) return std::nullopt;
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "tickshm-stat --json printed something that is not JSON (" << e.what() << "):\n"
                  << r.out;
    return std::nullopt;
  }
}

nlohmann::json E2eTest::stat_until(const std::function<bool(const nlohmann::json&)>& pred,
                                   std::chrono::milliseconds timeout) const {
  nlohmann::json last;
  poll_until(
      [&] {
        auto j = stat();
        if (!j) return false;
        last = std::move(*j);
        return pred(last);
      },
      timeout);
  return last;
}

std::optional<ProcId> E2eTest::pidfile(const std::string& name) const {
  std::ifstream f(run_dir_ + "/" + name + ".pid");
  ProcId p;
  if (!(f >> p.pid >> p.start_time) || p.pid <= 0) return std::nullopt;
  return p;
}

std::vector<ProcId> E2eTest::all_pidfiles() const {
  std::vector<ProcId> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(run_dir_, ec)) {
    const std::string f = e.path().filename().string();
    if (f.size() > 4 && f.compare(f.size() - 4, 4, ".pid") == 0) {
      if (auto p = pidfile(f.substr(0, f.size() - 4))) out.push_back(*p);
    }
  }
  return out;
}

std::string E2eTest::tmux_socket() {
  tmux_sockets_.push_back("tickshm-" + segment_);
  return tmux_sockets_.back();
}

std::string E2eTest::logs() const {
  std::ostringstream o;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(run_dir_ + "/logs", ec)) {
    std::ifstream f(e.path());
    std::vector<std::string> lines;
    for (std::string l; std::getline(f, l);) lines.push_back(l);
    o << "----- " << e.path().string() << " (last 40 lines)\n";
    for (std::size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i)
      o << lines[i] << "\n";
  }
  return o.str();
}

}  // namespace tickshm::test::e2e
