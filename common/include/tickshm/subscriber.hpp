// The reader side of the bus: attaches (or waits) to a feed, reads every tick, counts what it lost,
// waits by spinning, blocking or both, and follows the feed across restarts (new epochs).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "tickshm/control_layout.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

struct SubscriberOptions {
  std::string segment = "market";
  std::string name = "reader";  // shown in the registry; truncated to 31 characters
  std::string role = "reader";  // "algo", "dash", "bench", ...
  WaitStrategy wait = WaitStrategy::kAdaptive;
  // adaptive: spin this long before blocking. Shorter than typical gaps between ticks at 100k/s, so
  // adaptive readers sharing a core with others sleep instead of spinning away the writer's time.
  std::uint64_t spin_ns = 5'000;
  std::uint64_t block_timeout_ns = 100'000'000;  // a sleeping reader wakes this often to check liveness
  // spin/adaptive: when the stream is dense (the last two ticks were published less than this apart)
  // and the reader has caught up, it waits this long before looking at the head slot again, instead of
  // polling the line the writer is about to write (each poll pulls that line away from the writer, up
  // to three times per tick: the writer's cost triples). Costs a dense stream at most this much
  // latency; a sparse one (100k ticks/s: 10 us apart) is polled without pause. 0: always poll.
  std::uint64_t dense_backoff_ns = 1'000;
  // block: caught up with a dense stream (as above: ticks < dense_backoff_ns apart), nap this long
  // without announcing the sleep, then read the backlog; the writer then pays no sem_post (a system
  // call) per catch-up. 0: always announce.
  std::uint64_t dense_nap_ns = 50'000;
  // Every strategy, reading a dense stream: stay one to two times this many ticks behind the head
  // for up to dense_hold_ns. Reading right behind a flat-out writer, the reader's loads, and the
  // hardware prefetchers they train, reach the lines the writer is about to write, and the writer
  // pays a cross-core transfer for each (a spinning reader doubled to quadrupled its cost per tick).
  // 128 ticks are two 4 KiB pages of the ring (the prefetchers stop at a page; one page behind still
  // cost the writer 1.9-2.4x where two cost 1.2-1.4x). The reader finds the head from slot words, once
  // per margin's worth of ticks, never from the writer's cursor (stored every tick). Clamped to a
  // quarter of the ring. 0: off.
  std::uint64_t dense_margin = 128;
  // The longest the reader holds back a dense stream's newest ticks, timed by its own clock from when
  // it first found them waiting: then it reads to the head. Held only while a sixteenth of a margin or
  // more waits (a writer faster than ~8 M ticks/s); fewer are read at once. Each read to the head
  // costs the writer the lines the prefetchers pull ahead of it, so this is also how often a writer
  // too slow to fill two margins in this time pays them: at 4 us, every writer under 64 M ticks/s
  // did, and a writer at 12 M/s (80 ns/tick alone) took 115-188 ns/tick, one at 30 M/s 1.2-1.6x its
  // time; at 16 us, 81-90 and 1.0-1.3x (docs/BENCHMARKS.md, 2026-12-01 evening).
  std::uint64_t dense_hold_ns = 16'000;
  bool from_start = false;      // first attach: read the epoch from tick 0 instead of the live edge
  bool verify = false;          // check every tick's checksum (the feed must run with --verify); a tick
                                // that fails is counted (verify_errors) and never handed out
  bool register_reader = true;  // claim a registry slot (dashboards that only sample do not)
};

enum class FeedStatus { kWaiting, kLive, kStale, kDead, kClosed };
const char* feed_status_name(FeedStatus s) noexcept;  // "WAITING", "LIVE", "STALE", "DEAD", "CLOSED"

// What happened, for the owner's log. Called from next(), never per tick.
struct SubscriberEvent {
  enum Kind { kWaitingForFeed, kAttached, kFeedStale, kFeedDead, kFeedClosed, kRegistryFull, kRefused };
  Kind kind;
  std::string message;
};

class Subscriber {
 public:
  // Never fails for a missing feed (it waits); fails only on bad options (name).
  [[nodiscard]] static Result<Subscriber> create(SubscriberOptions options);

  Subscriber(Subscriber&&) noexcept;
  Subscriber& operator=(Subscriber&&) = delete;
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;
  ~Subscriber();  // frees the registry slot

  enum class Next { kTick, kTimeout, kStopped };

  // The next tick, waiting per the wait strategy until deadline_ns (CLOCK_MONOTONIC; 0 = no deadline)
  // or until *stop becomes true. Attaches, re-attaches and counts losses by itself.
  // Hot path when ticks are there: no system call, no allocation. On kTick, out.seq holds the tick's
  // sequence number s (0, 1, 2, ... in its epoch), not the ring's sequence word 2s+2.
  Next next(TickRecord& out, std::uint64_t deadline_ns = 0);

