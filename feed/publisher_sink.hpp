// Where the publishing loop's ticks go in the real program: the Publisher (with its heartbeat and the
// once-a-second log line), optionally recorded to CSV and ITCH as well, and the wall clock it paces by.
#pragma once

#include <cstdint>

#include "csv_recorder.hpp"
#include "itch_recorder.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"

namespace tickshm::feed {

// now() stays inline: the loop stamps every batch with it.
struct RealClock {
  std::uint64_t now() const noexcept { return now_ns(); }
  void sleep_until(std::uint64_t t) const noexcept;  // returns early on a signal
};

class PublisherSink {
 public:
  explicit PublisherSink(Publisher& pub) : pub_(pub) {}
  void publish(const TickRecord& t) noexcept { pub_.publish(t); }
  void wake_sleepers() noexcept { pub_.wake_sleepers(); }
  // Off the hot path, a few times a second: heartbeat, damage warning, statistics line.
  void maintain(std::uint64_t now, std::uint64_t published, bool paused);

 private:
  bool damage_logged_ = false;
  Publisher& pub_;
  std::uint64_t next_stats_ = 0;
  std::uint64_t last_stats_ns_ = 0;
  std::uint64_t last_published_ = 0;
};

// Records every published tick to CSV (--record) and/or ITCH (--record-itch) as well; a separate type
// so the plain path pays nothing.
template <class Inner>
class RecordingSink {
 public:
  RecordingSink(Inner& inner, CsvRecorder* rec, ItchRecorder* itch) : inner_(inner), rec_(rec), itch_(itch) {}
  void publish(const TickRecord& t) {
    inner_.publish(t);
    if (rec_ != nullptr) rec_->write(t);
    if (itch_ != nullptr) itch_->write(t);
  }
  void wake_sleepers() noexcept { inner_.wake_sleepers(); }
  void maintain(std::uint64_t now, std::uint64_t published, bool paused) {
    inner_.maintain(now, published, paused);
  }

 private:
  Inner& inner_;
  CsvRecorder* rec_;
  ItchRecorder* itch_;
};

}  // namespace tickshm::feed
