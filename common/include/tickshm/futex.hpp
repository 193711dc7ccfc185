// Futex words in shared memory: the two calls the sleepers handshake needs.
//
// FUTEX_WAKE never blocks and never fails on what the word holds, so a writer can wake through a word
// that any reader (or anyone with write access to the control segment) may have scribbled on. The
// words live in MAP_SHARED mappings used by several processes, so the calls are not FUTEX_PRIVATE.
#pragma once

#include <cstdint>

namespace tickshm {

// Wakes up to n (>= 1) processes waiting on *word, the longest-waiting first among equal priorities.
// Returns how many were woken (0 also on error).
int futex_wake(std::uint32_t* word, int n) noexcept;

// Wakes every process waiting on *word. Returns how many were woken (0 also on error).
int futex_wake_all(std::uint32_t* word) noexcept;

// Sleeps while *word == expected, until woken, until CLOCK_MONOTONIC reaches until_ns, or a signal.
// Returns at once when *word already differs. The caller looks at what it waits for either way.
void futex_wait_until(const std::uint32_t* word, std::uint32_t expected, std::uint64_t until_ns) noexcept;

}  // namespace tickshm
