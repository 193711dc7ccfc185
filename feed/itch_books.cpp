// ITCH 5.0 messages applied to per-stock order books (see itch_books.hpp and docs/FEED.md, "ITCH").
#include "itch_books.hpp"

#include <algorithm>

#include "itch_format.hpp"

namespace tickshm::feed {

namespace {

using namespace itch;

bool is_bid(std::uint8_t side) noexcept {
  return side == 'B';
}

}  // namespace

ItchBooks::ItchBooks(const std::vector<ItchStock>& stocks, const std::vector<std::uint16_t>& known_locates,
                     std::uint64_t expected_live)
    : books_(stocks.size()), orders_(expected_live) {
  // Only as long as the highest locate the directory names: a locate beyond is unknown anyway.
  std::size_t n = 0;
  for (const std::uint16_t l : known_locates) n = std::max<std::size_t>(n, std::size_t{l} + 1);
  for (const auto& s : stocks) n = std::max<std::size_t>(n, std::size_t{s.locate} + 1);
  by_locate_.assign(n, kUnknown);
  for (const std::uint16_t l : known_locates) by_locate_[l] = kNoBook;
  for (std::size_t i = 0; i < stocks.size(); ++i)
    by_locate_[stocks[i].locate] = static_cast<std::uint32_t>(i);
}

std::uint32_t ItchBooks::select(std::uint16_t loc) noexcept {
  const std::uint32_t b = loc < by_locate_.size() ? by_locate_[loc] : kUnknown;
  if (b >= kUnknown) {
    if (b == kUnknown) {
      ++counts_.unknown_stock;
    } else {
      ++counts_.filtered;
    }
    return kNoBook;
  }
  return b;
}

void ItchBooks::touch(std::uint32_t book, std::uint16_t loc, std::uint64_t ts) noexcept {
  if (!publishing_) return;
  pending_book_ = book;
  pending_locate_ = loc;
  pending_ts_ = ts;
}

void ItchBooks::fill(std::uint32_t book, std::uint64_t ts, TickKind kind, TickRecord& r) noexcept {
  const OrderBook& b = books_[book];
  const BookTop t = b.top();
  r = TickRecord{};
  r.event_ns = ts;
  r.symbol = book;
  r.kind = static_cast<std::uint8_t>(kind);
  r.bid = t.bid;
  r.ask = t.ask;
  r.bid_size = t.bid_size;
  r.ask_size = t.ask_size;
  if (b.crossed()) ++counts_.crossed_ticks;  // published as the book is: a sampled file can cross
}

std::uint32_t ItchBooks::quote(std::uint32_t book, std::uint64_t ts, TickRecord* out) noexcept {
  fill(book, ts, TickKind::kQuote, *out);
  ++counts_.quotes;
  return 1;
}

std::uint32_t ItchBooks::trade(std::uint32_t book, std::uint64_t ts, std::uint32_t price,
                               std::uint64_t shares, TickRecord* out) noexcept {
  if (!publishing_) return 0;
  // The trade carries the book's top, so it also stands for a pending quote of the same event.
  if (pending_book_ == book) pending_book_ = kNoBook;
  fill(book, ts, TickKind::kTrade, *out);
  out->price = price;
  out->size = static_cast<std::uint32_t>(std::min<std::uint64_t>(shares, UINT32_MAX));
  ++counts_.trades;
  return 1;
}

void ItchBooks::reduce(LiveOrder* o, std::uint64_t shares, std::uint16_t loc, std::uint64_t ts) noexcept {
  const bool bid = is_bid(o->side);
  const std::uint32_t take = static_cast<std::uint32_t>(std::min<std::uint64_t>(shares, o->shares));
  OrderBook& b = books_[o->book];
  if (b.at_top(bid, o->price)) touch(o->book, loc, ts);
  b.remove(bid, o->price, take);
  o->shares -= take;
  if (o->shares == 0) orders_.erase(o);
}

std::uint32_t ItchBooks::flush(TickRecord* out) {
  if (pending_book_ == kNoBook) return 0;
  const std::uint32_t b = pending_book_;
  pending_book_ = kNoBook;
  return quote(b, pending_ts_, out);
}

std::uint32_t ItchBooks::snapshot(std::uint64_t event_ns, TickRecord* out) {
  std::uint32_t n = 0;
  for (std::uint32_t b = 0; b < books_.size(); ++b) {
    const BookTop t = books_[b].top();
    if (t.bid != 0 || t.ask != 0) n += quote(b, event_ns, out + n);
  }
  return n;
}

std::uint32_t ItchBooks::apply(const std::uint8_t* m, TickRecord* out) {
  const std::uint8_t type = m[0];
  ++counts_.messages[type];
  const std::uint16_t loc = locate(m);
  const std::uint64_t ts = timestamp(m);
  std::uint32_t n = 0;
  if (pending_book_ != kNoBook && (loc != pending_locate_ || ts != pending_ts_)) n = flush(out);

  switch (type) {
    case 'A':
    case 'F': {
      const std::uint32_t b = select(loc);
      if (b == kNoBook) break;
      const std::uint8_t side = m[off::kAddSide];
      if (side != 'B' && side != 'S') {
        ++counts_.bad_side;
        break;
      }
      const std::uint32_t price = be32(m + off::kAddPrice);
      const std::uint32_t shares = be32(m + off::kAddShares);
      if (!orders_.insert(LiveOrder{be64(m + off::kAddRef), price, shares, b, side})) {
        ++counts_.duplicate_adds;
        break;
      }
      OrderBook& book = books_[b];
      if (book.at_top(is_bid(side), price)) touch(b, loc, ts);
      book.add(is_bid(side), price, shares);
      break;
    }
    case 'E':
    case 'C':
    case 'X':
    case 'D': {
      if (select(loc) == kNoBook) break;
      LiveOrder* o = orders_.find(be64(m + off::kExecRef));  // the reference is at 11 in all four
      if (o == nullptr) {
        ++counts_.unknown_order[type];
        break;
      }
      if (type == 'D') {
        reduce(o, o->shares, loc, ts);
        break;
      }
      const std::uint32_t shares = be32(m + off::kExecShares);  // X's cancelled shares are at 19 too
      if (type == 'X') {
        reduce(o, shares, loc, ts);
        break;
      }
      const std::uint32_t b = o->book;
      std::uint32_t price = o->price;
      bool printable = true;
      if (type == 'C') {
        price = be32(m + off::kExecPrice);
        printable = m[off::kExecPrintable] == 'Y';
      }
      reduce(o, shares, loc, ts);  // o is gone from here on when it was filled
      if (printable) {
        n += trade(b, ts, price, shares, out + n);
      } else {
        ++counts_.non_printable;
      }
      break;
    }
    case 'U': {
      if (select(loc) == kNoBook) break;
      LiveOrder* o = orders_.find(be64(m + off::kReplOld));
      if (o == nullptr) {
        ++counts_.unknown_order[type];
        break;
      }
      const LiveOrder old = *o;
      reduce(o, o->shares, loc, ts);
      const std::uint32_t price = be32(m + off::kReplPrice);
      const std::uint32_t shares = be32(m + off::kReplShares);
      if (!orders_.insert(LiveOrder{be64(m + off::kReplNew), price, shares, old.book, old.side})) {
        ++counts_.duplicate_adds;
        break;
      }
      OrderBook& book = books_[old.book];
      if (book.at_top(is_bid(old.side), price)) touch(old.book, loc, ts);
      book.add(is_bid(old.side), price, shares);
      break;
    }
    case 'P': {
      const std::uint32_t b = select(loc);
      if (b == kNoBook) break;
      n += trade(b, ts, be32(m + off::kTradePrice), be32(m + off::kTradeShares), out + n);
      break;
    }
    case 'Q': {
      const std::uint32_t b = select(loc);
      if (b == kNoBook) break;
      const std::uint64_t shares = be64(m + off::kCrossShares);
      if (shares == 0) {
        ++counts_.empty_crosses;
        break;
      }
      n += trade(b, ts, be32(m + off::kCrossPrice), shares, out + n);
      break;
    }
    case 'B':
      ++counts_.broken_trades;
      if (on_event) on_event(m);
      break;
    case 'S':
    case 'H':
      if (on_event) on_event(m);
      break;
    default:
      break;  // R is read by the scan; the other types do not touch the books
  }
  return n;
}

}  // namespace tickshm::feed
