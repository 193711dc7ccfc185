// ITCH 5.0 replay, pass two: the tick source, S/H/B logging and the end-of-run report.
#include "itch_replay.hpp"

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "itch_format.hpp"

namespace tickshm::feed {

namespace {

using namespace itch;

constexpr std::size_t kMaxLoggedActions = 32;  // a full-day file has one H per stock at the open

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
    if (names[l].empty()) names[l] = fmt::format("(locate {})", l);
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
    by_type += fmt::format("{}{} {}", (by_type.empty() ? "" : ", "), std::string(1, static_cast<char>(t)),
                           scan.by_type[t]);
  }
  lines.push_back(fmt::format("ITCH: {} messages ({}); published {} quotes and {} trades", scan.messages,
                              by_type, c.quotes, c.trades));
  if (scan.zero_prefix) {
    lines.push_back(
        "ITCH: the file writes zero length prefixes: each such message's length was taken from "
        "its type (ITCH 5.0 specification)");
  }
  std::string skipped;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n != 0) skipped += fmt::format("{}{} {}", (skipped.empty() ? "" : "; "), n, what);
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
    lines.push_back(
        "ITCH: counted and skipped: " + skipped +
        (never_added != 0 ? " (orders never added: the file starts after they were, or is a sample)" : ""));
  }
  if (c.filtered != 0)
    lines.push_back(fmt::format("ITCH: {} messages of stocks --symbols left out", c.filtered));
  std::string crossed;
  for (std::uint32_t b = 0; b < books_->book_count(); ++b) {
    if (!books_->book(b).crossed()) continue;
    crossed += (crossed.empty() ? "" : ", ") + scan.stocks[b].name;
  }
  if (c.crossed_ticks != 0 || !crossed.empty()) {
    lines.push_back(fmt::format(
        "ITCH: crossed books: {} ticks published with bid >= ask (as the file has them); ending crossed: {}",
        c.crossed_ticks, (crossed.empty() ? "none" : crossed)));
  }
  lines.push_back(fmt::format("ITCH: order map {} slots, {} orders live at the end, grown {} times",
                              books_->orders().capacity(), books_->orders().size(),
                              books_->orders().grows()));
  return lines;
}

}  // namespace tickshm::feed
