// Fuzz target: ITCH 5.0 framing and the order books. Any bytes must frame into messages or stop at
// an error that names a byte offset; every message must apply to the books without a crash, and
// every tick must name a book that exists and carry that book's top.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "itch_books.hpp"
#include "itch_format.hpp"
#include "itch_reader.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::feed;

constexpr std::size_t kMaxStocks = 16;

void run(const std::uint8_t* data, std::size_t size) {
  // Pass one, as the feed's scan: the directory's locates (the first few become books).
  std::vector<ItchStock> stocks;
  std::vector<std::uint16_t> locates;
  {
    ItchReader reader = ItchReader::from_memory(data, size);
    ItchFrame f;
    std::uint64_t last_offset = 0;
    bool first = true;
    ItchReader::Next n;
    while ((n = reader.next(f)) == ItchReader::Next::kMessage) {
      if (f.length != itch::spec_length(f.msg[0])) __builtin_trap();  // only known types come out
      if (!first && f.offset <= last_offset) __builtin_trap();        // offsets only go forwards
      if (f.offset + 2 + f.length > size) __builtin_trap();           // a frame lies inside the input
      first = false;
      last_offset = f.offset;
      if (f.msg[0] == 'R') {
        const std::uint16_t loc = itch::locate(f.msg);
        bool seen = false;
        for (const auto l : locates) seen = seen || l == loc;
        if (seen) continue;
        locates.push_back(loc);
        if (stocks.size() < kMaxStocks) stocks.push_back({"S" + std::to_string(loc), loc, 10000, 100});
      }
    }
    if (n == ItchReader::Next::kError && reader.error().find("byte") == std::string::npos) __builtin_trap();
  }
  // Pass two: the books, with --from's snapshot half way through.
  ItchBooks books(stocks, locates, 4);
  ItchReader reader = ItchReader::from_memory(data, size);
  std::vector<TickRecord> out(stocks.size() + ItchBooks::kMaxTicksPerMessage);
  ItchFrame f;
  std::uint64_t k = 0;
  books.set_publishing(size % 2 == 0);
  while (reader.next(f) == ItchReader::Next::kMessage) {
    std::uint32_t n = books.apply(f.msg, out.data());
    if (++k == 16 && size % 2 != 0) {
      books.set_publishing(true);
      n += books.snapshot(itch::timestamp(f.msg), out.data() + n);
    }
    if (n > out.size()) __builtin_trap();
    for (std::uint32_t i = 0; i < n; ++i) {
      if (out[i].symbol >= books.book_count()) __builtin_trap();
    }
  }
  TickRecord last;
  if (books.flush(&last) == 1) {
    const BookTop top = books.book(last.symbol).top();
    if (top.bid != last.bid || top.ask != last.ask) __builtin_trap();  // the final quote is the top
  }
  // The books agree with the live orders: per book and side, the levels hold exactly the shares of
  // the orders, and each ladder is sorted strictly with its best price at the back.
  std::vector<std::uint64_t> bid_shares(books.book_count()), ask_shares(books.book_count());
  books.orders().for_each([&](const LiveOrder& o) {
    if (o.book >= books.book_count()) __builtin_trap();
    (o.side == 'B' ? bid_shares : ask_shares)[o.book] += o.shares;
  });
  for (std::uint32_t b = 0; b < books.book_count(); ++b) {
    const OrderBook& book = books.book(b);
    std::uint64_t bids = 0, asks = 0;
    const auto& bl = book.bids().levels();
    const auto& al = book.asks().levels();
    for (std::size_t i = 0; i < bl.size(); ++i) {
      bids += bl[i].shares;
      if (i > 0 && bl[i - 1].price >= bl[i].price) __builtin_trap();
    }
    for (std::size_t i = 0; i < al.size(); ++i) {
      asks += al[i].shares;
      if (i > 0 && al[i - 1].price <= al[i].price) __builtin_trap();
    }
    if (bids != bid_shares[b] || asks != ask_shares[b]) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run(data, size);
  return 0;
}
