// ITCH 5.0 replay: the scan (pass one), the tick source (pass two), S/H logging and the final report.
#include "itch_replay.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "itch_format.hpp"

namespace tickshm::feed {

namespace {

using namespace itch;

constexpr std::size_t kMaxLoggedActions = 32;  // a full-day file has one H per stock at the open

// The R message's 8-character, space-padded stock as a tickshm symbol name: trailing spaces dropped,
// anything a symbol name may not hold (inner spaces, control bytes, commas) written as '_'.
std::string stock_name(const std::uint8_t* p, std::uint16_t locate) {
  std::string s(reinterpret_cast<const char*>(p), 8);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ',') c = '_';
  }
  return s.empty() ? "LOC" + std::to_string(locate) : s;
}

const char* system_event_name(std::uint8_t code) {
  switch (code) {
    case 'O':
      return "start of messages";
    case 'S':
      return "start of system hours";
    case 'Q':
      return "start of market hours";
    case 'M':
      return "end of market hours";
    case 'E':
      return "end of system hours";
    case 'C':
      return "end of messages";
    default:
      return "unknown event";
  }
}

const char* trading_state_name(std::uint8_t state) {
  switch (state) {
    case 'H':
      return "halted";
    case 'P':
      return "paused";
    case 'Q':
      return "quotation only";
    case 'T':
      return "trading";
    default:
      return "unknown state";
  }
}

std::string printable(const std::uint8_t* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (p[i] >= 0x20 && p[i] < 0x7f) ? static_cast<char>(p[i]) : '?';
  return s;
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
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu.%09llu", static_cast<unsigned long long>(s / 3600),
                static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60),
                static_cast<unsigned long long>(ns % 1'000'000'000ULL));
  return buf;
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
    return make_error(Errc::kInvalidArgument,
                      path + ": no Stock Directory (R) message in " + std::to_string(scan.messages) +
                          " messages, so no stock to publish (is this ITCH 5.0?)");
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
    return make_error(Errc::kInvalidArgument, path + ": " + std::to_string(scan.stocks.size()) +
                                                  " stocks, more than a segment holds (" +
                                                  std::to_string(kMaxSymbols) + "): pick some with --symbols");
  }
  return scan;
}

