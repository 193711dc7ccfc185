// NASDAQ TotalView-ITCH 5.0 wire format: message lengths by type, field offsets, big-endian loads
// and stores. Pure constants and inline functions, shared by the reader, the books and the recorder.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace tickshm::feed::itch {

// Every message starts with type (1), stock locate (2), tracking number (2), timestamp (6: ns since
// midnight); the type's own fields follow at offset 11.
inline constexpr std::size_t kOffLocate = 1;
inline constexpr std::size_t kOffTimestamp = 5;
inline constexpr std::size_t kHeaderLength = 11;
inline constexpr std::size_t kMaxMessageLength = 50;  // 'I' (NOII), the longest type
inline constexpr std::uint64_t kNsPerDay = 86'400'000'000'000ULL;
inline constexpr std::uint64_t kMaxTimestamp = (std::uint64_t{1} << 48) - 1;

// Payload length (type byte included) of each message type in the ITCH 5.0 specification; 0 for a
// byte that is no type. A table so the reader's check is one load.
constexpr std::array<std::uint8_t, 256> make_lengths() {
  std::array<std::uint8_t, 256> l{};
  l['S'] = 12;  // system event
  l['R'] = 39;  // stock directory
  l['H'] = 25;  // stock trading action
  l['Y'] = 20;  // Reg SHO restriction
  l['L'] = 26;  // market participant position
  l['V'] = 35;  // MWCB decline level
  l['W'] = 12;  // MWCB status
  l['K'] = 28;  // IPO quoting period update
  l['J'] = 35;  // LULD auction collar
  l['h'] = 21;  // operational halt
  l['A'] = 36;  // add order
  l['F'] = 40;  // add order with MPID attribution
  l['E'] = 31;  // order executed
  l['C'] = 36;  // order executed with price
  l['X'] = 23;  // order cancel
  l['D'] = 19;  // order delete
  l['U'] = 35;  // order replace
  l['P'] = 44;  // trade (non-cross)
  l['Q'] = 40;  // cross trade
  l['B'] = 19;  // broken trade
  l['I'] = 50;  // net order imbalance indicator
  l['N'] = 20;  // retail price improvement indicator
  l['O'] = 48;  // direct listing with capital raise price discovery
  return l;
}
inline constexpr std::array<std::uint8_t, 256> kLengths = make_lengths();

inline std::size_t spec_length(std::uint8_t type) noexcept {
  return kLengths[type];
}

inline std::uint16_t be16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
inline std::uint32_t be32(const std::uint8_t* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline std::uint64_t be48(const std::uint8_t* p) noexcept {
  return std::uint64_t{be16(p)} << 32 | be32(p + 2);
}
inline std::uint64_t be64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

inline void put16(std::uint8_t* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void put32(std::uint8_t* p, std::uint32_t v) noexcept {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
inline void put48(std::uint8_t* p, std::uint64_t v) noexcept {
  put16(p, static_cast<std::uint16_t>(v >> 32));
  put32(p + 2, static_cast<std::uint32_t>(v));
}
inline void put64(std::uint8_t* p, std::uint64_t v) noexcept {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

inline std::uint16_t locate(const std::uint8_t* m) noexcept {
  return be16(m + kOffLocate);
}
inline std::uint64_t timestamp(const std::uint8_t* m) noexcept {
  return be48(m + kOffTimestamp);
}

// Field offsets of the types the books use (from the start of the message, type byte = 0).
namespace off {
inline constexpr std::size_t kSysEventCode = 11;                                     // S
inline constexpr std::size_t kDirStock = 11;                                         // R (8 chars)
inline constexpr std::size_t kActStock = 11, kActState = 19, kActReason = 21;        // H
inline constexpr std::size_t kAddRef = 11, kAddSide = 19, kAddShares = 20;           // A, F
inline constexpr std::size_t kAddStock = 24, kAddPrice = 32;                         // A, F
inline constexpr std::size_t kExecRef = 11, kExecShares = 19, kExecMatch = 23;       // E, C
inline constexpr std::size_t kExecPrintable = 31, kExecPrice = 32;                   // C
inline constexpr std::size_t kCancelRef = 11, kCancelShares = 19;                    // X
inline constexpr std::size_t kDeleteRef = 11;                                        // D
inline constexpr std::size_t kReplOld = 11, kReplNew = 19, kReplShares = 27;         // U
inline constexpr std::size_t kReplPrice = 31;                                        // U
inline constexpr std::size_t kTradeRef = 11, kTradeSide = 19, kTradeShares = 20;     // P
inline constexpr std::size_t kTradeStock = 24, kTradePrice = 32, kTradeMatch = 36;   // P
inline constexpr std::size_t kCrossShares = 11, kCrossStock = 19, kCrossPrice = 27;  // Q (shares: 8)
inline constexpr std::size_t kCrossMatch = 31, kCrossType = 39;                      // Q
inline constexpr std::size_t kBrokenMatch = 11;                                      // B
}  // namespace off

static_assert(off::kAddPrice + 4 == 36 && off::kReplPrice + 4 == 35 && off::kTradeMatch + 8 == 44);
static_assert(off::kExecPrice + 4 == 36 && off::kCrossType + 1 == 40 && off::kCancelShares + 4 == 23);

}  // namespace tickshm::feed::itch
