// The per-tick checksum a --verify feed stamps (LAYOUT.md 1.6).
#include <cstring>

#include "tickshm/layout.hpp"

namespace tickshm {

std::uint32_t tick_checksum(std::uint64_t s, const TickRecord& t) noexcept {
  std::uint64_t words[8];
  std::memcpy(words, &t, sizeof words);
  return tick_checksum_words(s, words);
}

std::uint32_t tick_checksum_words(std::uint64_t s, const std::uint64_t* words) noexcept {
  // Words 1..6: everything but the sequence word and the checksum word itself.
  std::uint64_t h = 0xcbf29ce484222325ULL ^ (s * 0x9E3779B97F4A7C15ULL);
  for (int i = 1; i <= 6; ++i) {
    h ^= words[i];
    h *= 0x100000001b3ULL;
    h ^= h >> 29;
  }
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace tickshm
