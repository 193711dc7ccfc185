// tickshm-feed's market-model flags: one option per parameter, each with its range.
#include "market_options.hpp"

#include <CLI/CLI.hpp>

#include "tickshm/cli_checks.hpp"

namespace tickshm::feed {

std::vector<CLI::Option*> add_market_options(CLI::App& app, std::string& model, MarketConfig& m) {
  std::vector<CLI::Option*> out;
  constexpr const char* kGroup = "Market model (--model market; 0 switches a mechanism off)";
  auto num = [&](const char* name, double& v, const char* what, double lo, double hi) {
    out.push_back(app.add_option(name, v, what)
                      ->check(checks::range<double>(lo, hi))
                      ->type_name("X")
                      ->capture_default_str()
                      ->group(kGroup));
  };
  out.push_back(app.add_option("--model", model,
                               "Price model: 'market' (stochastic vol, fat tails, order flow) or 'gbm' "
                               "(correlated GBM with jumps, the earlier model)")
                    ->type_name("market|gbm")
                    ->check(CLI::IsMember({"market", "gbm"}).description(""))
                    ->capture_default_str()
                    ->group("Model"));
  num("--sector-weight", m.sector_weight,
      "Loading on the sector factor: within-sector correlation = market-weight^2 + this^2", 0.0, 1.0);
  num("--vol-fast-sd", m.vol.fast_sd, "Stationary sd of the fast log-volatility factors", 0.0, 2.0);
  num("--vol-fast-halflife", m.vol.fast_halflife_min, "Half-life of the fast factors, simulated minutes", 1.0,
      1e6);
  num("--vol-slow-sd", m.vol.slow_sd, "Stationary sd of the slow log-volatility factors", 0.0, 2.0);
  num("--vol-slow-halflife", m.vol.slow_halflife_min, "Half-life of the slow factors, simulated minutes", 1.0,
      1e7);
  num("--vol-market-share", m.vol.market_share,
      "Share of log-volatility variance common to all symbols (the market variance factor)", 0.0, 1.0);
  num("--leverage", m.vol.leverage, "Correlation of volatility shocks with returns (negative: leverage)",
      -1.0, 1.0);
  num("--intraday-open", m.vol.intraday_open, "Opening peak of the intraday volatility U (0: flat)", 0.0,
      20.0);
  num("--intraday-close", m.vol.intraday_close, "Closing peak of the intraday volatility U", 0.0, 20.0);
  num("--intensity-elasticity", m.vol.intensity_elasticity,
      "Tick and trade intensity ~ volatility^this (0: intensity ignores volatility)", 0.0, 3.0);
  out.push_back(app.add_option("--tail-nu", m.tail_nu,
                               "Student-t degrees of freedom of the innovations, > 2 (0: normal)")
                    ->check(CLI::Validator(
                        [](std::string& v) -> std::string {
                          double nu = -1;
                          try {
                            nu = std::stod(v);
                          } catch (const std::exception&) {
                          }
                          if (nu == 0.0 || (nu > 2.0 && nu <= 1000.0)) return {};
                          return "--tail-nu must be 0 (normal) or in (2, 1000] (finite variance), got '" + v +
                                 "'";
                        },
                        "", "degrees of freedom"))
                    ->type_name("NU")
                    ->capture_default_str()
                    ->group(kGroup));
  num("--jump-sigmas", m.jump_sigmas, "Sd of a symbol's jump in its current 1-minute sigmas", 0.0, 100.0);
  num("--market-jumps-per-session", m.market_jumps_per_session, "Market-wide jumps per session", 0.0, 390.0);
  num("--market-jump-sigmas", m.market_jump_sigmas, "Sd of a market jump in 1-minute market sigmas", 0.0,
      100.0);
  num("--overnight-share", m.overnight_share, "Share of daily variance in the overnight gap", 0.0, 0.9);
  num("--hawkes-branching", m.flow.hawkes_branching, "Trades triggered per trade (self-excitation, < 1)", 0.0,
      0.95);
  num("--hawkes-decay", m.flow.hawkes_decay_s, "Decay time of the trade excitation, simulated seconds", 0.001,
      1e5);
  num("--sign-follow", m.flow.sign_follow, "How strongly a trade follows its split order's side (0: random)",
      0.0, 1.0);
  num("--meta-alpha", m.flow.meta_alpha, "Tail exponent of split-order lengths (1.5: sign memory ~ lag^-0.5)",
      0.5, 10.0);
  num("--impact", m.flow.impact, "Mid move per trade, in half spreads (0: no impact)", 0.0, 10.0);
  num("--impact-decay", m.flow.impact_decay_s, "Decay time of a trade's impact, simulated seconds", 0.001,
      1e6);
  num("--notional-median", m.flow.notional_median, "Median trade notional, currency units", 1.0, 1e7);
  num("--notional-sigma", m.flow.notional_sigma, "Log-sd of trade notionals", 0.0, 4.0);
  num("--round-lot-share", m.flow.round_lot_share, "Share of trades of >= 100 shares rounded to whole lots",
      0.0, 1.0);
  num("--open-auction-share", m.flow.open_auction_share,
      "Opening cross size, share of daily volume (0: no opening print)", 0.0, 1.0);
  num("--close-auction-share", m.flow.close_auction_share,
      "Closing cross size, share of daily volume (0: no closing print)", 0.0, 1.0);
  return out;
}

}  // namespace tickshm::feed
