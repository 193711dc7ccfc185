// The simulated symbols: default universe, name validation, lists, files and generated names.
#include "universe.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "rng.hpp"

namespace tickshm::feed {

std::vector<SymbolParams> default_universe() {
  // Early-2024 price levels; vols are typical one-year realised vols; activity ~ relative message
  // counts (mega-cap tech and TSLA dominate a real consolidated feed).
  return {
      {"AAPL", 185.00, 0.24, 0.08, 3.0, 100},  {"MSFT", 375.00, 0.23, 0.08, 2.5, 100},
      {"NVDA", 495.00, 0.50, 0.10, 3.0, 100},  {"AMZN", 152.00, 0.32, 0.08, 2.5, 100},
      {"GOOGL", 140.00, 0.29, 0.08, 2.0, 100}, {"META", 355.00, 0.38, 0.09, 2.0, 100},
      {"TSLA", 245.00, 0.55, 0.06, 3.0, 100},  {"JPM", 170.00, 0.22, 0.07, 1.5, 100},
      {"V", 260.00, 0.18, 0.07, 1.0, 100},     {"JNJ", 157.00, 0.16, 0.05, 1.0, 100},
      {"WMT", 160.00, 0.16, 0.06, 1.0, 100},   {"XOM", 100.00, 0.26, 0.05, 1.5, 100},
      {"PG", 147.00, 0.15, 0.05, 0.8, 100},    {"UNH", 525.00, 0.22, 0.07, 1.0, 100},
      {"HD", 345.00, 0.22, 0.07, 0.8, 100},    {"BAC", 34.00, 0.28, 0.06, 1.5, 100},
      {"KO", 60.00, 0.14, 0.05, 0.8, 100},     {"AMD", 140.00, 0.50, 0.10, 2.5, 100},
      {"NFLX", 490.00, 0.40, 0.08, 1.2, 100},  {"INTC", 48.00, 0.38, 0.03, 1.5, 100},
  };
}

static std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

SymbolParams params_for(std::string_view name) {
  static const std::vector<SymbolParams> known = default_universe();
  for (const auto& p : known) {
    if (p.name == name) return p;
  }
  // Hash-derived so --symbols FOO gives FOO the same parameters in every run and with every seed.
  const std::uint64_t h1 = splitmix64(fnv1a(name));
  const std::uint64_t h2 = splitmix64(h1);
  const std::uint64_t h3 = splitmix64(h2);
  auto unit = [](std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; };
  SymbolParams p;
  p.name = std::string(name);
  p.price = std::round(10.0 * std::pow(50.0, unit(h1)) * 100.0) / 100.0;  // log-uniform $10..$500
  p.vol = 0.15 + 0.45 * unit(h2);
  p.drift = 0.07;
  p.activity = 0.5 + 2.0 * unit(h3);
  return p;
}

static bool symbol_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_' || c == '/';
}

Status validate_symbol(std::string_view name) {
  if (name.empty()) return make_error(Errc::kInvalidArgument, "empty symbol name");
  if (name.size() > kMaxSymbolLength) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("symbol '{}' is longer than {} characters", name, kMaxSymbolLength));
  }
  for (const char c : name) {
    if (!symbol_char(c)) {
      return make_error(Errc::kInvalidArgument,
                        "symbol '" + std::string(name) + "' has a character outside [A-Za-z0-9./_-]");
    }
  }
  return ok_status();
}

Result<std::vector<SymbolParams>> parse_symbol_list(std::string_view list) {
  std::vector<SymbolParams> out;
  std::set<std::string, std::less<>> seen;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = list.find(',', pos);
    const std::string_view item =
        list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (auto st = validate_symbol(item); !st) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("--symbols item {}: {}", out.size() + 1, st.error().message));
    }
    if (!seen.insert(std::string(item)).second) {
      return make_error(Errc::kInvalidArgument, "--symbols: '" + std::string(item) + "' is listed twice");
    }
    out.push_back(params_for(item));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (out.size() > kMaxSymbols) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("--symbols: {} symbols, at most {}", out.size(), kMaxSymbols));
  }
  return out;
}

static std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

static bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  // from_chars for double is in libstdc++ 11+; strtod would accept "inf"/hex and read past the field.
  const auto* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, out);
  return r.ec == std::errc{} && r.ptr == end && std::isfinite(out);
}

Result<std::vector<SymbolParams>> parse_symbols_text(std::string_view text, const std::string& file_label) {
  std::vector<SymbolParams> out;
  std::set<std::string, std::less<>> seen;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  auto fail = [&](std::size_t col, const std::string& why) -> Error {
    return make_error(Errc::kInvalidArgument, fmt::format("{}:{}:{}: {}", file_label, line_no, col, why));
  };
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    // Split into up to four fields, remembering each field's 1-based column for messages.
    std::string_view fields[5];
    std::size_t cols[5] = {};
    std::size_t nf = 0;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      if (nf == 4) return fail(start + 1, "too many fields: expected NAME[,PRICE[,VOL[,ACTIVITY]]]");
      std::string_view raw = line.substr(start, end - start);
      std::size_t lead = 0;
      while (lead < raw.size() && (raw[lead] == ' ' || raw[lead] == '\t')) ++lead;
      cols[nf] = start + lead + 1;
      fields[nf++] = trim(raw);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    SymbolParams p;
    if (auto st = validate_symbol(fields[0]); !st) return fail(cols[0], st.error().message);
    if (!seen.insert(std::string(fields[0])).second) {
      return fail(cols[0], "symbol '" + std::string(fields[0]) + "' is listed twice");
    }
    p = params_for(fields[0]);
    if (nf > 1 && !fields[1].empty()) {
      if (!parse_double(fields[1], p.price) || p.price < 0.01 || p.price > 400'000.0) {
        return fail(cols[1], "price '" + std::string(fields[1]) + "' is not a number in [0.01, 400000]");
      }
    }
    if (nf > 2 && !fields[2].empty()) {
      if (!parse_double(fields[2], p.vol) || p.vol < 0.0 || p.vol > 5.0) {
        return fail(cols[2], "volatility '" + std::string(fields[2]) +
                                 "' is not a number in [0, 5] (0.25 = 25%/year)");
      }
    }
    if (nf > 3 && !fields[3].empty()) {
      if (!parse_double(fields[3], p.activity) || p.activity <= 0.0 || p.activity > 1e6) {
        return fail(cols[3], "activity '" + std::string(fields[3]) + "' is not a number in (0, 1e6]");
      }
    }
    out.push_back(std::move(p));
    if (out.size() > kMaxSymbols) return fail(1, fmt::format("more than {} symbols", kMaxSymbols));
  }
  if (out.empty()) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}:{}:1: no symbols in the file", file_label, line_no == 0 ? 1 : line_no));
  }
  return out;
}

Result<std::vector<SymbolParams>> load_symbols_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kInvalidArgument, path + ":1:1: cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_symbols_text(ss.str(), path);
}

std::vector<SymbolParams> generated_universe(std::uint32_t n) {
  std::vector<SymbolParams> out;
  out.reserve(n);
  const std::size_t width = std::max<std::size_t>(4, fmt::formatted_size("{}", n));
  for (std::uint32_t i = 1; i <= n; ++i) {
    std::string name = fmt::format("SYM{:0{}}", i, width);
    out.push_back(params_for(name));
  }
  return out;
}

}  // namespace tickshm::feed
