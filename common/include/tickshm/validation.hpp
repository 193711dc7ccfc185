// Checking a segment's bytes before anything trusts them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// Checks a data segment's bytes before anything trusts them: size, magic, version, every size and
// offset against the others and against file_size. `bytes` holds at least min(file_size, 4096) bytes.
// Returns kInvalidSegment with a message naming the field and its value, or kNotReady while creating.
// The header is copied once and the copy is what is checked; on success *copy (if given) receives it,
// and every size and index the caller derives must come from that copy, never from the segment again.
[[nodiscard]] Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size,
                                           DataHeader* copy = nullptr);
[[nodiscard]] Status validate_control_segment(const std::byte* bytes, std::uint64_t file_size);

}  // namespace tickshm
