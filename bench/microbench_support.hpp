// What tickshm-microbench's files share: the ring and symbol counts, and a publisher on a fresh segment.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tickshm/publisher.hpp"

namespace tickshm::bench::micro {

inline constexpr std::uint32_t kSymbols = 64;
inline constexpr std::uint64_t kRing = 1ULL << 16;

inline Publisher make_publisher(const std::string& seg, std::vector<SymbolSpec> symbols) {
  PublisherOptions po;
  po.segment = seg;
  po.ring_capacity = kRing;
  po.symbols = std::move(symbols);
  auto p = Publisher::create(po);
  if (!p) throw std::runtime_error("Publisher::create: " + p.error().message);
  return std::move(p).value();
}

// n symbols S0, S1, ... as tickshm-bench's ticks cycle through.
inline Publisher make_publisher(const std::string& seg, std::uint32_t n = kSymbols) {
  std::vector<SymbolSpec> symbols;
  for (std::uint32_t i = 0; i < n; ++i)
    symbols.push_back(SymbolSpec{std::to_string(i).insert(0, 1, 'S'), 1'000'000, 100});
  return make_publisher(seg, std::move(symbols));
}

}  // namespace tickshm::bench::micro
