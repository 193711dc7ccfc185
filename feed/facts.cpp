// Stylized facts: one pass over the CSV into per-symbol minute bars and trade signs, then the measures.
#include "facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "csv_replay.hpp"
#include "sectors.hpp"

namespace tickshm::feed {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kMinuteNs = 60'000'000'000ULL;
constexpr std::uint64_t kDayNs = 86'400'000'000'000ULL;
constexpr std::size_t kImpactLag = 10;

struct Bar {
  double mid_end = kNaN;
  double spread_sum = 0;
  std::uint32_t spread_n = 0;
  std::uint32_t trades = 0;
  double volume = 0;
};

struct Day {
  std::uint64_t day = 0;
  std::array<Bar, kFactsMinutes> bars{};
  double first_mid = kNaN, last_mid = kNaN;
  double first_trade = kNaN, last_trade = kNaN;
};

struct SymbolAcc {
  std::string name;
  std::vector<Day> days;
  std::vector<std::int8_t> signs;
  std::array<double, kImpactLag> mids{};
  std::array<std::int8_t, kImpactLag> ring_signs{};
  std::uint64_t updates = 0;
  double impact_sum = 0;
  std::uint64_t impact_n = 0;
  std::uint32_t last_trade_price = 0;
  std::int8_t last_sign = 0;
  double price_sum = 0, size_sum = 0;
  std::uint64_t trades = 0, odd = 0;
  // Per-minute series, within-day, built after the pass.
  std::vector<double> r, abs_r, spread, trades_per_min, volume;
  std::vector<std::uint32_t> minute_of_day;
  std::vector<std::uint32_t> day_index;
};

double mean_of(const std::vector<double>& v) {
  double s = 0;
  std::size_t n = 0;
  for (const double x : v) {
    if (std::isfinite(x)) {
      s += x;
      ++n;
    }
  }
  return n ? s / static_cast<double>(n) : kNaN;
}

double median_of(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Pearson over the pairs where both are finite.
double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double sa = 0, sb = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isfinite(a[k]) && std::isfinite(b[k])) {
      sa += a[k];
      sb += b[k];
      ++n;
    }
  }
  if (n < 3) return kNaN;
  const double ma = sa / static_cast<double>(n), mb = sb / static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isfinite(a[k]) && std::isfinite(b[k])) {
      sab += (a[k] - ma) * (b[k] - mb);
      saa += (a[k] - ma) * (a[k] - ma);
      sbb += (b[k] - mb) * (b[k] - mb);
    }
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : kNaN;
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t k = 0; k < idx.size();) {
    std::size_t e = k;
    while (e + 1 < idx.size() && v[idx[e + 1]] == v[idx[k]]) ++e;
    for (std::size_t q = k; q <= e; ++q) r[idx[q]] = 0.5 * static_cast<double>(k + e);
    k = e + 1;
  }
  return r;
}

// corr(a_t, b_t+lag) over pairs in the same day.
double lagged_corr(const SymbolAcc& s, const std::vector<double>& a, const std::vector<double>& b,
                   std::size_t lag) {
  std::vector<double> x, y;
  for (std::size_t k = 0; k + lag < a.size(); ++k) {
    if (s.day_index[k] != s.day_index[k + lag]) continue;
    x.push_back(a[k]);
    y.push_back(b[k + lag]);
  }
  return pearson(x, y);
}

double sign_acf(const std::vector<std::int8_t>& s, std::size_t lag) {
  if (s.size() <= lag + 2) return kNaN;
  std::vector<double> x, y;
  x.reserve(s.size() - lag);
  y.reserve(s.size() - lag);
  for (std::size_t k = 0; k + lag < s.size(); ++k) {
    x.push_back(s[k]);
    y.push_back(s[k + lag]);
  }
  return pearson(x, y);
}

double excess_kurtosis(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s2 = 0, s4 = 0;
  std::size_t n = 0;
  for (const double x : v) {
    if (!std::isfinite(x)) continue;
    const double d = (x - m) * (x - m);
    s2 += d;
    s4 += d * d;
    ++n;
  }
  if (n < 10 || s2 <= 0) return kNaN;
  const double nn = static_cast<double>(n);
  return (s4 / nn) / ((s2 / nn) * (s2 / nn)) - 3.0;
}

