// mean-revert: long when the price is far below its rolling mean (z-score), short far above, flat near it.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

#include "price_windows.hpp"
#include "strategy.hpp"
#include "tickshm/cli_checks.hpp"

namespace tickshm::algo {
namespace {

struct MeanRevertParams {
  std::uint32_t window = 20;
  double entry_z = 2.0;
  double exit_z = 0.5;
};

class MeanRevert final : public Strategy {
 public:
  explicit MeanRevert(MeanRevertParams p) : p_(p) {}

  void reset(std::uint32_t symbols) override {
    prices_.reset(symbols, p_.window);
    anchor_.assign(symbols, 0);
    sum_.assign(symbols, 0);
    sum_sq_.assign(symbols, 0);
    last_z_.assign(symbols, 0);
  }

  void explain(std::uint32_t sym, char* out, std::size_t cap) const noexcept override {
    std::snprintf(out, cap, "z %+.2f (in %.2f out %.2f)", last_z_[sym], p_.entry_z, p_.exit_z);
  }

  // The z-score of the new price against the previous `window` prices (the new one is not part of
  // its own reference), population standard deviation.
  Signal on_price(std::uint32_t sym, std::int64_t price) noexcept override {
    if (prices_.count(sym) == 0) anchor_[sym] = price;
    // Deviations from a per-symbol anchor keep the sums small; 128-bit sums keep them exact.
    const __int128 d = price - anchor_[sym];
    Signal s = Signal::kNone;
    if (prices_.full(sym)) {
      const __int128 n = p_.window;
      const __int128 var_n2 = n * sum_sq_[sym] - sum_[sym] * sum_[sym];  // n^2 x variance
      if (var_n2 > 0) {
        const double z = static_cast<double>(n * d - sum_[sym]) / std::sqrt(static_cast<double>(var_n2));
        last_z_[sym] = z;
        if (z <= -p_.entry_z)
          s = Signal::kLong;
        else if (z >= p_.entry_z)
          s = Signal::kShort;
        else if (std::fabs(z) <= p_.exit_z)
          s = Signal::kFlat;
      }
    }
    std::int64_t evicted = 0;
    if (prices_.push(sym, price, evicted)) {
      const __int128 e = evicted - anchor_[sym];
      sum_[sym] -= e;
      sum_sq_[sym] -= e * e;
    }
    sum_[sym] += d;
    sum_sq_[sym] += d * d;
    return s;
  }

 private:
  MeanRevertParams p_;
  PriceWindows prices_;
  std::vector<std::int64_t> anchor_;
  std::vector<__int128> sum_, sum_sq_;
  std::vector<double> last_z_;  // the z-score of the last price seen, for explain()
};

class MeanRevertFactory final : public StrategyFactory {
 public:
  std::string_view name() const override { return "mean-revert"; }
  std::string_view summary() const override {
    return "mean reversion on a rolling z-score: long when the rolling z-score <= -entry, short when >= "
           "entry, flat when |z| <= exit";
  }
  void add_options(CLI::App& g) override {
    options_.push_back(g.add_option("--z-window", p_.window,
                                    "mean-revert: rolling window of the mean and deviation, in ticks")
                           ->check(checks::range(2u, 100'000u))
                           ->capture_default_str());
    options_.push_back(
        g.add_option("--z-entry", p_.entry_z, "mean-revert: |z-score| at which a position is opened")
            ->check(checks::range(0.01, 100.0))
            ->capture_default_str());
    options_.push_back(
        g.add_option("--z-exit", p_.exit_z,
                     "mean-revert: |z-score| at or below which the position is closed (< --z-entry)")
            ->check(checks::range(0.0, 100.0))
            ->capture_default_str());
  }
  std::optional<std::string> validate() const override {
    if (p_.exit_z >= p_.entry_z)
      return "--z-exit (" + num(p_.exit_z) + ") must be smaller than --z-entry (" + num(p_.entry_z) + ")";
    return std::nullopt;
  }
  std::string params() const override {
    return fmt::format("window={} entry_z={} exit_z={}", p_.window, num(p_.entry_z), num(p_.exit_z));
  }
  std::unique_ptr<Strategy> make() const override { return std::make_unique<MeanRevert>(p_); }

 private:
  static std::string num(double v) { return fmt::format("{:g}", v); }
  MeanRevertParams p_;
};

}  // namespace

std::unique_ptr<StrategyFactory> make_mean_revert_factory() {
  return std::make_unique<MeanRevertFactory>();
}

}  // namespace tickshm::algo