  // Non-blocking: a tick if one is published, else false. Does not attach or check liveness. On a
  // dense stream the newest ticks (up to two dense_margins, if a sixteenth of one or more waits) stay
  // unread for up to dense_hold_ns: false then, and next() returns them when that time is up.
  bool try_next(TickRecord& out) noexcept;

  void set_stop_flag(const std::atomic<bool>* stop) noexcept { stop_ = stop; }
  void set_event_handler(std::function<void(const SubscriberEvent&)> h) { on_event_ = std::move(h); }

  // The owner records latencies it measured; the summary goes to the registry about once a second.
  void record_latency(std::uint64_t ns) noexcept { hist_.record(ns); }
  const LatencyHistogram& histogram() const noexcept { return hist_; }

  // Flushes counters and the latency summary to the registry slot now (also done periodically).
  void flush_stats() noexcept;

  bool attached() const noexcept { return data_.has_value(); }
  FeedStatus status() const noexcept { return status_; }
  const DataView* data() const noexcept { return data_ ? &*data_ : nullptr; }
  std::uint64_t epoch() const noexcept { return data_ ? data_->epoch() : 0; }
  std::uint64_t received() const noexcept { return received_; }    // this epoch
  std::uint64_t lost() const noexcept { return lost_; }            // this epoch
  std::uint64_t cursor() const noexcept { return cursor_; }        // next sequence to read
  std::uint64_t joined_at() const noexcept { return joined_at_; }  // where this epoch's reading began
  std::uint64_t total_received() const noexcept { return total_received_ + received_; }  // all epochs
  std::uint64_t total_lost() const noexcept { return total_lost_ + lost_; }
  std::uint64_t verify_errors() const noexcept { return verify_errors_; }
  std::uint64_t epochs_seen() const noexcept { return epochs_seen_; }
  int slot_index() const noexcept { return slot_; }

  // Tries to attach once now (used by next(); public for tools and tests).
  Status try_attach();

 private:
  explicit Subscriber(SubscriberOptions o);
  enum class Read { kOk, kEmpty, kLapped };
  static constexpr std::uint64_t kNoLimit = ~std::uint64_t{0};
  Read read_slot(std::uint64_t s, TickRecord& out) const noexcept;
  void skip_lapped() noexcept;
  bool published_at(std::uint64_t s) const noexcept;
  bool extend_read_limit() noexcept;  // false: holding back a dense stream's newest ticks
  void pause_dense(std::uint64_t deadline_ns) noexcept;
  static void spin_for(std::uint64_t ns) noexcept;
  bool wait_for_data(std::uint64_t deadline_ns);  // false: deadline or stop
  bool block_once(std::uint64_t deadline_ns);
  void maintain(std::uint64_t now) noexcept;  // liveness, heartbeat, stats; periodic
  void detach() noexcept;
  void emit(SubscriberEvent::Kind k, std::string msg);
  bool stopping() const noexcept { return stop_ && stop_->load(std::memory_order_relaxed); }

  SubscriberOptions opt_;
  std::optional<DataView> data_;
  std::optional<ControlView> ctl_;
  const TickRecord* ring_ = nullptr;
  const std::uint64_t* write_cursor_ = nullptr;
  std::uint64_t mask_ = 0;
  ReaderSlot* slot_ptr_ = nullptr;
  int slot_ = -1;
  std::uint64_t cursor_ = 0, received_ = 0, lost_ = 0, joined_at_ = 0;
  std::uint64_t total_received_ = 0, total_lost_ = 0, verify_errors_ = 0, epochs_seen_ = 0;
  std::uint64_t last_epoch_ = 0;
  std::uint64_t last_publish_ns_ = 0;    // the last tick's stamp: dense-stream detection
  bool dense_ = false;                   // the last two ticks were published < dense_backoff_ns apart
  bool held_ = false;                    // try_next() is holding back a dense stream's newest ticks
  std::uint64_t hold_since_ns_ = 0;      // when the ticks held back now began to be held (0: none)
  std::uint64_t margin_ = 0;             // dense_margin, clamped to the ring
  std::uint64_t read_limit_ = kNoLimit;  // dense: ticks below it are read without looking at the head
  bool waited_ = false;                  // we waited for a feed: read its epoch from tick 0
  FeedStatus status_ = FeedStatus::kWaiting;
  std::uint64_t next_maintain_ns_ = 0, next_stats_ns_ = 0, next_attach_ns_ = 0;
  std::uint32_t since_maintain_ = 0;
  std::string last_refusal_;
  LatencyHistogram hist_;
  const std::atomic<bool>* stop_ = nullptr;
  std::function<void(const SubscriberEvent&)> on_event_;
};

}  // namespace tickshm
