// CSV market data: parsing (header, rows, timestamps, prices), the two replay passes, the recorder.
#include "csv_replay.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "tickshm/money.hpp"
#include "universe.hpp"

namespace tickshm::feed {

namespace {

constexpr std::uint64_t kNsPerSecond = 1'000'000'000ULL;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, days since 1970-01-01).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads exactly n digits at s[pos..]; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, unsigned& out) noexcept {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!is_digit(s[pos + k])) return false;
    v = v * 10 + static_cast<unsigned>(s[pos + k] - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool parse_u64(std::string_view s, std::uint64_t& out) noexcept {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (!is_digit(c)) return false;
    const auto dgt = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - dgt) / 10) return false;
    v = v * 10 + dgt;
  }
  out = v;
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string shown(std::string_view s) {
  constexpr std::size_t kMax = 40;  // a huge bad field must not make a huge message
  return "'" + std::string(s.substr(0, kMax)) + (s.size() > kMax ? "...'" : "'");
}

struct Field {
  std::string_view text;
  std::size_t column;  // 1-based position of the field's first character
};

// Splits a line on commas; a field may be wrapped in double quotes (no quote or comma inside).
bool split_fields(std::string_view line, std::vector<Field>& out, CsvError& err) {
  out.clear();
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      err = {i + 1, fmt::format("unexpected control character 0x{:02X}", c)};
      return false;
    }
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t end = line.find(',', start);
    if (end == std::string_view::npos) end = line.size();
    std::string_view raw = line.substr(start, end - start);
    std::size_t lead = 0;
    while (lead < raw.size() && (raw[lead] == ' ' || raw[lead] == '\t')) ++lead;
    std::string_view text = trim(raw);
    std::size_t col = start + lead + 1;
    if (!text.empty() && text.front() == '"') {
      if (text.size() < 2 || text.back() != '"') {
        err = {col, "unterminated quoted field (quoted fields cannot contain commas)"};
        return false;
      }
      text = text.substr(1, text.size() - 2);
      if (text.find('"') != std::string_view::npos) {
        err = {col, "a quote inside a quoted field is not supported"};
        return false;
      }
      ++col;
    }
    out.push_back({text, col});
    if (end == line.size()) break;
    start = end + 1;
  }
  return true;
}

bool parse_size(std::string_view s, std::uint32_t& out, std::string& why) {
  std::uint64_t v = 0;
  if (!parse_u64(s, v)) {
    why = "size " + shown(s) + " is not a whole number of shares";
    return false;
  }
  if (v > UINT32_MAX) {
    why = "size " + shown(s) + " is larger than " + std::to_string(UINT32_MAX);
    return false;
  }
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

bool parse_timestamp(std::string_view s, std::uint64_t& ns, std::string& why) {
  why.clear();
  if (s.empty()) {
    why = "empty timestamp";
    return false;
  }
  const bool numeric = std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '.'; });
  if (numeric) {
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos) {
      if (!parse_u64(s, ns)) why = "timestamp " + shown(s) + " does not fit in 64-bit nanoseconds";
      return why.empty();
    }
    std::uint64_t sec = 0;
    const std::string_view frac = s.substr(dot + 1);
    if (!parse_u64(s.substr(0, dot), sec) || frac.empty() || frac.size() > 9 ||
        frac.find('.') != std::string_view::npos || sec > UINT64_MAX / kNsPerSecond - 1) {
      why = "timestamp " + shown(s) + " is not Unix seconds with up to 9 decimals";
      return false;
    }
    std::uint64_t f = 0;
    (void)parse_u64(frac, f);
    for (std::size_t k = frac.size(); k < 9; ++k) f *= 10;
    ns = sec * kNsPerSecond + f;
    return true;
  }
  // ISO 8601: YYYY-MM-DD[T ]HH:MM:SS[.fffffffff][Z|+HH:MM|-HH:MM]
  std::size_t p = 0;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  auto bad = [&](const char* what) {
    why = "timestamp " + shown(s) + ": " + what + " (expected YYYY-MM-DDTHH:MM:SS[.fffffffff][Z])";
    return false;
  };
  if (!digits(s, p, 4, y) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, mo) || p >= s.size() ||
      s[p++] != '-' || !digits(s, p, 2, d)) {
    return bad("bad date");
  }
  if (p >= s.size() || (s[p] != 'T' && s[p] != ' ')) return bad("no time after the date");
  ++p;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, mi) || p >= s.size() ||
      s[p++] != ':' || !digits(s, p, 2, sec)) {
    return bad("bad time of day");
  }
  std::uint64_t frac_ns = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    std::size_t n = 0;
    while (p < s.size() && is_digit(s[p])) {
      if (++n > 9) return bad("more than 9 decimals of a second");
      frac_ns = frac_ns * 10 + static_cast<std::uint64_t>(s[p++] - '0');
    }
    if (n == 0) return bad("no digits after the decimal point");
    for (; n < 9; ++n) frac_ns *= 10;
  }
  std::int64_t offset_s = 0;
  if (p < s.size() && s[p] == 'Z') {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const bool minus = s[p++] == '-';
    unsigned oh = 0, om = 0;
    if (!digits(s, p, 2, oh) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, om) || oh > 23 ||
        om > 59) {
      return bad("bad zone offset");
    }
    offset_s = (minus ? -1 : 1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
  }
  if (p != s.size()) return bad("unexpected text after the time");
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 2500) return bad("year outside 1970..2500");
  if (mo < 1 || mo > 12) return bad("month outside 1..12");
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d < 1 || d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return bad("no such day");
  if (h > 23 || mi > 59 || sec > 59) return bad("time of day out of range");
  const std::int64_t days = days_from_civil(y, mo, d);
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  if (secs < 0) return bad("before 1970");
  ns = static_cast<std::uint64_t>(secs) * kNsPerSecond + frac_ns;
  return true;
}

