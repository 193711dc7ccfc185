// The ring read: seqlock copy of a slot, exact loss counting on a lap, the dense-stream margin and hold.
#include "tickshm/ring_cursor.hpp"

#include <algorithm>
#include <atomic>

#include "tickshm/clock.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {

void RingCursor::start(const DataView& data, std::uint64_t from) noexcept {
  total_received_ += received_;
  total_lost_ += lost_;
  received_ = lost_ = 0;
  cursor_ = joined_at_ = from;
  ring_ = data.ring();
  mask_ = data.ring_mask();
  symbol_count_ = data.symbol_count();
  write_cursor_ = data.write_cursor_word();
  margin_ = std::min(tune_.margin, (mask_ + 1) / 4);
  read_limit_ = kNoLimit;
  dense_ = held_ = false;
  hold_since_ns_ = 0;
}

bool RingCursor::behind() const noexcept {
  return observe(*write_cursor_) > cursor_;
}

bool RingCursor::behind_seq_cst() const noexcept {
  return aref(*write_cursor_).load(std::memory_order_seq_cst) > cursor_;
}

RingCursor::Read RingCursor::read_slot(std::uint64_t s, TickRecord& out) const noexcept {
  const TickRecord& slot = ring_[s & mask_];
  const std::uint64_t w1 = observe(slot.seq);  // pairs with the writer's SYNC POINT P2
  if (w1 == seq_published(s)) {
    load_words<sizeof(TickRecord) - sizeof(std::uint64_t)>(&out.publish_ns, &slot.publish_ns);
    // Keeps the payload loads above from being satisfied after the re-check below.
    std::atomic_thread_fence(std::memory_order_acquire);
    const std::uint64_t w2 = load_relaxed(slot.seq);
    if (w2 == w1) {
      out.seq = s;
      return Read::kOk;
    }
    return Read::kLapped;  // the writer came round and overwrote the slot during our copy
  }
  // Below: tick s is not published yet (older tick, or being written). Above: a newer lap holds the slot.
  return w1 < seq_published(s) ? Read::kEmpty : Read::kLapped;
}

void RingCursor::skip_lapped() noexcept {
  // The slot holds tick cursor_ + k*capacity (k >= 1), so the writer's cursor is at least cursor_ +
  // capacity. Everything older than cursor - capacity + 1 has been or is being overwritten.
  const std::uint64_t c = observe(*write_cursor_);
  const std::uint64_t cap = mask_ + 1;
  std::uint64_t oldest = c > cap ? c - cap + 1 : 0;
  if (oldest <= cursor_) oldest = cursor_ + 1;
  lost_ += oldest - cursor_;
  cursor_ = oldest;
}

bool RingCursor::published_at(std::uint64_t s) const noexcept {
  // Only a hint where the head is (a later lap counts too): read_slot() still checks every tick.
  return load_relaxed(ring_[s & mask_].seq) >= seq_published(s);
}

bool RingCursor::extend_read_limit() noexcept {
  // Reading a dense stream: stay a margin short of the head, so our loads and the prefetches they
  // train stay off the lines being written. Slot words tell where the head is, not the write cursor:
  // the writer stores its cursor every tick, so each look at it costs the writer a cross-core
  // invalidation, while a published slot is not written again for a lap.
  held_ = false;
  if (published_at(cursor_ + 2 * margin_)) {
    read_limit_ = cursor_ + margin_ + 1;  // the head is past cursor + 2 margins: read one margin's worth
    hold_since_ns_ = 0;
    return true;
  }
  // Within two margins, and a sixteenth of a margin or more waiting (a fast writer): hold them back
  // until held hold_ns by our own clock, then read to the head. Our clock, not the ticks' stamps: a
  // writer slowed down has old-looking ticks, and reading those to the head would keep us on the
  // lines being written and the writer slow. Fewer waiting: a moderate stream, read to the head now.
  if (published_at(cursor_ + std::max<std::uint64_t>(margin_ / 16, 1))) {
    const std::uint64_t now = now_ns();
    if (hold_since_ns_ == 0) hold_since_ns_ = now;
    if (now - hold_since_ns_ < tune_.hold_ns) {
      held_ = true;
      return false;
    }
  }
  hold_since_ns_ = 0;
  read_limit_ = kNoLimit;  // to the head; try_next() starts looking again once it is there
  return true;
}

bool RingCursor::try_next(TickRecord& out, bool verify) noexcept {
  if (ring_ == nullptr) return false;
  for (;;) {
    if (cursor_ >= read_limit_ && !extend_read_limit()) return false;
    const Read r = read_slot(cursor_, out);
    if (r == Read::kEmpty) {
      if (dense_ && margin_ != 0) read_limit_ = cursor_;  // at the head: keep the margin from here
      return false;
    }
    if (r == Read::kLapped) {
      skip_lapped();
      continue;
    }
    ++cursor_;
    ++received_;
    const bool dense = out.publish_ns - last_publish_ns_ < tune_.backoff_ns;  // going back: not dense
    last_publish_ns_ = out.publish_ns;
    if (dense != dense_) {
      dense_ = dense;
      read_limit_ = dense && margin_ != 0 ? cursor_ : kNoLimit;  // dense: look at the head first
    }
    if (out.symbol >= symbol_count_ ||
        (verify && ((out.flags & kTickFlagChecksum) == 0 || tick_checksum(out.seq, out) != out.checksum))) {
      ++verify_errors_;
      continue;  // never hand out an index the directory lacks, nor a tick that failed its checksum
    }
    return true;
  }
}

}  // namespace tickshm
