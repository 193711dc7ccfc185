// ITCH 5.0 replay, pass one: the whole file framed and checked, the stock directory, the sizes; and
// the time-of-day parsing of --from/--to.
#include <algorithm>

#include <fmt/format.h>
#include <cstdio>
#include <set>

#include "itch_format.hpp"
#include "itch_replay.hpp"

namespace tickshm::feed {

namespace {

using namespace itch;

// The R message's 8-character, space-padded stock as a tickshm symbol name: trailing spaces dropped,
// anything a symbol name may not hold (inner spaces, control bytes, commas) written as '_'.
std::string stock_name(const std::uint8_t* p, std::uint16_t locate) {
  std::string s(reinterpret_cast<const char*>(p), 8);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ',') c = '_';
  }
  return s.empty() ? fmt::format("LOC{}", locate) : s;
}

}  // namespace

bool parse_time_of_day(const std::string& s, std::uint64_t& ns, std::string& why) {
  unsigned h = 0, m = 0, sec = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%2u:%2u:%2u%n", &h, &m, &sec, &used) != 3 || used != 8 || h > 23 || m > 59 ||
      sec > 59) {
    why = "'" + s + "' is not a time of day HH:MM:SS[.fraction] (00:00:00 to 23:59:59)";
    return false;
  }
  std::uint64_t frac = 0;
  std::size_t i = static_cast<std::size_t>(used);
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size() || s.size() - i - 1 > 9) {
      why = "'" + s + "' has a bad fraction of a second (at most 9 digits after '.')";
      return false;
    }
    std::uint64_t scale = 100'000'000;
    for (++i; i < s.size(); ++i, scale /= 10) {
      if (s[i] < '0' || s[i] > '9') {
        why = "'" + s + "' has a bad fraction of a second (at most 9 digits after '.')";
        return false;
      }
      frac += static_cast<std::uint64_t>(s[i] - '0') * scale;
    }
  }
  ns = ((std::uint64_t{h} * 60 + m) * 60 + sec) * 1'000'000'000ULL + frac;
  return true;
}

std::string format_time_of_day(std::uint64_t ns) {
  const std::uint64_t s = ns / 1'000'000'000ULL;
  return fmt::format("{:02}:{:02}:{:02}.{:09}", s / 3600, s / 60 % 60, s % 60, ns % 1'000'000'000ULL);
}

Result<ItchScan> scan_itch(const std::string& path, const std::vector<std::string>& only) {
  auto opened = ItchReader::open(path);
  if (!opened) return std::move(opened).error();
  ItchReader& reader = *opened;
  ItchScan scan;
  std::vector<std::uint32_t> first_price(65'536, 0);
  std::vector<std::uint8_t> sub_penny(65'536, 0);
  std::vector<std::int64_t> dir_index(65'536, -1);
  std::vector<ItchStock> directory;
  std::int64_t live = 0;
  std::int64_t peak = 0;
  ItchFrame f;
  ItchReader::Next r;
  while ((r = reader.next(f)) == ItchReader::Next::kMessage) {
    const std::uint8_t* m = f.msg;
    const std::uint8_t type = m[0];
    ++scan.by_type[type];
    const std::uint64_t ts = timestamp(m);
    if (scan.messages++ == 0) scan.first_ts = ts;
    scan.last_ts = ts;
    const std::uint16_t loc = locate(m);
    std::uint32_t price = 0;
    switch (type) {
      case 'R':
        if (dir_index[loc] < 0) {
          dir_index[loc] = static_cast<std::int64_t>(directory.size());
          directory.push_back({stock_name(m + off::kDirStock, loc), loc, 0, 100});
          scan.locates.push_back(loc);
        }
        break;
      case 'A':
      case 'F':
        price = be32(m + off::kAddPrice);
        peak = std::max(peak, ++live);
        break;
      case 'D':
        --live;
        break;
      case 'P':
        price = be32(m + off::kTradePrice);
        break;
      default:
        break;
    }
    if (price != 0) {
      if (first_price[loc] == 0) first_price[loc] = price;
      if (price % 100 != 0) sub_penny[loc] = 1;
    }
  }
  if (r == ItchReader::Next::kError) return make_error(Errc::kInvalidArgument, reader.error());
  if (scan.messages == 0) return make_error(Errc::kInvalidArgument, path + ": no ITCH messages (empty file)");
  if (directory.empty()) {
    return make_error(
        Errc::kInvalidArgument,
        fmt::format(
            "{}: no Stock Directory (R) message in {} messages, so no stock to publish (is this ITCH 5.0?)",
            path, scan.messages));
  }
  scan.messages = reader.messages();
  scan.unknown_skipped = reader.unknown_skipped();
  scan.zero_prefix = reader.zero_prefix_seen();
  scan.live_estimate = static_cast<std::uint64_t>(peak);

  std::set<std::string> wanted(only.begin(), only.end());
  for (ItchStock& s : directory) {
    s.reference_price = first_price[s.locate] != 0 ? first_price[s.locate] : kPriceScale;
    s.tick_size = sub_penny[s.locate] ? 1 : 100;
    if (!only.empty() && wanted.erase(s.name) == 0) continue;
    scan.stocks.push_back(s);
  }
  if (!wanted.empty()) {
    std::string missing;
    for (const auto& w : wanted) missing += (missing.empty() ? "" : ", ") + w;
    return make_error(Errc::kInvalidArgument,
                      path + ": --symbols names stocks its directory does not have: " + missing);
  }
  if (scan.stocks.size() > kMaxSymbols) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}: {} stocks, more than a segment holds ({}): pick some with --symbols",
                                  path, scan.stocks.size(), kMaxSymbols));
  }
  return scan;
}

}  // namespace tickshm::feed