// Returns summed over blocks of `width` minutes within each day, aligned across symbols.
std::vector<double> block_returns(const SymbolAcc& s, std::size_t days, std::uint32_t width) {
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
  auto opened = CsvReader::open(path);
  if (!opened) return opened.error();
  CsvReader& reader = **opened;
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<SymbolAcc> syms;
  std::vector<std::uint64_t> day_list;
  Facts f;
  std::uint64_t day = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t day_open = 0;
  std::map<std::uint64_t, std::uint64_t> day_minutes;  // minutes of each session that saw any row
  CsvRow row;
  for (;;) {
    const auto st = reader.next(row);
    if (st == CsvReader::Next::kEnd) break;
    if (st == CsvReader::Next::kBad) return make_error(Errc::kInvalidArgument, reader.error());
    ++f.rows;
    auto it = index.find(row.symbol);
    if (it == index.end()) {
      if (syms.size() >= kFactsMaxSymbols) {
        return make_error(Errc::kInvalidArgument,
                          path + ": more than " + std::to_string(kFactsMaxSymbols) +
                              " symbols; the facts report keeps minute bars per symbol");
      }
      it = index.emplace(std::string(row.symbol), syms.size()).first;
      syms.emplace_back();
      syms.back().name = std::string(row.symbol);
    }
    SymbolAcc& s = syms[it->second];
    const std::uint64_t d = row.timestamp_ns / kDayNs;
    if (d != day) {
      day = d;
      day_open = row.timestamp_ns / kMinuteNs * kMinuteNs;
      day_list.push_back(d);
    }
    if (s.days.empty() || s.days.back().day != day) {
      s.days.emplace_back();
      s.days.back().day = day;
    }
    Day& dd = s.days.back();
    const double mid = 0.5 * (static_cast<double>(row.bid) + static_cast<double>(row.ask));
    if (!std::isfinite(dd.first_mid)) dd.first_mid = mid;
    dd.last_mid = mid;
    const std::uint64_t minute = (row.timestamp_ns - day_open) / kMinuteNs;
    if (minute < kFactsMinutes) day_minutes[day] = std::max(day_minutes[day], minute + 1);
    Bar* bar = minute < kFactsMinutes ? &dd.bars[minute] : nullptr;
    if (bar != nullptr) {
      bar->mid_end = mid;
      if (mid > 0) {
        bar->spread_sum += (static_cast<double>(row.ask) - static_cast<double>(row.bid)) / mid;
        ++bar->spread_n;
      }
    }
    // Impact: the trade kImpactLag updates ago meets today's mid.
    const std::size_t slot = s.updates % kImpactLag;
    if (s.updates >= kImpactLag && s.ring_signs[slot] != 0) {
      s.impact_sum += s.ring_signs[slot] * (mid - s.mids[slot]) / 100.0;
      ++s.impact_n;
    }
    std::int8_t sign = 0;
    if (row.trade) {
      ++f.trades;
      ++s.trades;
      s.odd += row.size < 100 ? 1 : 0;
      s.price_sum += static_cast<double>(row.last);
      s.size_sum += static_cast<double>(row.size);
      const double px = static_cast<double>(row.last);
      // Lee-Ready: above the mid a buy, below a sell, at the mid the tick test.
      if (px > mid)
        sign = 1;
      else if (px < mid)
        sign = -1;
      else if (s.last_trade_price != 0 && row.last != s.last_trade_price)
        sign = row.last > s.last_trade_price ? 1 : -1;
      else
        sign = s.last_sign;
      s.last_trade_price = row.last;
      if (sign != 0) {
        s.signs.push_back(sign);
        s.last_sign = sign;
      }
      if (!std::isfinite(dd.first_trade)) dd.first_trade = row.size;
      dd.last_trade = row.size;
      if (bar != nullptr) {
        ++bar->trades;
        bar->volume += row.size;
      }
    }
    s.mids[slot] = mid;
    s.ring_signs[slot] = sign;
    ++s.updates;
  }
  if (syms.empty()) return make_error(Errc::kInvalidArgument, path + ": no rows");
  f.symbols = syms.size();
  f.sessions = day_list.size();
  std::map<std::uint64_t, std::uint32_t> day_pos;
  for (std::size_t k = 0; k < day_list.size(); ++k) day_pos[day_list[k]] = static_cast<std::uint32_t>(k);

  // Minute series, carrying the mid forward through minutes without an update; a session that
  // stops early (the end of a recording) ends at its last minute with data.
  for (SymbolAcc& s : syms) {
    for (const Day& dd : s.days) {
      double prev = dd.first_mid;
      const std::uint64_t minutes = day_minutes[dd.day];
      for (std::uint32_t m = 0; m < minutes; ++m) {
        const Bar& b = dd.bars[m];
        const double mid = std::isfinite(b.mid_end) ? b.mid_end : prev;
        s.r.push_back(prev > 0 && mid > 0 ? std::log(mid / prev) : kNaN);
        prev = mid;
        s.abs_r.push_back(std::fabs(s.r.back()));
        s.spread.push_back(b.spread_n ? b.spread_sum / b.spread_n : kNaN);
        s.trades_per_min.push_back(b.trades);
        s.volume.push_back(b.volume);
        s.minute_of_day.push_back(m);
        s.day_index.push_back(day_pos[dd.day]);
      }
    }
  }

  std::vector<double> per_sym;
  for (std::size_t lag = 1; lag <= 10; ++lag) {
    per_sym.clear();
    for (const SymbolAcc& s : syms) per_sym.push_back(lagged_corr(s, s.abs_r, s.abs_r, lag));
    f.abs_acf[lag - 1] = mean_of(per_sym);
  }
  per_sym.clear();
  for (const SymbolAcc& s : syms) per_sym.push_back(lagged_corr(s, s.r, s.r, 1));
  f.ret_acf1 = mean_of(per_sym);
  per_sym.clear();
  for (const SymbolAcc& s : syms) per_sym.push_back(excess_kurtosis(s.r));
  f.excess_kurtosis = median_of(per_sym);

  // Intraday volatility: each symbol's |returns| in units of its own sd, pooled per minute of the day.
  // Mean absolute returns rather than their root mean square: one jump at lunch would otherwise
  // decide the ratio of a short recording.
  std::array<double, kFactsMinutes> sq{}, cnt{};
  for (const SymbolAcc& s : syms) {
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
  for (const SymbolAcc& s : syms) per_sym.push_back(pearson(s.spread, s.abs_r));
  f.spread_abs_corr = median_of(per_sym);
  per_sym.clear();
  for (const SymbolAcc& s : syms) {
    std::vector<double> lags;
    for (std::size_t lag = 1; lag <= 10; ++lag) lags.push_back(lagged_corr(s, s.r, s.abs_r, lag));
    per_sym.push_back(mean_of(lags));
  }
  f.leverage = mean_of(per_sym);
  per_sym.clear();
  for (const SymbolAcc& s : syms) {
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
  for (const SymbolAcc& s : syms) per_sym.push_back(sign_acf(s.signs, 1));
  f.sign_acf1 = mean_of(per_sym);
  per_sym.clear();
  for (const SymbolAcc& s : syms) per_sym.push_back(sign_acf(s.signs, 10));
  f.sign_acf10 = mean_of(per_sym);
  double impact_sum = 0, impact_n = 0;
  for (const SymbolAcc& s : syms) {
    impact_sum += s.impact_sum;
    impact_n += static_cast<double>(s.impact_n);
  }
  f.impact_ticks = impact_n > 0 ? impact_sum / impact_n : kNaN;

  per_sym.clear();
  for (const SymbolAcc& s : syms) {
    const double m = mean_of(s.trades_per_min);
    double v = 0;
    for (const double x : s.trades_per_min) v += (x - m) * (x - m);
    v /= std::max<double>(1.0, static_cast<double>(s.trades_per_min.size()) - 1.0);
    per_sym.push_back(m > 0 ? v / m : kNaN);
  }
  f.trades_var_mean = mean_of(per_sym);

  // Cross-section: pairwise correlations at 1, 5 and 30 minutes.
  const std::size_t ndays = day_list.size();
  auto pairwise = [&](std::uint32_t width, bool by_sector, double& within, double& between) {
    std::vector<std::vector<double>> br;
    std::vector<std::uint32_t> sector;
    for (const SymbolAcc& s : syms) {
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
  for (const SymbolAcc& s : syms) {
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
  for (const SymbolAcc& s : syms) {
    double on = 0, intra = 0;
    for (std::size_t k = 0; k < s.days.size(); ++k) {
      const Day& dd = s.days[k];
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
