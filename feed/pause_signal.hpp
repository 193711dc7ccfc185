// SIGUSR1 pauses and resumes tickshm-feed: the feed keeps its heartbeat but publishes nothing while paused.
#pragma once

#include <atomic>

namespace tickshm::feed {

// Installs the handler (no SA_RESTART, so a sleeping loop wakes at once) and returns the flag it toggles.
const std::atomic<bool>& install_pause_signal();

}  // namespace tickshm::feed
