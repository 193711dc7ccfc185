// /dev/shm housekeeping: which tickshm objects exist, what each one is, and removing the dead ones.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
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

inline constexpr const char* kSegmentPrefix = "tickshm.";  // every object's name in /dev/shm

enum class SegmentKind { kData, kControl, kAlgoStatus, kBridgeStatus };
// "tickshm.F" -> data of F; "tickshm.F.ctl" -> control of F; "tickshm.F.algo.ID" -> an algo's status
// segment on F; "tickshm.F.bridge.DIR" -> a bridge's status segment on F. `file` is a name as in
// /dev/shm; feed receives F.
SegmentKind classify_segment(std::string_view file, std::string& feed);

// What housekeeping may do with an object: leave it, remove it, or wait (empty or still being created,
// its creator may be at work: removed only once it has been so for 10 s).
enum class SegmentVerdict { kAlive, kDead, kNotReady };
// Judges a status segment ("/tickshm.F.algo.ID", "/tickshm.F.bridge.DIR"); given by the modules that
// know those formats, so this one depends on none above it.
using StatusJudge = std::function<SegmentVerdict(const std::string& shm_path)>;

// The data segment of `feed` decides for the feed's data and control objects: dead when the segment is
// closed, its writer is gone, or it is not a valid segment.
SegmentVerdict judge_feed_segments(std::string_view feed);

// Removes the feed's data and control segments, and the status segments judge_status finds dead (none
// without a judge), but only those proven dead. Returns the names removed. Used by stat --clean.
std::vector<std::string> clean_dead_segments(std::string_view feed_or_empty_for_all,
                                             const StatusJudge& judge_status);

}  // namespace tickshm
