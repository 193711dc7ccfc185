// The SIGBUS handler that turns a truncated watched mapping into zero pages and a flag.
#include "tickshm/fault_guard.hpp"

#include <signal.h>
#include <sys/mman.h>

#include <mutex>

namespace tickshm {
namespace {

constexpr std::size_t kMaxWatched = 256;
FaultGuardEntry g_entries[kMaxWatched];
struct sigaction g_previous {};
std::mutex g_install;

void on_sigbus(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (FaultGuardEntry& e : g_entries) {
    const std::uintptr_t begin = e.begin.load(std::memory_order_acquire);
    const std::size_t length = e.length.load(std::memory_order_relaxed);
    if (begin == 0 || addr < begin || addr - begin >= length) continue;
    // Same addresses, same size, our own zero pages: the faulting access completes when we return,
    // and Mapping's munmap later releases these pages as it would have the file's. mmap is a plain
    // system call, safe here.
    ::mmap(reinterpret_cast<void*>(begin), length, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    e.faulted.store(1, std::memory_order_relaxed);
    return;
  }
  // Not one of ours: whatever handled SIGBUS before us, or the default action (the access faults again).
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(sig, info, context);
    return;
  }
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
    return;
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGBUS, &dfl, nullptr);
}

// Installs on_sigbus unless it is the handler now; a program that installed its own since (the
// dashboard's crash handler) becomes the one we chain to.
void install() noexcept {
  std::lock_guard lock(g_install);
  struct sigaction now {};
  if (::sigaction(SIGBUS, nullptr, &now) != 0) return;
  if ((now.sa_flags & SA_SIGINFO) != 0 && now.sa_sigaction == on_sigbus) return;
  struct sigaction ours {};
  ours.sa_sigaction = on_sigbus;
  ours.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&ours.sa_mask);
  if (::sigaction(SIGBUS, &ours, &g_previous) != 0) g_previous = now;
}

}  // namespace

void FaultGuardRelease::operator()(FaultGuardEntry* e) const noexcept {
  e->faulted.store(0, std::memory_order_relaxed);
  e->length.store(0, std::memory_order_relaxed);
  e->begin.store(0, std::memory_order_release);
}

FaultGuard FaultGuard::watch(const Mapping& m) noexcept {
  FaultGuard g;
  if (!m.valid()) return g;
  install();
  const auto begin = reinterpret_cast<std::uintptr_t>(m.data());
  for (FaultGuardEntry& e : g_entries) {
    std::uintptr_t expected = 0;
    // Claim with a placeholder first so the handler never sees a begin without its length.
    if (!e.begin.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
    e.faulted.store(0, std::memory_order_relaxed);
    e.length.store(m.size(), std::memory_order_relaxed);
    e.begin.store(begin, std::memory_order_release);
    g.entry_.reset(&e);
    return g;
  }
  return g;
}

}  // namespace tickshm
