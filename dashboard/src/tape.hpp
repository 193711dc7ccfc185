// The symbol view's tape: the newest ticks of one symbol, copied out of the feed's ring read-only
// (without registering as a reader: a dashboard never holds the writer back or counts as lost).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "snapshot.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::dash {

// Looks back over at most `scan` ticks below the write cursor for ticks of `symbol`, newest first,
// until `max` are found. A slot being rewritten (or already lapped) is skipped, never shown torn.
void read_tape(const DataView& data, std::uint32_t symbol, std::size_t max, std::size_t scan,
               std::vector<TapeEntry>& out);

}  // namespace tickshm::dash
