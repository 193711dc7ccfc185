// tickshm-futex-bench: the writer's cost per tick of the two futex designs for waking sleeping readers,
// measured side by side: one shared "cursor moved" word served by one wake-all, or one word per reader
// woken one by one. The protocol is the library's (sleepers bitmask, Dekker handshake, timed waits) on
// a private shared mapping, so only the waking differs. The writer runs on CPU 0, the readers on CPU 1.
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

constexpr int kMaxReaders = 64;

struct alignas(128) Line {
  std::atomic<std::uint64_t> v{0};
};
struct alignas(128) Word {
  std::atomic<std::uint32_t> v{0};
};

struct Shared {
  Line cursor;
  Line sleepers;
  Line stop;
  Line ready;
  Word shared_word;
  Word slot_word[kMaxReaders];
};

// Writer on the first CPU, readers on the second, as tickshm-bench places them (no-op on one CPU).
void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

std::uint64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

void futex_wait(std::atomic<std::uint32_t>* w, std::uint32_t expected, std::uint64_t until) {
  const timespec ts{static_cast<time_t>(until / 1'000'000'000ULL),
                    static_cast<long>(until % 1'000'000'000ULL)};
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(w), FUTEX_WAIT_BITSET, expected, &ts, nullptr,
          FUTEX_BITSET_MATCH_ANY);
}
void futex_wake(std::atomic<std::uint32_t>* w, int n) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(w), FUTEX_WAKE, n, nullptr, nullptr, 0);
}

// A `block` reader: caught up, it announces its sleep, looks again, and sleeps on its word.
int reader(Shared& s, int i, bool per_reader) {
  std::atomic<std::uint32_t>* word = per_reader ? &s.slot_word[i].v : &s.shared_word.v;
  const std::uint64_t bit = 1ULL << i;
  std::uint64_t mine = 0;
  s.ready.v.fetch_add(1);
  while (s.stop.v.load(std::memory_order_relaxed) == 0) {
    const std::uint32_t seen = word->load(std::memory_order_acquire);
    s.sleepers.v.fetch_or(bit, std::memory_order_seq_cst);
    if (s.cursor.v.load(std::memory_order_seq_cst) == mine) futex_wait(word, seen, now_ns() + 100'000'000);
    s.sleepers.v.fetch_and(~bit, std::memory_order_acq_rel);
    mine = s.cursor.v.load(std::memory_order_acquire);
  }
  return 0;
}

double run(int readers, bool per_reader, double seconds) {
  void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::perror("mmap");
    std::exit(1);
  }
  auto* s = new (p) Shared();
  std::vector<pid_t> kids;
  for (int i = 0; i < readers; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      pin(1);
      _exit(reader(*s, i, per_reader));
    }
    kids.push_back(pid);
  }
  pin(0);
  while (s->ready.v.load() < static_cast<std::uint64_t>(readers)) usleep(1000);
  usleep(20'000);  // let them fall asleep
  const std::uint64_t start = now_ns();
  const std::uint64_t end = start + static_cast<std::uint64_t>(seconds * 1e9);
  std::uint64_t ticks = 0;
  std::uint64_t t = start;
  while (t < end) {
    for (int k = 0; k < 256; ++k) {
      s->cursor.v.store(++ticks, std::memory_order_release);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      std::uint64_t mask = s->sleepers.v.load(std::memory_order_relaxed);
      if (mask == 0) continue;
      if (!per_reader) {
        s->sleepers.v.exchange(0, std::memory_order_acq_rel);
        s->shared_word.v.fetch_add(1, std::memory_order_release);
        futex_wake(&s->shared_word.v, INT_MAX);
        continue;
      }
      while (mask != 0) {
        const int i = std::countr_zero(mask);
        mask &= mask - 1;
        const std::uint64_t bit = 1ULL << i;
        if (s->sleepers.v.fetch_and(~bit, std::memory_order_acq_rel) & bit) {
          s->slot_word[i].v.fetch_add(1, std::memory_order_release);
          futex_wake(&s->slot_word[i].v, 1);
        }
      }
    }
    t = now_ns();
  }
  const double ns = static_cast<double>(t - start) / static_cast<double>(ticks);
  s->stop.v.store(1);
  s->shared_word.v.fetch_add(1);
  futex_wake(&s->shared_word.v, INT_MAX);
  for (int i = 0; i < kMaxReaders; ++i) {
    s->slot_word[i].v.fetch_add(1);
    futex_wake(&s->slot_word[i].v, INT_MAX);
  }
  for (pid_t k : kids) waitpid(k, nullptr, 0);
  munmap(p, sizeof(Shared));
  return ns;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  if (!(seconds > 0 && seconds < 60) || rounds < 1 || rounds > 20) {
    std::fprintf(stderr, "usage: tickshm-futex-bench [SECONDS (0-60)] [ROUNDS (1-20)]\n");
    return 2;
  }
  std::printf("writer ns/tick, flat out, every tick checks for sleepers (median of %d rounds of %.2f s)\n",
              rounds, seconds);
  std::printf("%-8s %-12s %-12s\n", "readers", "shared word", "word each");
  for (int n : {0, 1, 4, 16, 32, 63}) {
    std::vector<double> a, b;
    for (int r = 0; r < rounds; ++r) {  // interleaved, so a slow spell falls on both alike
      a.push_back(run(n, false, seconds));
      b.push_back(run(n, true, seconds));
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::printf("%-8d %-12.1f %-12.1f\n", n, a[a.size() / 2], b[b.size() / 2]);
    std::fflush(stdout);
  }
  return 0;
}