bool parse_price(std::string_view s, std::uint32_t& units, std::string& why) {
  why.clear();
  if (!s.empty() && s.front() == '-') {
    why = "price " + shown(s) + " is negative";
    return false;
  }
  Money v = 0;
  const MoneyError e = !s.empty() && s.front() == '+' ? MoneyError::kNotDecimal : parse_money(s, v);
  if (e != MoneyError::kNone) {
    why = e == MoneyError::kEmpty ? "empty price" : "price " + shown(s) + " " + money_error_text(e);
    if (e != MoneyError::kOutOfRange) return false;
  }
  if (!why.empty() || v < 0 || v > static_cast<Money>(kMaxTickPrice)) {
    why = "price " + shown(s) + " is above the largest price " + format_amount(kMaxTickPrice);
    return false;
  }
  units = static_cast<std::uint32_t>(v);
  return true;
}

std::string format_timestamp(std::uint64_t unix_ns) {
  const std::uint64_t secs = unix_ns / kNsPerSecond;
  const auto days = static_cast<std::int64_t>(secs / 86400);
  const std::uint64_t sod = secs % 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", y, m, d, sod / 3600, sod / 60 % 60,
                     sod % 60, unix_ns % kNsPerSecond);
}

std::string format_price(std::uint32_t units) {
  return format_decimal(units);
}

bool parse_csv_header(std::string_view line, CsvColumns& cols, CsvError& err) {
  cols = CsvColumns{};
  std::vector<Field> fields;
  if (!split_fields(line, fields, err)) return false;
  struct Known {
    const char* name;
    int CsvColumns::*slot;
  };
  static constexpr Known kKnown[] = {
      {"timestamp", &CsvColumns::timestamp},
      {"symbol", &CsvColumns::symbol},
      {"bid", &CsvColumns::bid},
      {"ask", &CsvColumns::ask},
      {"last", &CsvColumns::last},
      {"size", &CsvColumns::size},
      {"bid_size", &CsvColumns::bid_size},
      {"ask_size", &CsvColumns::ask_size},
      {"kind", &CsvColumns::kind},
  };
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string name = lower(fields[i].text);
    if (name.empty()) {
      err = {fields[i].column, "empty column name in the header"};
      return false;
    }
    for (const auto& k : kKnown) {
      if (name != k.name) continue;
      if (cols.*k.slot >= 0) {
        err = {fields[i].column, "column '" + name + "' appears twice in the header"};
        return false;
      }
      cols.*k.slot = static_cast<int>(i);
    }
  }
  cols.count = fields.size();
  for (std::size_t k = 0; k < 6; ++k) {  // the first six are required
    if (cols.*kKnown[k].slot < 0) {
      err = {line.size() + 1, std::string("header has no '") + kKnown[k].name +
                                  "' column (required: timestamp,symbol,bid,ask,last,size)"};
      return false;
    }
  }
  return true;
}

