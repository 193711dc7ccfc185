// A second, deliberately simple ITCH 5.0 replay for the tests: std::map books, its own framing and
// its own length table, none of the feed's code. What it computes is what the feed must publish.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickshm::feed::ref {

struct Stats {
  std::string name;
  std::uint64_t trades = 0, volume = 0;
  std::int64_t open = 0, last = 0, high = 0, low = 0;
  std::uint32_t last_size = 0;
  // Final book top (0 when empty).
  std::uint32_t bid = 0, ask = 0;
  std::uint64_t bid_size = 0, ask_size = 0;
};

struct Result {
  std::map<std::uint16_t, Stats> stocks;  // by locate
  std::uint64_t messages = 0;
  std::map<char, std::uint64_t> unknown_order;
};

inline std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Replays bytes; trades count when their timestamp is in [from, to].
inline Result replay(const std::vector<std::uint8_t>& bytes, std::uint64_t from = 0,
                     std::uint64_t to = ~std::uint64_t{0}) {
  const std::map<char, std::size_t> lengths = {
      {'S', 12}, {'R', 39}, {'H', 25}, {'Y', 20}, {'L', 26}, {'V', 35}, {'W', 12}, {'K', 28},
      {'J', 35}, {'h', 21}, {'A', 36}, {'F', 40}, {'E', 31}, {'C', 36}, {'X', 23}, {'D', 19},
      {'U', 35}, {'P', 44}, {'Q', 40}, {'B', 19}, {'I', 50}, {'N', 20}, {'O', 48}};
  auto num = [](const std::uint8_t* p, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | p[i];
    return v;
  };
  struct Order {
    std::uint16_t locate;
    bool bid;
    std::uint32_t price;
    std::uint64_t shares;
  };
  std::map<std::uint64_t, Order> orders;
  std::map<std::uint16_t, std::map<std::uint32_t, std::uint64_t>> bids, asks;
  Result res;
  auto level_take = [&](const Order& o, std::uint64_t n) {
    auto& side = o.bid ? bids[o.locate] : asks[o.locate];
    side[o.price] -= n;
    if (side[o.price] == 0) side.erase(o.price);
  };
  auto trade = [&](std::uint16_t loc, std::uint64_t ts, std::int64_t px, std::uint64_t sh) {
    if (ts < from || ts > to || res.stocks.count(loc) == 0) return;
    Stats& s = res.stocks[loc];
    if (s.trades == 0) s.open = s.high = s.low = px;
    ++s.trades;
    s.volume += sh;
    s.last = px;
    s.last_size = static_cast<std::uint32_t>(sh);
    s.high = std::max(s.high, px);
    s.low = std::min(s.low, px);
  };
  std::size_t pos = 0;
  while (pos + 3 <= bytes.size()) {
    std::size_t len = num(&bytes[pos], 2);
    const char type = static_cast<char>(bytes[pos + 2]);
    if (len == 0) len = lengths.at(type);
    const std::uint8_t* m = &bytes[pos + 2];
    pos += 2 + len;
    if (pos > bytes.size()) throw std::runtime_error("reference: truncated");
    ++res.messages;
    const auto loc = static_cast<std::uint16_t>(num(m + 1, 2));
    const std::uint64_t ts = num(m + 5, 6);
    if (ts > to) break;
    switch (type) {
      case 'R': {
        std::string name(reinterpret_cast<const char*>(m + 11), 8);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        res.stocks[loc].name = name;
        break;
      }
      case 'A':
      case 'F': {
        const Order o{loc, m[19] == 'B', static_cast<std::uint32_t>(num(m + 32, 4)), num(m + 20, 4)};
        orders[num(m + 11, 8)] = o;
        (o.bid ? bids[loc] : asks[loc])[o.price] += o.shares;
        break;
      }
      case 'E':
      case 'C':
      case 'X':
      case 'D':
      case 'U': {
        auto it = orders.find(num(m + 11, 8));
        if (it == orders.end()) {
          ++res.unknown_order[type];
          break;
        }
        Order& o = it->second;
        if (type == 'D' || type == 'U') {
          level_take(o, o.shares);
          const Order old = o;
          orders.erase(it);
          if (type == 'U') {
            const Order n{old.locate, old.bid, static_cast<std::uint32_t>(num(m + 31, 4)), num(m + 27, 4)};
            orders[num(m + 19, 8)] = n;
            (n.bid ? bids[n.locate] : asks[n.locate])[n.price] += n.shares;
          }
          break;
        }
        const std::uint64_t n = std::min<std::uint64_t>(num(m + 19, 4), o.shares);
        level_take(o, n);
        o.shares -= n;
        const Order copy = o;
        if (o.shares == 0) orders.erase(it);
        if (type == 'E') trade(copy.locate, ts, copy.price, num(m + 19, 4));
        if (type == 'C' && m[31] == 'Y')
          trade(copy.locate, ts, static_cast<std::int64_t>(num(m + 32, 4)), num(m + 19, 4));
        break;
      }
      case 'P':
        trade(loc, ts, static_cast<std::int64_t>(num(m + 32, 4)), num(m + 20, 4));
        break;
      case 'Q':
        if (num(m + 11, 8) > 0) trade(loc, ts, static_cast<std::int64_t>(num(m + 27, 4)), num(m + 11, 8));
        break;
      default:
        break;
    }
  }
  for (auto& [loc, s] : res.stocks) {
    if (!bids[loc].empty()) {
      s.bid = bids[loc].rbegin()->first;
      s.bid_size = bids[loc].rbegin()->second;
    }
    if (!asks[loc].empty()) {
      s.ask = asks[loc].begin()->first;
      s.ask_size = asks[loc].begin()->second;
    }
  }
  return res;
}

}  // namespace tickshm::feed::ref
