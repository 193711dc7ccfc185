// The bench's own iceoryx daemon: iceoryx 2.0 clients need a RouDi, and the bench starts one with a
// private config for its iceoryx rows and stops it at the end, never touching one already running.
#pragma once

#include <string>

namespace tickshm::bench {

// "" once the bench's RouDi is ready for clients (started now if need be), else why it cannot be.
std::string ensure_iceoryx_daemon();

}  // namespace tickshm::bench