bool parse_csv_row(std::string_view line, const CsvColumns& cols, CsvRow& row, CsvError& err) {
  thread_local std::vector<Field> fields;
  if (!split_fields(line, fields, err)) return false;
  if (fields.size() != cols.count) {
    const std::size_t col = fields.size() < cols.count ? line.size() + 1 : fields[cols.count].column;
    err = {col, "expected " + std::to_string(cols.count) + " fields as in the header, found " +
                    std::to_string(fields.size())};
    return false;
  }
  auto field = [&](int idx) -> const Field& { return fields[static_cast<std::size_t>(idx)]; };
  std::string why;
  row = CsvRow{};
  const Field& ts = field(cols.timestamp);
  row.timestamp_column = ts.column;
  if (!parse_timestamp(ts.text, row.timestamp_ns, why)) {
    err = {ts.column, why};
    return false;
  }
  const Field& sym = field(cols.symbol);
  if (auto st = validate_symbol(sym.text); !st) {
    err = {sym.column, st.error().message};
    return false;
  }
  row.symbol = sym.text;
  const Field& bid = field(cols.bid);
  const Field& ask = field(cols.ask);
  for (const Field* f : {&bid, &ask}) {
    std::uint32_t v = 0;
    if (!parse_price(f->text, v, why)) {
      err = {f->column, (f == &bid ? "bid: " : "ask: ") + why};
      return false;
    }
    if (v == 0) {
      err = {f->column, std::string(f == &bid ? "bid" : "ask") + " must be greater than 0"};
      return false;
    }
    (f == &bid ? row.bid : row.ask) = v;
  }
  if (row.bid > row.ask) {
    err = {ask.column,
           "crossed quote: bid " + format_price(row.bid) + " is above ask " + format_price(row.ask)};
    return false;
  }
  const Field& last = field(cols.last);
  if (!last.text.empty() && !parse_price(last.text, row.last, why)) {
    err = {last.column, "last: " + why};
    return false;
  }
  const Field& size = field(cols.size);
  if (!size.text.empty() && !parse_size(size.text, row.size, why)) {
    err = {size.column, why};
    return false;
  }
  for (const auto& [idx, out] :
       {std::pair{cols.bid_size, &row.bid_size}, std::pair{cols.ask_size, &row.ask_size}}) {
    if (idx < 0 || field(idx).text.empty()) continue;
    if (!parse_size(field(idx).text, *out, why)) {
      err = {field(idx).column, why};
      return false;
    }
  }
  row.trade = row.size > 0;
  if (cols.kind >= 0 && !field(cols.kind).text.empty()) {
    const std::string k = lower(field(cols.kind).text);
    if (k == "t" || k == "trade") {
      row.trade = true;
    } else if (k == "q" || k == "quote") {
      row.trade = false;
    } else {
      err = {field(cols.kind).column,
             "kind " + shown(field(cols.kind).text) + " is not T, Q, trade or quote"};
      return false;
    }
  }
  if (row.trade) {
    if (row.last == 0) {
      err = {last.column, "a trade row needs a last price greater than 0"};
      return false;
    }
    if (row.size == 0) {
      err = {size.column, "a trade row needs a size greater than 0"};
      return false;
    }
  } else {
    row.last = 0;
    row.size = 0;
  }
  return true;
}

