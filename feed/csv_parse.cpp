// The CSV replay format's header and row parser: fields, prices, sizes, trade or quote.
#include "csv_parse.hpp"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "csv_text.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/money.hpp"
#include "universe.hpp"

namespace tickshm::feed {

namespace {

using csv::lower;
using csv::parse_u64;
using csv::shown;
using csv::trim;

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
    why = fmt::format("size {} is not a whole number of shares", shown(s));
    return false;
  }
  if (v > UINT32_MAX) {
    why = fmt::format("size {} is larger than {}", shown(s), UINT32_MAX);
    return false;
  }
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

bool parse_price(std::string_view s, std::uint32_t& units, std::string& why) {
  why.clear();
  if (!s.empty() && s.front() == '-') {
    why = fmt::format("price {} is negative", shown(s));
    return false;
  }
  Money v = 0;
  const MoneyError e = !s.empty() && s.front() == '+' ? MoneyError::kNotDecimal : parse_money(s, v);
  if (e != MoneyError::kNone) {
    why = e == MoneyError::kEmpty ? "empty price" : fmt::format("price {} {}", shown(s), money_error_text(e));
    if (e != MoneyError::kOutOfRange) return false;
  }
  if (!why.empty() || v < 0 || v > static_cast<Money>(kMaxTickPrice)) {
    why = fmt::format("price {} is above the largest price {}", shown(s), format_amount(kMaxTickPrice));
    return false;
  }
  units = static_cast<std::uint32_t>(v);
  return true;
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
        err = {fields[i].column, fmt::format("column '{}' appears twice in the header", name)};
        return false;
      }
      cols.*k.slot = static_cast<int>(i);
    }
  }
  cols.count = fields.size();
  for (std::size_t k = 0; k < 6; ++k) {  // the first six are required
    if (cols.*kKnown[k].slot < 0) {
      err = {line.size() + 1,
             fmt::format("header has no '{}' column (required: timestamp,symbol,bid,ask,last,size)",
                         kKnown[k].name)};
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
    err = {col, fmt::format("expected {} fields as in the header, found {}", cols.count, fields.size())};
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
      err = {f->column, fmt::format("{}: {}", f == &bid ? "bid" : "ask", why)};
      return false;
    }
    if (v == 0) {
      err = {f->column, fmt::format("{} must be greater than 0", f == &bid ? "bid" : "ask")};
      return false;
    }
    (f == &bid ? row.bid : row.ask) = v;
  }
  if (row.bid > row.ask) {
    err = {ask.column, fmt::format("crossed quote: bid {} is above ask {}", format_price(row.bid),
                                   format_price(row.ask))};
    return false;
  }
  const Field& last = field(cols.last);
  if (!last.text.empty() && !parse_price(last.text, row.last, why)) {
    err = {last.column, fmt::format("last: {}", why)};
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
             fmt::format("kind {} is not T, Q, trade or quote", shown(field(cols.kind).text))};
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

}  // namespace tickshm::feed
