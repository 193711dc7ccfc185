// momentum: long when the price rose by at least the threshold over the lookback, short when it fell.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <cstdio>
#include <string>

#include "price_windows.hpp"
#include "strategy.hpp"
#include "tickshm/cli_checks.hpp"

namespace tickshm::algo {
namespace {

// Defaults sized for the default feed: a symbol's mid moves a few basis points over a hundred of its
// ticks, so 5 bps opens positions a few times a minute per symbol, while 20 bps over 50 ticks is a
// rare event there and a run could end without one order (docs/ALGO.md, "Why the strategies lose").
struct MomentumParams {
  std::uint32_t lookback = 100;
  std::uint32_t threshold_bps = 5;
};

class Momentum final : public Strategy {
 public:
  explicit Momentum(MomentumParams p) : p_(p) {}

  void reset(std::uint32_t symbols) override {
    prices_.reset(symbols, p_.lookback + 1);
    last_move_bps_.assign(symbols, 0);
  }

  void explain(std::uint32_t sym, char* out, std::size_t cap) const noexcept override {
    std::snprintf(out, cap, "%+.1fbps/%u ticks (bar %u)", last_move_bps_[sym], p_.lookback, p_.threshold_bps);
  }

  Signal on_price(std::uint32_t sym, std::int64_t price) noexcept override {
    std::int64_t evicted = 0;
    prices_.push(sym, price, evicted);
    if (!prices_.full(sym)) return Signal::kNone;
    const std::int64_t then = prices_.back(sym, p_.lookback);
    if (then <= 0) return Signal::kNone;
    // Return over the lookback in basis points vs the threshold, exactly: (p - then) x 10^4 vs t x then.
    last_move_bps_[sym] = static_cast<double>(price - then) * 1e4 / static_cast<double>(then);
    const __int128 move = static_cast<__int128>(price - then) * 10'000;
    const __int128 bar = static_cast<__int128>(p_.threshold_bps) * then;
    if (move >= bar) return Signal::kLong;
    if (move <= -bar) return Signal::kShort;
    return Signal::kNone;  // inside the band: keep what is held
  }

 private:
  MomentumParams p_;
  PriceWindows prices_;
  std::vector<double> last_move_bps_;  // the return the last signal was measured on, for explain()
};

class MomentumFactory final : public StrategyFactory {
 public:
  std::string_view name() const override { return "momentum"; }
  std::string_view summary() const override {
    return "long when the return over the lookback >= threshold, short when <= -threshold";
  }
  void add_options(CLI::App& g) override {
    options_.push_back(g.add_option("--lookback", p_.lookback, "momentum: lookback, in ticks")
                           ->check(checks::range(1u, 100'000u))
                           ->capture_default_str());
    options_.push_back(
        g.add_option("--threshold-bps", p_.threshold_bps,
                     "momentum: return over the lookback that opens a position, in basis points")
            ->check(checks::range(1u, 100'000u))
            ->capture_default_str());
  }
  std::optional<std::string> validate() const override { return std::nullopt; }
  std::string params() const override {
    return fmt::format("lookback={} threshold_bps={}", p_.lookback, p_.threshold_bps);
  }
  std::unique_ptr<Strategy> make() const override { return std::make_unique<Momentum>(p_); }

 private:
  MomentumParams p_;
};

}  // namespace

std::unique_ptr<StrategyFactory> make_momentum_factory() {
  return std::make_unique<MomentumFactory>();
}

}  // namespace tickshm::algo
