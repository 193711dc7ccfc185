// Removing tickshm objects from /dev/shm, but only those whose writer is proven gone (stat --clean and
// the launcher's stop).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tickshm {

struct CleanDecision {
  std::string name;  // as in /dev/shm, e.g. "tickshm.market.ctl"
  bool removed = false;
  std::string reason;  // why it was removed, or why it was kept
};

// Looks at every tickshm object of `feed` (every feed when empty) and removes one only on proof that
// nobody writes it:
//   - a data segment: its writer lock (flock) is free, taken by us while we unlink it; a file that is
//     still empty or "creating" is also left for 10 s after its last change (its creator may be between
//     O_CREAT and its lock);
//   - a control segment: its feed's data segment is gone or proven dead as above, and the process that
//     created it (writer pid in its header) is gone;
//   - an algo status segment: valid, and closed or its pid is gone (pid plus /proc start time);
//   - a bridge status segment: valid and its bridge is gone (pid plus /proc start time; a bridge that
//     ends unlinks its own, so there is no "closed" state to read).
// Anything else is kept with the reason: a live writer's objects, files we may not read or do not trust
// (trust.hpp), invalid algo files, names tickshm does not give (kUnknown). Each unlink is preceded by a
// check that the name still points at the file that was judged.
std::vector<CleanDecision> clean_proven_dead(std::string_view feed_or_empty_for_all);

}  // namespace tickshm
