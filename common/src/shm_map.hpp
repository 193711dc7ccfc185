// Opening an existing /dev/shm object and mapping all of it, shared by the data and control views.
#pragma once

#include <cstdint>
#include <string>

#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// kInvalidSegment with the given text.
Error invalid_segment(const std::string& what);

// Opens an existing /dev/shm object read-only or read-write and maps all of it, refusing anything that
// is not a regular file of at least min_size bytes. The descriptor is closed once mapped.
[[nodiscard]] Result<Mapping> open_and_map(const std::string& path, bool writable, std::uint64_t min_size,
                                           const char* kind, bool populate = false);

}  // namespace tickshm
