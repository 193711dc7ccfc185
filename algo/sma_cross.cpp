// sma-cross: long when the fast moving average crosses above the slow one, short when it crosses below.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <cstdio>
#include <string>

#include "price_windows.hpp"
#include "strategy.hpp"
#include "tickshm/cli_checks.hpp"

namespace tickshm::algo {
namespace {

struct SmaCrossParams {
  std::uint32_t fast = 10;
  std::uint32_t slow = 30;
};

class SmaCross final : public Strategy {
 public:
  explicit SmaCross(SmaCrossParams p) : p_(p) {}

  void reset(std::uint32_t symbols) override {
    prices_.reset(symbols, p_.slow);
    fast_sum_.assign(symbols, 0);
    slow_sum_.assign(symbols, 0);
    relation_.assign(symbols, 0);
  }

  Signal on_price(std::uint32_t sym, std::int64_t price) noexcept override {
    // The price leaving the fast window is the fast-th most recent before this push.
    if (prices_.count(sym) >= p_.fast) fast_sum_[sym] -= prices_.back(sym, p_.fast - 1);
    fast_sum_[sym] += price;
    std::int64_t evicted = 0;
    if (prices_.push(sym, price, evicted)) slow_sum_[sym] -= evicted;
    slow_sum_[sym] += price;
    if (!prices_.full(sym)) return Signal::kNone;

    // fast_avg vs slow_avg, compared exactly as fast_sum * slow vs slow_sum * fast.
    const __int128 lhs = static_cast<__int128>(fast_sum_[sym]) * p_.slow;
    const __int128 rhs = static_cast<__int128>(slow_sum_[sym]) * p_.fast;
    const std::int8_t now = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
    if (now == 0) return Signal::kNone;  // touching is not crossing: wait for a side
    const std::int8_t before = relation_[sym];
    relation_[sym] = now;
    // Only a change of side is a crossover; the first side seen after warm-up is not.
    if (before == 0 || before == now) return Signal::kNone;
    return now > 0 ? Signal::kLong : Signal::kShort;
  }

  void explain(std::uint32_t sym, char* out, std::size_t cap) const noexcept override {
    // The gap between the averages in currency units (prices are 1/10,000 of one).
    const double fast = static_cast<double>(fast_sum_[sym]) / p_.fast / 1e4;
    const double slow = static_cast<double>(slow_sum_[sym]) / p_.slow / 1e4;
    std::snprintf(out, cap, "sma%u%ssma%u by %.4f", p_.fast, fast > slow ? ">" : "<", p_.slow,
                  fast > slow ? fast - slow : slow - fast);
  }

 private:
  SmaCrossParams p_;
  PriceWindows prices_;
  std::vector<std::int64_t> fast_sum_, slow_sum_;
  std::vector<std::int8_t> relation_;  // last non-zero side of fast vs slow: +1 above, -1 below, 0 none yet
};

class SmaCrossFactory final : public StrategyFactory {
 public:
  std::string_view name() const override { return "sma-cross"; }
  std::string_view summary() const override {
    return "moving-average crossover: long when the fast SMA crosses above the slow SMA, short below";
  }
  void add_options(CLI::App& g) override {
    options_.push_back(g.add_option("--fast", p_.fast, "sma-cross: fast moving-average window, in ticks")
                           ->check(checks::range(1u, 100'000u))
                           ->capture_default_str());
    options_.push_back(
        g.add_option("--slow", p_.slow, "sma-cross: slow moving-average window, in ticks (> --fast)")
            ->check(checks::range(2u, 100'000u))
            ->capture_default_str());
  }
  std::optional<std::string> validate() const override {
    if (p_.fast >= p_.slow)
      return fmt::format("--fast ({}) must be smaller than --slow ({})", p_.fast, p_.slow);
    return std::nullopt;
  }
  std::string params() const override { return fmt::format("fast={} slow={}", p_.fast, p_.slow); }
  std::unique_ptr<Strategy> make() const override { return std::make_unique<SmaCross>(p_); }

 private:
  SmaCrossParams p_;
};

}  // namespace

std::unique_ptr<StrategyFactory> make_sma_cross_factory() {
  return std::make_unique<SmaCrossFactory>();
}

}  // namespace tickshm::algo
