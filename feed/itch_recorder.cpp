// ITCH 5.0 recorder: message layout per the specification, timestamps, buffering through zlib.
#include "itch_recorder.hpp"

#include <fmt/format.h>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "itch_format.hpp"

namespace tickshm::feed {

namespace {

using namespace itch;

constexpr std::size_t kBufferSize = std::size_t{1} << 20;
constexpr std::size_t kStockField = 8;

void put_stock(std::uint8_t* p, const std::string& name) {
  std::memset(p, ' ', kStockField);
  std::memcpy(p, name.data(), std::min(name.size(), kStockField));
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

Result<ItchRecorder> ItchRecorder::open(const std::string& path, std::vector<std::string> symbol_names) {
  if (symbol_names.size() > 65'535) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("--record-itch: ITCH stock locates hold 65,535 symbols, the feed has {}",
                                  symbol_names.size()));
  }
  for (const auto& n : symbol_names) {
    if (n.size() > kStockField) {
      return make_error(Errc::kInvalidArgument,
                        "--record-itch: symbol '" + n + "' is longer than ITCH's 8-character stock field");
    }
  }
  errno = 0;
  // "T": transparent (no compression) unless the name asks for gzip.
  gzFile gz = ::gzopen(path.c_str(), ends_with(path, ".gz") ? "wb1" : "wbT");
  if (gz == nullptr) {
    return make_error(Errc::kInvalidArgument,
                      "cannot create " + path + ": " + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  ItchRecorder r;
  r.gz_ = gz;
  r.path_ = path;
  r.symbols_.resize(symbol_names.size());
  r.names_ = std::move(symbol_names);
  r.buf_.resize(kBufferSize);
  return r;
}

ItchRecorder::ItchRecorder(ItchRecorder&& o) noexcept {
  *this = std::move(o);
}

ItchRecorder& ItchRecorder::operator=(ItchRecorder&& o) noexcept {
  if (this == &o) return *this;
  if (gz_ != nullptr) ::gzclose(static_cast<gzFile>(gz_));
  gz_ = std::exchange(o.gz_, nullptr);
  path_ = std::move(o.path_);
  names_ = std::move(o.names_);
  symbols_ = std::move(o.symbols_);
  buf_ = std::move(o.buf_);
  used_ = std::exchange(o.used_, 0);
  started_ = o.started_;
  failed_ = o.failed_;
  midnight_ns_ = o.midnight_ns_;
  last_ts_ = o.last_ts_;
  next_ref_ = o.next_ref_;
  next_match_ = o.next_match_;
  messages_ = o.messages_;
  beyond_ = o.beyond_;
  return *this;
}

ItchRecorder::~ItchRecorder() {
  if (gz_ != nullptr) (void)close();
}

void ItchRecorder::flush() {
  if (used_ == 0 || gz_ == nullptr) return;
  if (!failed_ && ::gzwrite(static_cast<gzFile>(gz_), buf_.data(), static_cast<unsigned>(used_)) !=
                      static_cast<int>(used_)) {
    failed_ = true;
  }
  used_ = 0;
}

std::uint8_t* ItchRecorder::message(std::uint8_t type, std::uint16_t locate, std::uint64_t ts) {
  const std::size_t len = spec_length(type);
  if (used_ + 2 + len > buf_.size()) flush();
  std::uint8_t* p = buf_.data() + used_;
  used_ += 2 + len;
  ++messages_;
  std::memset(p, 0, 2 + len);
  put16(p, static_cast<std::uint16_t>(len));
  std::uint8_t* m = p + 2;
  m[0] = type;
  put16(m + kOffLocate, locate);
  // Tracking number (bytes 3-4): NASDAQ's internal; 0.
  put48(m + kOffTimestamp, ts);
  return m;
}

void ItchRecorder::system_event(std::uint8_t code, std::uint64_t ts) {
  message('S', 0, ts)[off::kSysEventCode] = code;
}

// ITCH timestamps count ns since midnight of the file's day: the recording's day is the UTC day of
// its first tick. Each tick gets its own nanosecond (strictly later than the one before) so that a
// replay, which folds the messages of one (stock, timestamp) into one event, sees each tick apart.
std::uint64_t ItchRecorder::timestamp_of(std::uint64_t event_ns) noexcept {
  if (!started_) midnight_ns_ = event_ns - event_ns % kNsPerDay;
  std::uint64_t ts = event_ns > midnight_ns_ ? event_ns - midnight_ns_ : 0;
  if (started_ && ts <= last_ts_) ts = last_ts_ + 1;
  return ts;  // may exceed kMaxTimestamp: write() drops such ticks and close() says so
}

void ItchRecorder::start(std::uint64_t ts) {
  started_ = true;
  system_event('O', ts);  // start of messages
  for (std::size_t i = 0; i < names_.size(); ++i) {
    std::uint8_t* m = message('R', static_cast<std::uint16_t>(i + 1), ts);
    put_stock(m + off::kDirStock, names_[i]);
    m[19] = 'Q';         // market category: NASDAQ Global Select
    m[20] = 'N';         // financial status: normal
    put32(m + 21, 100);  // round lot size
    m[25] = 'N';         // round lots only: no
    m[26] = 'C';         // issue classification: common stock
    m[27] = 'Z';         // issue sub-type "Z ": not applicable
    m[28] = ' ';
    m[29] = 'P';       // authenticity: production
    m[30] = 'N';       // short sale threshold: no
    m[31] = 'N';       // IPO flag: no
    m[32] = '2';       // LULD reference price tier 2
    m[33] = 'N';       // ETP flag: no
    put32(m + 34, 0);  // ETP leverage factor
    m[38] = 'N';       // inverse indicator: no
  }
  system_event('S', ts);  // start of system hours
  system_event('Q', ts);  // start of market hours
}

void ItchRecorder::move_side(Side& s, bool bid, std::uint16_t locate, std::uint64_t ts, std::uint32_t price,
                             std::uint32_t shares, bool force) {
  if (s.ref == 0) {
    std::uint8_t* m = message('A', locate, ts);
    s.ref = next_ref_++;
    put64(m + off::kAddRef, s.ref);
    m[off::kAddSide] = bid ? 'B' : 'S';
    put32(m + off::kAddShares, shares);
    put_stock(m + off::kAddStock, names_[locate - 1]);
    put32(m + off::kAddPrice, price);
  } else if (force || s.price != price || s.shares != shares) {
    // One replace moves the side atomically: the book never shows the side empty in between.
    std::uint8_t* m = message('U', locate, ts);
    put64(m + off::kReplOld, s.ref);
    s.ref = next_ref_++;
    put64(m + off::kReplNew, s.ref);
    put32(m + off::kReplShares, shares);
    put32(m + off::kReplPrice, price);
  }
  s.price = price;
  s.shares = shares;
}

void ItchRecorder::write(const TickRecord& t) {
  if (t.symbol >= symbols_.size()) return;
  const std::uint64_t ts = timestamp_of(t.event_ns);
  if (ts > kMaxTimestamp) {
    ++beyond_;  // the 6-byte field ends 78 hours after the first midnight
    return;
  }
  if (!started_) start(ts);
  last_ts_ = ts;
  const auto locate = static_cast<std::uint16_t>(t.symbol + 1);
  Symbol& sym = symbols_[t.symbol];
  const bool trade = t.kind == static_cast<std::uint8_t>(TickKind::kTrade);
  const bool same = sym.bid.ref != 0 && sym.ask.ref != 0 && sym.bid.price == t.bid &&
                    sym.bid.shares == t.bid_size && sym.ask.price == t.ask && sym.ask.shares == t.ask_size;
  // A quote that changes nothing still replaces the bid order (same price, same size): the replay
  // publishes one quote per event that touches a best level, so every quote stays one tick.
  move_side(sym.bid, true, locate, ts, t.bid, t.bid_size, same && !trade);
  move_side(sym.ask, false, locate, ts, t.ask, t.ask_size, false);
  if (trade) {
    std::uint8_t* m = message('P', locate, ts);
    put64(m + off::kTradeRef, 0);  // non-displayed orders carry reference 0
    m[off::kTradeSide] = 'B';
    put32(m + off::kTradeShares, t.size);
    put_stock(m + off::kTradeStock, names_[t.symbol]);
    put32(m + off::kTradePrice, t.price);
    put64(m + off::kTradeMatch, next_match_++);
  }
}

Status ItchRecorder::close() {
  if (gz_ == nullptr) return ok_status();
  if (!started_) start(0);
  system_event('M', last_ts_);  // end of market hours
  system_event('E', last_ts_);  // end of system hours
  system_event('C', last_ts_);  // end of messages
  flush();
  const int rc = ::gzclose(static_cast<gzFile>(gz_));
  gz_ = nullptr;
  if (failed_ || rc != Z_OK) {
    return make_error(Errc::kSystem, "writing " + path_ + " failed (disk full?)");
  }
  if (beyond_ != 0) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}: the last {} ticks were not recorded: ITCH timestamps end 78 hours "
                                  "after the first tick's midnight",
                                  path_, beyond_));
  }
  return ok_status();
}

}  // namespace tickshm::feed
