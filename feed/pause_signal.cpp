// The SIGUSR1 pause toggle: one lock-free flag, written only by the handler.
#include "pause_signal.hpp"

#include <signal.h>

namespace tickshm::feed {

namespace {

std::atomic<bool> g_pause{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGUSR1 handler touches it");

extern "C" void on_sigusr1(int) {
  // relaxed: the loop polls the flag; no other data travels with it.
  g_pause.store(!g_pause.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

}  // namespace

const std::atomic<bool>& install_pause_signal() {
  struct sigaction sa {};
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a sleeping loop wakes up and sees the change at once
  ::sigaction(SIGUSR1, &sa, nullptr);
  return g_pause;
}

}  // namespace tickshm::feed
