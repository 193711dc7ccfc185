// Stylized facts: the measures over each symbol's minute series (facts_bars.hpp builds them).
#include "facts.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "facts_bars.hpp"
#include "sample_stats.hpp"
#include "sectors.hpp"

namespace tickshm::feed {

namespace {

using stats::excess_kurtosis;
using stats::kNaN;
using stats::mean_of;
using stats::median_of;
using stats::pearson;
using stats::ranks;
using stats::sign_acf;

// corr(a_t, b_t+lag) over pairs in the same day.
double lagged_corr(const FactsSymbol& s, const std::vector<double>& a, const std::vector<double>& b,
                   std::size_t lag) {
  std::vector<double> x, y;
  for (std::size_t k = 0; k + lag < a.size(); ++k) {
    if (s.day_index[k] != s.day_index[k + lag]) continue;
    x.push_back(a[k]);
    y.push_back(b[k + lag]);
  }
  return pearson(x, y);
}

// Returns summed over blocks of `width` minutes within each day, aligned across symbols.
std::vector<double> block_returns(const FactsSymbol& s, std::size_t days, std::uint32_t width) {
  const std::uint32_t blocks = kFactsMinutes / width;
  std::vector<double> out(days * blocks, kNaN);
  for (std::size_t k = 0; k < s.r.size(); ++k) {
    const std::size_t slot = s.day_index[k] * blocks + s.minute_of_day[k] / width;
    if (s.minute_of_day[k] / width >= blocks || !std::isfinite(s.r[k])) continue;
    out[slot] = std::isfinite(out[slot]) ? out[slot] + s.r[k] : s.r[k];
  }
  return out;
}

}  // namespace

Result<Facts> compute_facts(const std::string& path) {
  auto series = read_facts_series(path);
  if (!series) return std::move(series).error();
  const std::vector<FactsSymbol>& syms = series->symbols;
  Facts f;
  f.rows = series->rows;
  f.trades = series->trades;
  f.symbols = syms.size();
  f.sessions = series->sessions;

  std::vector<double> per_sym;
  for (std::size_t lag = 1; lag <= 10; ++lag) {
    per_sym.clear();
    for (const FactsSymbol& s : syms) per_sym.push_back(lagged_corr(s, s.abs_r, s.abs_r, lag));
    f.abs_acf[lag - 1] = mean_of(per_sym);
  }
  per_sym.clear();
  for (const FactsSymbol& s : syms) per_sym.push_back(lagged_corr(s, s.r, s.r, 1));
  f.ret_acf1 = mean_of(per_sym);
  per_sym.clear();
  for (const FactsSymbol& s : syms) per_sym.push_back(excess_kurtosis(s.r));
  f.excess_kurtosis = median_of(per_sym);

  // Intraday volatility: each symbol's |returns| in units of its own sd, pooled per minute of the day.
  // Mean absolute returns rather than their root mean square: one jump at lunch would otherwise
  // decide the ratio of a short recording.
  std::array<double, kFactsMinutes> sq{}, cnt{};
  for (const FactsSymbol& s : syms) {
    const double m = mean_of(s.r);
    double v = 0;
    std::size_t n = 0;
    for (const double x : s.r) {
      if (std::isfinite(x)) {
        v += (x - m) * (x - m);
        ++n;
      }
    }
    if (n < 2 || v <= 0) continue;
    const double sd = std::sqrt(v / static_cast<double>(n));
    for (std::size_t k = 0; k < s.r.size(); ++k) {
      if (!std::isfinite(s.r[k])) continue;
      sq[s.minute_of_day[k]] += std::fabs(s.r[k] / sd);
      cnt[s.minute_of_day[k]] += 1;
    }
  }
  auto window_vol = [&](std::uint32_t from, std::uint32_t to) {
    double a = 0, c = 0;
    for (std::uint32_t m = from; m < to; ++m) {
      a += sq[m];
      c += cnt[m];
    }
    return c > 0 ? a / c : kNaN;
  };
  const double midday = window_vol(150, 240);
  f.open_vol_ratio = window_vol(0, 30) / midday;
  f.close_vol_ratio = window_vol(360, 390) / midday;

  per_sym.clear();
  for (const FactsSymbol& s : syms) per_sym.push_back(pearson(s.spread, s.abs_r));
  f.spread_abs_corr = median_of(per_sym);
  per_sym.clear();
  for (const FactsSymbol& s : syms) {
    std::vector<double> lags;
    for (std::size_t lag = 1; lag <= 10; ++lag) lags.push_back(lagged_corr(s, s.r, s.abs_r, lag));
    per_sym.push_back(mean_of(lags));
  }
  f.leverage = mean_of(per_sym);
  per_sym.clear();
  for (const FactsSymbol& s : syms) {
    std::vector<double> vol, ar;
    for (std::size_t k = 0; k < s.r.size(); ++k) {
      if (!std::isfinite(s.abs_r[k])) continue;
      vol.push_back(s.volume[k]);
      ar.push_back(s.abs_r[k]);
    }
    per_sym.push_back(pearson(ranks(vol), ranks(ar)));
  }
  f.volume_vol_spearman = mean_of(per_sym);

  per_sym.clear();
  for (const FactsSymbol& s : syms) per_sym.push_back(sign_acf(s.signs, 1));
  f.sign_acf1 = mean_of(per_sym);
  per_sym.clear();
  for (const FactsSymbol& s : syms) per_sym.push_back(sign_acf(s.signs, 10));
  f.sign_acf10 = mean_of(per_sym);
  double impact_sum = 0, impact_n = 0;
  for (const FactsSymbol& s : syms) {
    impact_sum += s.impact_sum;
    impact_n += static_cast<double>(s.impact_n);
  }
  f.impact_ticks = impact_n > 0 ? impact_sum / impact_n : kNaN;

  per_sym.clear();
  for (const FactsSymbol& s : syms) {
    const double m = mean_of(s.trades_per_min);
    double v = 0;
    for (const double x : s.trades_per_min) v += (x - m) * (x - m);
    v /= std::max<double>(1.0, static_cast<double>(s.trades_per_min.size()) - 1.0);
    per_sym.push_back(m > 0 ? v / m : kNaN);
  }
  f.trades_var_mean = mean_of(per_sym);

  // Cross-section: pairwise correlations at 1, 5 and 30 minutes.
  const std::size_t ndays = series->sessions;
  auto pairwise = [&](std::uint32_t width, bool by_sector, double& within, double& between) {
    std::vector<std::vector<double>> br;
    std::vector<std::uint32_t> sector;
    for (const FactsSymbol& s : syms) {
      br.push_back(block_returns(s, ndays, width));
      sector.push_back(sector_of(s.name));
    }
    std::vector<double> w, b;
    for (std::size_t i = 0; i < syms.size(); ++i) {
      for (std::size_t j = i + 1; j < syms.size(); ++j) {
        const double c = pearson(br[i], br[j]);
        (by_sector && sector[i] == sector[j] ? w : b).push_back(c);
      }
    }
    within = mean_of(w);
    between = mean_of(b);
  };
  double unused = 0;
  pairwise(5, true, f.within_sector_corr, f.between_sector_corr);
  pairwise(1, false, unused, f.corr_1min);
  pairwise(30, false, unused, f.corr_30min);

  double odd = 0, trades = 0;
  std::vector<double> lp, ls;
  for (const FactsSymbol& s : syms) {
    odd += static_cast<double>(s.odd);
    trades += static_cast<double>(s.trades);
    if (s.trades > 0) {
      lp.push_back(std::log(s.price_sum / static_cast<double>(s.trades)));
      ls.push_back(std::log(s.size_sum / static_cast<double>(s.trades)));
    }
  }
  f.odd_lot_share = trades > 0 ? odd / trades : kNaN;
  f.size_price_corr = lp.size() >= 3 ? pearson(lp, ls) : kNaN;

  per_sym.clear();
  double first = 0, last = 0;
  for (const FactsSymbol& s : syms) {
    double on = 0, intra = 0;
    for (std::size_t k = 0; k < s.days.size(); ++k) {
      const FactsDay& dd = s.days[k];
      if (dd.first_mid > 0 && dd.last_mid > 0) intra += std::pow(std::log(dd.last_mid / dd.first_mid), 2);
      if (k > 0 && s.days[k - 1].last_mid > 0 && dd.first_mid > 0)
        on += std::pow(std::log(dd.first_mid / s.days[k - 1].last_mid), 2);
      if (std::isfinite(dd.first_trade) && std::isfinite(dd.last_trade)) {
        first += dd.first_trade;
        last += dd.last_trade;
      }
    }
    per_sym.push_back(s.days.size() > 1 && on + intra > 0 ? on / (on + intra) : kNaN);
  }
  f.overnight_share = mean_of(per_sym);
  f.close_open_auction = first > 0 ? last / first : kNaN;
  return f;
}

}  // namespace tickshm::feed
