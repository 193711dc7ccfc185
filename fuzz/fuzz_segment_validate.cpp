// Fuzz target: random bytes as a data, control and algo status segment, validated in memory.
// Every input must be accepted or refused with a message; none may read past `size` or crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/segment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tickshm::fuzz::AlignedCopy copy(data, size);
  const auto n = static_cast<std::uint64_t>(size);
  const auto d = tickshm::validate_data_segment(copy.data(), n);
  const auto c = tickshm::validate_control_segment(copy.data(), n);
  const auto a = tickshm::validate_algo_segment(copy.data(), n);
  // A refusal always says why.
  if ((!d && d.error().message.empty()) || (!c && c.error().message.empty()) ||
      (!a && a.error().message.empty())) {
    __builtin_trap();
  }
  return 0;
}
