// Checking a segment's bytes before anything trusts them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tickshm/result.hpp"

namespace tickshm {

// Checks a data segment's bytes before anything trusts them: size, magic, version, every size and
// offset against the others and against file_size. `bytes` holds at least min(file_size, 4096) bytes.
// Returns kInvalidSegment with a message naming the field and its value, or kNotReady while creating.
[[nodiscard]] Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size);
[[nodiscard]] Status validate_control_segment(const std::byte* bytes, std::uint64_t file_size);

}  // namespace tickshm
