// Fuzz target: random bytes as a bridge batch and snapshot message (what any NATS client can publish).
// Every input must be decoded or refused with a reason; none may read past `size` or crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> msg(reinterpret_cast<const std::byte*>(data), size);
  const auto b = tickshm::bridge::decode_batch(msg, "market");
  if (b.ok) {
    // An accepted batch is exactly as long as it says, and its records can be walked.
    if (size != sizeof(tickshm::bridge::WireBatchHeader) + std::size_t{b.batch.header.count} * 64)
      __builtin_trap();
    (void)tickshm::bridge::check_batch_records(b.batch, 3);
  }
  const auto s = tickshm::bridge::decode_snapshot(msg, "market");
  if (s.ok && s.snapshot.symbols.size() != s.snapshot.header.symbol_count) __builtin_trap();
  if (!s.ok && !s.snapshot.symbols.empty()) __builtin_trap();
  return 0;
}
