// tickshm-futex-bench: the ways of waking sleeping readers, measured side by side in one run: one
// shared "cursor moved" word with one wake-all, the same word with a fan-out (the writer wakes one
// sleeper, each woken reader up to two more), and one word per reader woken one by one. The protocol is
// the library's (sleepers bitmask, Dekker handshake, timed waits) on a private shared mapping, so only
// the waking differs. The writer runs on CPU 0, the readers on CPU 1. Two measurements: the writer flat
// out (its ns per tick), and the writer paced (its ns per tick spent publishing and waking, and the
// readers' latency from the writer's stamp to their reading it).
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tickshm/histogram.hpp"

namespace {

using tickshm::LatencyHistogram;

constexpr int kMaxReaders = 64;
constexpr std::uint64_t kStampSlots = 1 << 14;  // the paced writer's stamps, by tick number
constexpr std::uint64_t kTimeoutNs = 100'000'000;
constexpr int kPassOn = 2;  // the library's kWakeFanOut

enum class Design { kWakeAll, kFanOut, kWordEach };
constexpr Design kDesigns[] = {Design::kWakeAll, Design::kFanOut, Design::kWordEach};
const char* design_name(Design d) {
  return d == Design::kWakeAll ? "wake-all" : d == Design::kFanOut ? "fan-out" : "word each";
}

struct alignas(128) Line {
  std::atomic<std::uint64_t> v{0};
};
// The shared futex word and the fan-out's round, on one line as in the control segment.
struct alignas(128) WakeLine {
  std::atomic<std::uint32_t> word{0};
  std::atomic<std::uint64_t> waking{0};
};
struct alignas(128) Word {
  std::atomic<std::uint32_t> v{0};
};

struct Shared {
  Line cursor;
  Line sleepers;
  Line stop;
  Line ready;
  WakeLine wake;
  Word slot_word[kMaxReaders];
  std::atomic<std::uint64_t> stamps[kStampSlots];
  LatencyHistogram hist[kMaxReaders];
};

// Writer on the first CPU, readers on the second, as tickshm-bench places them (no-op on one CPU).
void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
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

// The library's R5: a reader of the round wakes up to kFanOut more while the round has others.
void pass_on(Shared& s, std::uint64_t bit) {
  (void)s.wake.word.load(std::memory_order_acquire);
  if ((s.wake.waking.load(std::memory_order_relaxed) & bit) == 0) return;
  const std::uint64_t was = s.wake.waking.fetch_and(~bit, std::memory_order_relaxed);
  if ((was & bit) == 0) return;
  const int others = std::popcount(was & ~bit);
  if (others > 0) futex_wake(&s.wake.word, std::min(others, kPassOn));
}

// A `block` reader: caught up, it announces its sleep, looks again, and sleeps on its word; awake, it
// times every tick it had not seen (paced runs).
int reader(Shared& s, int i, Design d, bool paced) {
  std::atomic<std::uint32_t>* word = d == Design::kWordEach ? &s.slot_word[i].v : &s.wake.word;
  const std::uint64_t bit = 1ULL << i;
  std::uint64_t mine = 0;
  LatencyHistogram hist;
  s.ready.v.fetch_add(1);
  while (s.stop.v.load(std::memory_order_relaxed) == 0) {
    const std::uint32_t seen = word->load(std::memory_order_acquire);
    s.sleepers.v.fetch_or(bit, std::memory_order_seq_cst);
    if (s.cursor.v.load(std::memory_order_seq_cst) == mine) futex_wait(word, seen, now_ns() + kTimeoutNs);
    s.sleepers.v.fetch_and(~bit, std::memory_order_acq_rel);
    if (d == Design::kFanOut) pass_on(s, bit);
    const std::uint64_t head = s.cursor.v.load(std::memory_order_acquire);
    if (paced && head > mine) {
      const std::uint64_t now = now_ns();
      for (std::uint64_t t = std::max(mine, head > kStampSlots ? head - kStampSlots : 0) + 1; t <= head;
           ++t) {
        hist.record(now - s.stamps[t % kStampSlots].load(std::memory_order_relaxed));
      }
    }
    mine = head;
  }
  s.hist[i] = hist;
  return 0;
}

// Publishes tick t and wakes whoever sleeps, the way design d does.
void publish_and_wake(Shared& s, Design d, std::uint64_t t, std::uint64_t stamp) {
  s.stamps[t % kStampSlots].store(stamp, std::memory_order_relaxed);
  s.cursor.v.store(t, std::memory_order_release);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  std::uint64_t mask = s.sleepers.v.load(std::memory_order_relaxed);
  if (mask == 0) return;
  switch (d) {
    case Design::kWakeAll:
      s.sleepers.v.exchange(0, std::memory_order_acq_rel);
      s.wake.word.fetch_add(1, std::memory_order_release);
      futex_wake(&s.wake.word, INT_MAX);
      return;
    case Design::kFanOut:
      s.wake.waking.fetch_or(s.sleepers.v.exchange(0, std::memory_order_acq_rel), std::memory_order_relaxed);
      s.wake.word.fetch_add(1, std::memory_order_release);
      futex_wake(&s.wake.word, 1);
      return;
    case Design::kWordEach:
      while (mask != 0) {
        const int i = std::countr_zero(mask);
        mask &= mask - 1;
        const std::uint64_t bit = 1ULL << i;
        if (s.sleepers.v.fetch_and(~bit, std::memory_order_acq_rel) & bit) {
          s.slot_word[i].v.fetch_add(1, std::memory_order_release);
          futex_wake(&s.slot_word[i].v, 1);
        }
      }
      return;
  }
}

struct Figures {
  double writer_ns = 0;  // flat out: ns per tick; paced: ns per tick publishing and waking
  std::uint64_t p50_ns = 0, p99_ns = 0;
};

// rate 0: flat out.
Figures run(int readers, Design d, double seconds, std::uint64_t rate) {
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
      _exit(reader(*s, i, d, rate != 0));
    }
    kids.push_back(pid);
  }
  pin(0);
  while (s->ready.v.load() < static_cast<std::uint64_t>(readers)) usleep(1000);
  usleep(20'000);  // let them fall asleep
  const std::uint64_t start = now_ns();
  const std::uint64_t end = start + static_cast<std::uint64_t>(seconds * 1e9);
  std::uint64_t ticks = 0, busy = 0;
  std::uint64_t t = start;
  if (rate == 0) {
    while (t < end) {
      for (int k = 0; k < 256; ++k) publish_and_wake(*s, d, ++ticks, t);
      t = now_ns();
    }
    busy = t - start;
  } else {
    const std::uint64_t period = 1'000'000'000ULL / rate;
    for (std::uint64_t due = start; due < end; due += period) {
      while ((t = now_ns()) < due) __builtin_ia32_pause();
      publish_and_wake(*s, d, ++ticks, t);
      busy += now_ns() - t;
    }
  }
  Figures f;
  f.writer_ns = ticks ? static_cast<double>(busy) / static_cast<double>(ticks) : 0;
  s->stop.v.store(1);
  s->wake.word.fetch_add(1);
  futex_wake(&s->wake.word, INT_MAX);
  for (auto& w : s->slot_word) {
    w.v.fetch_add(1);
    futex_wake(&w.v, INT_MAX);
  }
  for (pid_t k : kids) waitpid(k, nullptr, 0);
  LatencyHistogram merged;
  for (int i = 0; i < readers; ++i) merged.merge(s->hist[i]);
  f.p50_ns = merged.percentile(0.50);
  f.p99_ns = merged.percentile(0.99);
  s->~Shared();
  munmap(p, sizeof(Shared));
  return f;
}

