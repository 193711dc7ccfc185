// Segment names: validated before any system call; every shared-memory object name is built here.
#pragma once

#include <string>
#include <string_view>

#include "tickshm/result.hpp"

namespace tickshm {

inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::string_view kDefaultSegment = "market";

// A feed or algo name: [A-Za-z0-9._-]{1,64}, and not "." or "..". The message names the bad value.
[[nodiscard]] Status validate_name(std::string_view name, std::string_view what = "segment name");

std::string data_segment_path(std::string_view feed);                         // "/tickshm.NAME"
std::string control_segment_path(std::string_view feed);                      // "/tickshm.NAME.ctl"
std::string algo_segment_path(std::string_view feed, std::string_view algo);  // "/tickshm.NAME.algo.ID"
std::string algo_segment_prefix(std::string_view feed);  // "tickshm.NAME.algo." (as in /dev/shm)
// A bridge's status segment; direction is "in" or "out": "/tickshm.NAME.bridge.in"
std::string bridge_status_path(std::string_view feed, std::string_view direction);

}  // namespace tickshm