// ---- CsvReader ----

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  r->path_ = path;
  r->buffer_.resize(1 << 20);
  r->in_.rdbuf()->pubsetbuf(r->buffer_.data(), static_cast<std::streamsize>(r->buffer_.size()));
  r->in_.open(path, std::ios::binary);
  if (!r->in_) {
    return make_error(Errc::kInvalidArgument, path + ":1:1: cannot open: " + std::strerror(errno));
  }
  // The header is the first line that is neither blank nor a '#' comment.
  for (;;) {
    if (!r->read_line()) {
      return make_error(Errc::kInvalidArgument,
                        r->located(std::max<std::size_t>(1, r->line_no_), 1,
                                   "no header line (expected timestamp,symbol,bid,ask,last,size)"));
    }
    if (!r->error_.empty()) return make_error(Errc::kInvalidArgument, r->error_);
    const std::string_view l = trim(r->line_);
    if (l.empty() || l.front() == '#') continue;
    CsvError err;
    if (!parse_csv_header(r->line_, r->cols_, err)) {
      return make_error(Errc::kInvalidArgument, r->located(r->line_no_, err.column, err.reason));
    }
    return r;
  }
}

std::string CsvReader::located(std::size_t line, std::size_t col, const std::string& why) const {
  return path_ + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + why;
}

bool CsvReader::read_line() {
  error_.clear();
  if (!std::getline(in_, line_)) return false;
  ++line_no_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_.size() > kMaxCsvLine) {
    error_ =
        located(line_no_, kMaxCsvLine + 1, "line longer than " + std::to_string(kMaxCsvLine) + " characters");
  }
  return true;
}

CsvReader::Next CsvReader::next(CsvRow& row) {
  for (;;) {
    if (!read_line()) {
      if (in_.bad()) {
        error_ = located(line_no_ + 1, 1, std::string("read error: ") + std::strerror(errno));
        return Next::kBad;
      }
      return Next::kEnd;
    }
    if (!error_.empty()) return Next::kBad;
    const std::string_view l = trim(line_);
    if (l.empty() || l.front() == '#') continue;
    CsvError err;
    if (!parse_csv_row(line_, cols_, row, err)) {
      error_ = located(line_no_, err.column, err.reason);
      return Next::kBad;
    }
    if (row.timestamp_ns < prev_ts_) {
      error_ =
          located(line_no_, row.timestamp_column,
                  "timestamp " + format_timestamp(row.timestamp_ns) + " is earlier than the previous row's " +
                      format_timestamp(prev_ts_) + " (rows must be in time order)");
      return Next::kBad;
    }
    prev_ts_ = row.timestamp_ns;
    return Next::kRow;
  }
}

// ---- replay ----

Result<ReplayScan> scan_replay(const std::string& path, BadRowPolicy policy,
                               const std::function<void(const std::string&)>& on_skip) {
  auto opened = CsvReader::open(path);
  if (!opened) return std::move(opened).error();
  CsvReader& reader = **opened;
  ReplayScan scan;
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<bool> sub_penny;
  CsvRow row;
  for (;;) {
    const auto n = reader.next(row);
    if (n == CsvReader::Next::kEnd) break;
    if (n == CsvReader::Next::kBad) {
      if (policy == BadRowPolicy::kFail) return make_error(Errc::kInvalidArgument, reader.error());
      ++scan.bad_rows;
      if (on_skip) on_skip(reader.error());
      continue;
    }
    auto it = index.find(row.symbol);
    if (it == index.end()) {
      if (scan.symbols.size() == kMaxSymbols) {
        return make_error(Errc::kInvalidArgument, path + ":" + std::to_string(reader.line()) +
                                                      ":1: more than " + std::to_string(kMaxSymbols) +
                                                      " symbols");
      }
      it = index.emplace(std::string(row.symbol), scan.symbols.size()).first;
      ReplaySymbol s;
      s.name = std::string(row.symbol);
      s.reference_price = (static_cast<std::int64_t>(row.bid) + static_cast<std::int64_t>(row.ask)) / 2;
      scan.symbols.push_back(std::move(s));
      sub_penny.push_back(false);
    }
    if (row.bid % 100 != 0 || row.ask % 100 != 0 || row.last % 100 != 0) sub_penny[it->second] = true;
    ++scan.rows;
  }
  if (scan.rows == 0) {
    return make_error(Errc::kInvalidArgument,
                      path + ":" + std::to_string(std::max<std::size_t>(1, reader.line())) +
                          ":1: no valid data rows" +
                          (scan.bad_rows ? " (" + std::to_string(scan.bad_rows) + " bad rows skipped)" : ""));
  }
  for (std::size_t k = 0; k < scan.symbols.size(); ++k) {
    auto& s = scan.symbols[k];
    s.tick_size = sub_penny[k] ? 1 : 100;
    s.reference_price = s.reference_price / s.tick_size * s.tick_size;
  }
  return scan;
}

