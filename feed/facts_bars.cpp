// Building the facts report's minute bars and series from a CSV recording, in one pass.
#include "facts_bars.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "csv_replay.hpp"

namespace tickshm::feed {

namespace {

constexpr std::uint64_t kMinuteNs = 60'000'000'000ULL;
constexpr std::uint64_t kDayNs = 86'400'000'000'000ULL;

}  // namespace

Result<FactsSeries> read_facts_series(const std::string& path) {
  auto opened = CsvReader::open(path);
  if (!opened) return opened.error();
  CsvReader& reader = **opened;
  FactsSeries f;
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<FactsSymbol>& syms = f.symbols;
  std::vector<std::uint64_t> day_list;
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
        return make_error(
            Errc::kInvalidArgument,
            fmt::format("{}: more than {} symbols; the facts report keeps minute bars per symbol", path,
                        kFactsMaxSymbols));
      }
      it = index.emplace(std::string(row.symbol), syms.size()).first;
      syms.emplace_back();
      syms.back().name = std::string(row.symbol);
    }
    FactsSymbol& s = syms[it->second];
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
    FactsDay& dd = s.days.back();
    const double mid = 0.5 * (static_cast<double>(row.bid) + static_cast<double>(row.ask));
    if (!std::isfinite(dd.first_mid)) dd.first_mid = mid;
    dd.last_mid = mid;
    const std::uint64_t minute = (row.timestamp_ns - day_open) / kMinuteNs;
    if (minute < kFactsMinutes) day_minutes[day] = std::max(day_minutes[day], minute + 1);
    FactsBar* bar = minute < kFactsMinutes ? &dd.bars[minute] : nullptr;
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
  std::map<std::uint64_t, std::uint32_t> day_pos;
  for (std::size_t k = 0; k < day_list.size(); ++k) day_pos[day_list[k]] = static_cast<std::uint32_t>(k);

  // Minute series, carrying the mid forward through minutes without an update; a session that
  // stops early (the end of a recording) ends at its last minute with data.
  for (FactsSymbol& s : syms) {
    for (const FactsDay& dd : s.days) {
      double prev = dd.first_mid;
      const std::uint64_t minutes = day_minutes[dd.day];
      for (std::uint32_t m = 0; m < minutes; ++m) {
        const FactsBar& b = dd.bars[m];
        const double mid = std::isfinite(b.mid_end) ? b.mid_end : prev;
        s.r.push_back(prev > 0 && mid > 0 ? std::log(mid / prev) : stats::kNaN);
        prev = mid;
        s.abs_r.push_back(std::fabs(s.r.back()));
        s.spread.push_back(b.spread_n ? b.spread_sum / b.spread_n : stats::kNaN);
        s.trades_per_min.push_back(b.trades);
        s.volume.push_back(b.volume);
        s.minute_of_day.push_back(m);
        s.day_index.push_back(day_pos[dd.day]);
      }
    }
  }
  f.sessions = day_list.size();
  return f;
}

}  // namespace tickshm::feed
