// Helpers for the tests that run the real tickshm-algo: a crafted in-test feed, its status, its report.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "test_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/publisher.hpp"

namespace tickshm::test {

inline std::uint32_t px(double currency) {
  return static_cast<std::uint32_t>(std::llround(currency * 10'000));
}

// A file path in the temp folder, removed when the test ends.
class TempPath {
 public:
  explicit TempPath(const std::string& tag)
      : path_((std::filesystem::temp_directory_path() /
               ("tickshm-algo-test-" + std::to_string(::getpid()) + "-" + unique_segment(tag)))
                  .string()) {}
  ~TempPath() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  std::string read() const {
    std::ifstream f(path_);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  void write(const std::string& text) const { std::ofstream(path_) << text; }

 private:
  std::string path_;
};

// A feed the test drives tick by tick, so the algo's decisions are known in advance.
class CraftedFeed {
 public:
  static std::optional<CraftedFeed> create(const std::string& name, const std::vector<std::string>& symbols,
                                           std::uint64_t ring = 1 << 12, bool verify = false) {
    PublisherOptions o;
    o.segment = name;
    for (const auto& s : symbols) o.symbols.push_back(SymbolSpec{s, 100 * 10'000, 100});
    o.ring_capacity = ring;
    o.verify = verify;
    auto p = Publisher::create(o);
    if (!p) {
      ADD_FAILURE() << p.error().message;
      return std::nullopt;
    }
    return CraftedFeed(std::move(p).value());
  }

  // A two-sided quote around mid (currency units), a cent wide on each side.
  void quote(std::uint32_t symbol, double mid, double half_spread = 0.01) {
    TickRecord t{};
    t.symbol = symbol;
    t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
    t.bid = px(mid - half_spread);
    t.ask = px(mid + half_spread);
    t.bid_size = t.ask_size = 100;
    t.event_ns = unix_now_ns();
    t.publish_ns = now_ns();
    pub_.publish_and_wake(t);
  }
  void heartbeat() { pub_.heartbeat(now_ns()); }
  Publisher& pub() { return pub_; }

 private:
  explicit CraftedFeed(Publisher p) : pub_(std::move(p)) {}
  Publisher pub_;
};

inline std::optional<AlgoStatusSnapshot> algo_status(const std::string& feed, const std::string& algo) {
  auto s = read_algo_status(algo_segment_path(feed, algo));
  if (!s) return std::nullopt;
  return std::move(s).value();
}

// Polls the algo's status segment until pred holds, keeping the feed's heartbeat fresh meanwhile.
template <class Pred>
bool status_until(const std::string& feed, const std::string& algo, Pred pred, CraftedFeed* f = nullptr,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(15000)) {
  return eventually(
      [&] {
        if (f) f->heartbeat();
        auto s = algo_status(feed, algo);
        return s && pred(*s);
      },
      timeout);
}

inline Child start_algo(const std::string& feed, std::vector<std::string> args) {
  args.insert(args.begin(), {"--segment", feed});
  return Child::spawn(bin_path("tickshm-algo"), args);
}

inline bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace tickshm::test