Result<ReplaySource> ReplaySource::open(const std::string& path, const ReplayScan& scan) {
  auto opened = CsvReader::open(path);
  if (!opened) return std::move(opened).error();
  ReplaySource src;
  src.reader_ = std::move(*opened);
  for (std::size_t k = 0; k < scan.symbols.size(); ++k) {
    src.index_.emplace(scan.symbols[k].name, static_cast<std::uint32_t>(k));
  }
  return src;
}

bool ReplaySource::next(TickRecord& out) {
  CsvRow row;
  for (;;) {
    const auto n = reader_->next(row);
    if (n == CsvReader::Next::kEnd) return false;
    if (n == CsvReader::Next::kBad) {
      ++skipped_;  // reported by the scan already
      continue;
    }
    const auto it = index_.find(row.symbol);
    if (it == index_.end()) {
      ++skipped_;  // the file changed since the scan
      continue;
    }
    out = TickRecord{};
    out.event_ns = row.timestamp_ns;
    out.symbol = it->second;
    out.kind = static_cast<std::uint8_t>(row.trade ? TickKind::kTrade : TickKind::kQuote);
    out.bid = row.bid;
    out.ask = row.ask;
    out.price = row.trade ? row.last : 0;
    out.size = row.trade ? row.size : 0;
    out.bid_size = row.bid_size;
    out.ask_size = row.ask_size;
    return true;
  }
}

// ---- CsvRecorder ----

Result<CsvRecorder> CsvRecorder::open(const std::string& path, std::vector<std::string> symbol_names,
                                      const std::string& comment) {
  CsvRecorder r;
  r.file_ = std::fopen(path.c_str(), "w");
  if (r.file_ == nullptr) {
    return make_error(Errc::kInvalidArgument, "--record " + path + ": " + std::strerror(errno));
  }
  std::setvbuf(r.file_, nullptr, _IOFBF, 1 << 20);
  r.path_ = path;
  r.names_ = std::move(symbol_names);
  if (!comment.empty()) std::fprintf(r.file_, "# %s\n", comment.c_str());
  std::fputs("timestamp,symbol,bid,ask,last,size,bid_size,ask_size\n", r.file_);
  return r;
}

CsvRecorder::CsvRecorder(CsvRecorder&& o) noexcept
    : file_(std::exchange(o.file_, nullptr)),
      path_(std::move(o.path_)),
      names_(std::move(o.names_)),
      failed_(o.failed_) {}

CsvRecorder& CsvRecorder::operator=(CsvRecorder&& o) noexcept {
  if (this != &o) {
    (void)close();
    file_ = std::exchange(o.file_, nullptr);
    path_ = std::move(o.path_);
    names_ = std::move(o.names_);
    failed_ = o.failed_;
  }
  return *this;
}

CsvRecorder::~CsvRecorder() {
  (void)close();
}

void CsvRecorder::write(const TickRecord& t) {
  if (file_ == nullptr) return;
  const std::string& name = t.symbol < names_.size() ? names_[t.symbol] : names_.front();
  const bool trade = t.kind == static_cast<std::uint8_t>(TickKind::kTrade);
  const std::string last = trade ? format_price(t.price) : std::string();
  const std::string size = trade ? std::to_string(t.size) : std::string();
  if (std::fprintf(file_, "%s,%s,%s,%s,%s,%s,%u,%u\n", format_timestamp(t.event_ns).c_str(), name.c_str(),
                   format_price(t.bid).c_str(), format_price(t.ask).c_str(), last.c_str(), size.c_str(),
                   t.bid_size, t.ask_size) < 0) {
    failed_ = true;
  }
}

Status CsvRecorder::close() {
  if (file_ == nullptr) return ok_status();
  const bool bad = std::ferror(file_) != 0 || failed_;
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (bad || rc != 0) return make_error(Errc::kSystem, "--record " + path_ + ": write failed");
  return ok_status();
}

}  // namespace tickshm::feed
