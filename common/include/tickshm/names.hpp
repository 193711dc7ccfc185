// Segment names: validated before any system call; every shared-memory object name is built here.
#pragma once

#include <string>
#include <string_view>

#include "tickshm/result.hpp"

namespace tickshm {

inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::string_view kDefaultSegment = "market";

// A feed or algo name: [A-Za-z0-9_-]{1,64}. No '.': the objects' names join a feed name, an algo name
// and the suffixes ".ctl" / ".algo." with dots, so a name without one cannot be mistaken for another
// object's (a feed "x.ctl" would be feed x's control segment). The message names the bad value.
[[nodiscard]] Status validate_name(std::string_view name, std::string_view what = "segment name");

std::string data_segment_path(std::string_view feed);                         // "/tickshm.NAME"
std::string control_segment_path(std::string_view feed);                      // "/tickshm.NAME.ctl"
std::string algo_segment_path(std::string_view feed, std::string_view algo);  // "/tickshm.NAME.algo.ID"
std::string algo_segment_prefix(std::string_view feed);  // "tickshm.NAME.algo." (as in /dev/shm)
// A bridge's status segment; direction is "in" or "out": "/tickshm.NAME.bridge.in"
std::string bridge_status_path(std::string_view feed, std::string_view direction);

// What a /dev/shm file name ("tickshm.F", "tickshm.F.ctl", "tickshm.F.algo.ID", "tickshm.F.bridge.out",
// "tickshm.F.bridge.in") stands for. Names are
// dot-free, so each file has exactly one reading; anything else (a dotted name from an older version,
// a foreign file) is kUnknown and no tickshm program treats it as its own.
enum class ObjectKind { kData, kControl, kAlgo, kBridge, kUnknown };
struct ObjectName {
  ObjectKind kind = ObjectKind::kUnknown;
  std::string feed;
  std::string algo;       // kAlgo only
  std::string direction;  // kBridge only: "out" or "in"
};
ObjectName parse_object_name(std::string_view file);

}  // namespace tickshm
