// /dev/shm housekeeping: which tickshm objects exist.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickshm {

// Every tickshm object present in /dev/shm (names starting "tickshm."), for stat --list and cleanup.
struct SegmentFile {
  std::string name;  // as in /dev/shm, e.g. "tickshm.market"
  std::uint64_t size = 0;
  uid_t owner = 0;
  mode_t mode = 0;
};
std::vector<SegmentFile> list_segment_files();
// Which object a name stands for: parse_object_name (names.hpp). Removing the dead ones:
// clean_proven_dead (cleanup.hpp).

}  // namespace tickshm
