// Sector assignment: a fixed table for well-known tickers, FNV-1a of the name for the rest.
#include "sectors.hpp"

#include <array>
#include <utility>

namespace tickshm::feed {

namespace {
constexpr std::array<const char*, kSectorCount> kNames = {
    "technology", "semiconductors",         "financials",   "health care", "consumer staples",
    "energy",     "consumer discretionary", "communication"};

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 20> kKnown = {{
    {"AAPL", 0}, {"MSFT", 0}, {"NVDA", 1}, {"AMZN", 6}, {"GOOGL", 7}, {"META", 7}, {"TSLA", 6},
    {"JPM", 2},  {"V", 2},    {"JNJ", 3},  {"WMT", 4},  {"XOM", 5},   {"PG", 4},   {"UNH", 3},
    {"HD", 6},   {"BAC", 2},  {"KO", 4},   {"AMD", 1},  {"NFLX", 7},  {"INTC", 1},
}};
}  // namespace

std::uint32_t sector_of(std::string_view name) noexcept {
  for (const auto& [known, sector] : kKnown) {
    if (known == name) return sector;
  }
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return static_cast<std::uint32_t>((h >> 29) % kSectorCount);
}

const char* sector_name(std::uint32_t sector) noexcept {
  return sector < kSectorCount ? kNames[sector] : "?";
}

}  // namespace tickshm::feed