Result<ItchReplaySource> ItchReplaySource::open(const std::string& path, const ItchScan& scan,
                                                const ItchWindow& window) {
  auto opened = ItchReader::open(path);
  if (!opened) return std::move(opened).error();
  ItchReplaySource src;
  src.reader_.emplace(std::move(*opened));
  src.books_ = std::make_unique<ItchBooks>(scan.stocks, scan.locates, scan.live_estimate);
  src.queue_.resize(std::max<std::size_t>(scan.stocks.size() + ItchBooks::kMaxTicksPerMessage, 8));
  src.window_ = window;
  std::vector<std::string> names(65'536);
  for (const auto& s : scan.stocks) names[s.locate] = s.name;
  for (const std::uint16_t l : scan.locates) {
    if (names[l].empty()) names[l] = "(locate " + std::to_string(l) + ")";
  }
  auto actions = std::make_shared<std::size_t>(0);
  // S and H are rare (a few per stock per day): logged as they come, H only for the first few.
  src.books_->on_event = [names = std::move(names), actions](const std::uint8_t* m) {
    const std::string when = format_time_of_day(timestamp(m));
    if (m[0] == 'S') {
      spdlog::info("ITCH {} system event '{}' ({})", when, printable(m + off::kSysEventCode, 1),
                   system_event_name(m[off::kSysEventCode]));
    } else if (m[0] == 'H') {
      const std::string& who = names[locate(m)].empty() ? "(unlisted)" : names[locate(m)];
      if (++*actions <= kMaxLoggedActions) {
        spdlog::info("ITCH {} trading action: {} {} (reason '{}')", when, who,
                     trading_state_name(m[off::kActState]), printable(m + off::kActReason, 4));
      } else {
        spdlog::debug("ITCH {} trading action: {} {}", when, who, trading_state_name(m[off::kActState]));
      }
    } else if (m[0] == 'B') {
      spdlog::warn("ITCH {} broken trade, match {} (its tick was already published)", when,
                   be64(m + off::kBrokenMatch));
    }
  };
  src.in_window_ = window.from_ns == 0;
  src.books_->set_publishing(src.in_window_);
  return src;
}

bool ItchReplaySource::fill() {
  head_ = tail_ = 0;
  if (done_) return false;
  ItchFrame f;
  for (;;) {
    const ItchReader::Next r = reader_->next(f);
    if (r != ItchReader::Next::kMessage) {
      if (r == ItchReader::Next::kError) error_ = reader_->error();
      done_ = true;
      tail_ = books_->flush(queue_.data());
      return tail_ > 0;
    }
    std::uint64_t ts = timestamp(f.msg);
    if (ts > window_.to_ns) {
      done_ = true;
      tail_ = books_->flush(queue_.data());
      return tail_ > 0;
    }
    if (!in_window_ && ts >= window_.from_ns) {
      // The window opens: every book's top as it stands, then the messages from here on.
      in_window_ = true;
      books_->set_publishing(true);
      tail_ = books_->snapshot(ts, queue_.data());
    }
    if (ts < last_ts_) ++backwards_;
    last_ts_ = std::max(last_ts_, ts);
    tail_ += books_->apply(f.msg, queue_.data() + tail_);
    if (tail_ > 0) return true;
  }
}

std::vector<std::string> ItchReplaySource::report(const ItchScan& scan) const {
  std::vector<std::string> lines;
  const ItchCounts& c = books_->counts();
  std::string by_type;
  for (std::size_t t = 0; t < 256; ++t) {
    if (scan.by_type[t] == 0) continue;
    by_type += (by_type.empty() ? "" : ", ") + std::string(1, static_cast<char>(t)) + " " +
               std::to_string(scan.by_type[t]);
  }
  lines.push_back("ITCH: " + std::to_string(scan.messages) + " messages (" + by_type + "); published " +
                  std::to_string(c.quotes) + " quotes and " + std::to_string(c.trades) + " trades");
  if (scan.zero_prefix) {
    lines.push_back("ITCH: the file writes zero length prefixes: each such message's length was taken from "
                    "its type (ITCH 5.0 specification)");
  }
  std::string skipped;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n != 0) skipped += (skipped.empty() ? "" : "; ") + std::to_string(n) + " " + what;
  };
  for (const char t : {'E', 'C', 'X', 'D', 'U'}) {
    add(c.unknown_order[static_cast<std::uint8_t>(t)], std::string(1, t) + " naming an order never added");
  }
  add(c.duplicate_adds, "adds reusing a live order reference");
  add(c.bad_side, "adds with a side other than B or S");
  add(c.unknown_stock, "messages for a locate no R message named");
  add(scan.unknown_skipped, "messages of unknown types (skipped by their length)");
  add(c.non_printable, "non-printable executions (C, no trade tick)");
  add(c.empty_crosses, "crosses of zero shares (Q, no trade tick)");
  add(c.broken_trades, "broken trades (B; their ticks stand)");
  add(backwards_, "timestamps earlier than the message before (paced as that one)");
  std::uint64_t never_added = 0;
  for (const std::uint64_t n : c.unknown_order) never_added += n;
  if (!skipped.empty()) {
    lines.push_back("ITCH: counted and skipped: " + skipped +
                    (never_added != 0 ? " (orders never added: the file starts after they were, or is a sample)"
                                      : ""));
  }
  if (c.filtered != 0) lines.push_back("ITCH: " + std::to_string(c.filtered) + " messages of stocks --symbols left out");
  std::string crossed;
  for (std::uint32_t b = 0; b < books_->book_count(); ++b) {
    if (!books_->book(b).crossed()) continue;
    crossed += (crossed.empty() ? "" : ", ") + scan.stocks[b].name;
  }
  if (c.crossed_ticks != 0 || !crossed.empty()) {
    lines.push_back("ITCH: crossed books: " + std::to_string(c.crossed_ticks) +
                    " ticks published with bid >= ask (as the file has them); ending crossed: " +
                    (crossed.empty() ? "none" : crossed));
  }
  lines.push_back("ITCH: order map " + std::to_string(books_->orders().capacity()) + " slots, " +
                  std::to_string(books_->orders().size()) + " orders live at the end, grown " +
                  std::to_string(books_->orders().grows()) + " times");
  return lines;
}

}  // namespace tickshm::feed
