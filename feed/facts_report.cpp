// The stylized-facts report: each fact beside its real-market reference and accepted range, as a
// table or as JSON.
#include "tickshm/json_out.hpp"

#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "facts.hpp"

namespace tickshm::feed {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num3(double v) {
  return std::isfinite(v) ? fmt::format("{:.3f}", v) : "n/a";
}
}  // namespace

std::vector<FactCheck> fact_checks(const Facts& f) {
  // The ranges are issue 21's "done when"; a fact without one gets (-inf, inf) and always passes
  // when measured. References: Cont (2001); Bouchaud, Farmer and Lillo (2009); Hasbrouck (2007).
  auto check = [](std::string key, std::string name, double v, std::string real, double lo, double hi) {
    return FactCheck{
        std::move(key), std::move(name), v, std::move(real), lo, hi, std::isfinite(v) && v >= lo && v <= hi};
  };
  const double within_minus_between = f.within_sector_corr - f.between_sector_corr;
  return {
      check("abs_acf_1", "autocorrelation of |r| (1-min), lag 1", f.abs_acf[0], "0.2-0.3", 0.15, kInf),
      check("abs_acf_10", "autocorrelation of |r| (1-min), lag 10", f.abs_acf[9], "positive, slow decay",
            1e-9, kInf),
      check("ret_acf_1", "autocorrelation of r (1-min), lag 1", f.ret_acf1, "~0 (small bounce)", -kInf, kInf),
      check("excess_kurtosis", "excess kurtosis of 1-min returns", f.excess_kurtosis, "~10 or more", 5, kInf),
      check("open_vol_ratio", "volatility 09:30-10:00 / 12:00-13:30", f.open_vol_ratio, "1.5-2", 1.5, kInf),
      check("close_vol_ratio", "volatility 15:30-16:00 / 12:00-13:30", f.close_vol_ratio, "> 1", -kInf, kInf),
      check("spread_abs_corr", "corr(spread, |r|) per minute", f.spread_abs_corr, "clearly positive", 0.3,
            kInf),
      check("leverage", "leverage: corr(r_t, |r_t+k|), k = 1..10", f.leverage, "negative", -kInf, kInf),
      check("volume_vol_spearman", "Spearman(volume, |r|) per minute", f.volume_vol_spearman,
            "strongly positive", -kInf, kInf),
      check("sign_acf_1", "trade-sign autocorrelation, lag 1", f.sign_acf1, "0.3-0.5", 0.2, 0.6),
      check("sign_acf_10", "trade-sign autocorrelation, lag 10", f.sign_acf10, "positive (long memory)",
            -kInf, kInf),
      check("impact_ticks", "price impact of a trade (10 updates, $0.01)", f.impact_ticks, "positive", -kInf,
            kInf),
      check("trades_var_mean", "variance/mean of trades per minute", f.trades_var_mean, ">> 1 (clustered)", 2,
            kInf),
      check("within_minus_between", "within - between sector correlation (5-min)", within_minus_between,
            "clear blocks", 0.1, kInf),
      check("within_sector_corr", "within-sector correlation (5-min)", f.within_sector_corr, "0.4-0.7", -kInf,
            kInf),
      check("between_sector_corr", "between-sector correlation (5-min)", f.between_sector_corr, "0.2-0.4",
            -kInf, kInf),
      check("corr_1min", "mean correlation at 1 min (Epps)", f.corr_1min, "below the 30-min one", -kInf,
            kInf),
      check("corr_30min", "mean correlation at 30 min", f.corr_30min, "0.3-0.6", -kInf, kInf),
      check("odd_lot_share", "odd-lot trades (< 100 shares)", f.odd_lot_share, "~0.5", 0.2, 0.6),
      check("size_price_corr", "corr(log price, log trade size) across symbols", f.size_price_corr,
            "negative (cheap stocks trade more shares)", -kInf, kInf),
      check("overnight_share", "overnight share of daily variance", f.overnight_share, "0.2-0.3", -kInf,
            kInf),
      check("close_open_auction", "closing / opening print volume", f.close_open_auction, ">= 1", -kInf,
            kInf),
  };
}

std::string facts_table(const Facts& f) {
  std::string out =
      fmt::format("{} rows, {} trades, {} symbols, {} sessions\n\n", f.rows, f.trades, f.symbols, f.sessions);
  fmt::format_to(std::back_inserter(out), "| {:<48} | {:>9} | {:<42} | {:<14} | {:<4} |\n", "fact",
                 "measured", "real markets", "done when", "ok");
  out += "|" + std::string(50, '-') + "|" + std::string(11, '-') + "|" + std::string(44, '-') + "|" +
         std::string(16, '-') + "|" + std::string(6, '-') + "|\n";
  for (const FactCheck& c : fact_checks(f)) {
    std::string range = "-";
    const bool has_lo = std::isfinite(c.min), has_hi = std::isfinite(c.max);
    if (has_lo && has_hi)
      range = num3(c.min) + " .. " + num3(c.max);
    else if (has_lo)
      range = ">= " + num3(c.min);
    else if (has_hi)
      range = "<= " + num3(c.max);
    const char* ok = (!has_lo && !has_hi) ? "" : (c.pass ? "yes" : "NO");
    fmt::format_to(std::back_inserter(out), "| {:<48} | {:>9} | {:<42} | {:<14} | {:<4} |\n", c.name,
                   num3(c.value), c.real, range, ok);
  }
  std::string acf = "|r| autocorrelation, lags 1-10:";
  for (const double a : f.abs_acf) acf += " " + num3(a);
  out += "\n" + acf + "\n";
  return out;
}

std::string facts_json(const Facts& f) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;  // bumped when a field changes meaning or goes away
  j["rows"] = f.rows;
  j["trades"] = f.trades;
  j["symbols"] = f.symbols;
  j["sessions"] = f.sessions;
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  nlohmann::json acf = nlohmann::json::array();
  for (const double a : f.abs_acf) acf.push_back(num(a));
  j["abs_acf"] = acf;
  nlohmann::json facts = nlohmann::json::object();
  for (const FactCheck& c : fact_checks(f)) {
    nlohmann::json e;
    e["name"] = c.name;
    e["value"] = num(c.value);
    e["real"] = c.real;
    if (std::isfinite(c.min)) e["min"] = c.min;
    if (std::isfinite(c.max)) e["max"] = c.max;
    if (std::isfinite(c.min) || std::isfinite(c.max)) e["pass"] = c.pass;
    facts[c.key] = e;
  }
  j["facts"] = facts;
  return dump_json(j, true) + "\n";
}

}  // namespace tickshm::feed