template <class T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string us(std::uint64_t ns) {
  return fmt::format("{:.1f}", static_cast<double>(ns) / 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tickshm-futex-bench: the writer's cost and the readers' latency of three ways to wake "
      "sleeping readers (wake-all, fan-out, a word per reader), side by side",
      "tickshm-futex-bench"};
  double seconds = 0.3;
  int rounds = 3;
  std::uint64_t rate = 10'000;
  std::vector<int> counts{1, 2, 4, 8, 16, 32, 64};
  app.add_option("seconds", seconds, "Length of each run")
      ->check(CLI::Range(0.01, 60.0))
      ->capture_default_str();
  app.add_option("rounds", rounds, "Rounds of every run, interleaved; each figure is their median")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_option("--rate", rate, "Paced runs: ticks per second (0 = skip the paced runs)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--readers", counts, "Sleeping reader counts")
      ->delimiter(',')
      ->check(CLI::Range(0, kMaxReaders))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::uint64_t> rates{0};  // flat out, then paced
  if (rate != 0) rates.push_back(rate);
  for (const std::uint64_t r : rates) {
    const bool paced = r != 0;
    if (paced) {
      fmt::print(
          "\npaced at {} ticks/s: writer ns/tick publishing + waking | reader p50 / p99 (us) from the "
          "writer's stamp\n",
          r);
    } else {
      fmt::print("\nwriter ns/tick, flat out, every tick checks for sleepers\n");
    }
    fmt::print("(median of {} interleaved rounds of {:.2f} s; writer on CPU 0, readers on CPU 1)\n", rounds,
               seconds);
    fmt::print("{:<8}", "readers");
    for (Design d : kDesigns) fmt::print(" {:>{}}", design_name(d), paced ? 28 : 12);
    fmt::print("\n");
    for (const int n : counts) {
      std::vector<std::vector<Figures>> got(std::size(kDesigns));
      for (int round = 0; round < rounds; ++round) {  // interleaved, so a slow spell falls on all alike
        for (std::size_t k = 0; k < std::size(kDesigns); ++k)
          got[k].push_back(run(n, kDesigns[k], seconds, r));
      }
      fmt::print("{:<8}", n);
      for (const auto& g : got) {
        std::vector<double> w;
        std::vector<std::uint64_t> p50, p99;
        for (const auto& f : g) {
          w.push_back(f.writer_ns);
          p50.push_back(f.p50_ns);
          p99.push_back(f.p99_ns);
        }
        if (paced) {
          fmt::print(" {:>28}", fmt::format("{:.1f} | {} / {}", median(w), us(median(p50)), us(median(p99))));
        } else {
          fmt::print(" {:>12.1f}", median(w));
        }
      }
      fmt::print("\n");
      std::fflush(stdout);
    }
  }
  return 0;
}
