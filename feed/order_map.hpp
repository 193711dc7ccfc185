// The live orders of an ITCH replay: an open-addressing hash map from order reference number to
// (book, side, price, shares), sized once from the file so the steady state never allocates.
#pragma once

#include <cstdint>
#include <vector>

namespace tickshm::feed {

struct LiveOrder {
  std::uint64_t ref;
  std::uint32_t price;
  std::uint32_t shares;
  std::uint32_t book;  // index of the stock's book
  std::uint8_t side;   // 'B' or 'S'
};

// Linear probing with backward-shift deletion (no tombstones, so a long replay of adds and deletes
// does not slowly fill the table). Grows by doubling at 3/4 load: only when the file's estimate of
// live orders was short, never per message in the steady state.
class OrderMap {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // a reference no file may use

  explicit OrderMap(std::uint64_t expected_live = 1024) { reset(expected_live); }

  void reset(std::uint64_t expected_live) {
    std::uint64_t cap = 1024;
    while (cap < expected_live + expected_live / 2) cap <<= 1;  // load <= 2/3 at the estimate
    slots_.assign(cap, LiveOrder{kEmpty, 0, 0, 0, 0});
    set_mask();
    size_ = 0;
  }

  LiveOrder* find(std::uint64_t ref) noexcept {
    for (std::uint64_t i = home(ref);; i = (i + 1) & mask_) {
      LiveOrder& s = slots_[i];
      if (s.ref == ref) return &s;
      if (s.ref == kEmpty) return nullptr;
    }
  }

  // False when ref is already live (the caller counts the duplicate) or is kEmpty.
  bool insert(const LiveOrder& o) {
    if (o.ref == kEmpty) return false;
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (std::uint64_t i = home(o.ref);; i = (i + 1) & mask_) {
      LiveOrder& s = slots_[i];
      if (s.ref == o.ref) return false;
      if (s.ref == kEmpty) {
        s = o;
        ++size_;
        return true;
      }
    }
  }

  // Removes the entry `o` points at (from find()).
  void erase(LiveOrder* o) noexcept {
    auto i = static_cast<std::uint64_t>(o - slots_.data());
    // Backward shift: pull later members of the probe run into the hole while that keeps them
    // reachable from their home slot.
    for (std::uint64_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      LiveOrder& s = slots_[j];
      if (s.ref == kEmpty) break;
      const std::uint64_t h = home(s.ref);
      // s may move to i when i lies cyclically in [h, j).
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = s;
        i = j;
      }
    }
    slots_[i].ref = kEmpty;
    --size_;
  }

  template <class F>
  void for_each(F&& f) const {
    for (const LiveOrder& o : slots_) {
      if (o.ref != kEmpty) f(o);
    }
  }

  std::uint64_t size() const noexcept { return size_; }
  std::uint64_t capacity() const noexcept { return slots_.size(); }
  std::uint64_t grows() const noexcept { return grows_; }

 private:
  std::uint64_t home(std::uint64_t ref) const noexcept {
    return (ref * 0x9E3779B97F4A7C15ULL) >> shift_;  // Fibonacci hashing: sequential refs spread out
  }
  void set_mask() noexcept {
    mask_ = slots_.size() - 1;
    shift_ = static_cast<unsigned>(__builtin_clzll(slots_.size()) + 1);  // 64 - log2(capacity)
  }
  void grow() {
    std::vector<LiveOrder> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, LiveOrder{kEmpty, 0, 0, 0, 0});
    set_mask();
    size_ = 0;
    ++grows_;
    for (const LiveOrder& o : old) {
      if (o.ref != kEmpty) (void)insert(o);
    }
  }

  std::vector<LiveOrder> slots_;
  std::uint64_t mask_ = 0;
  unsigned shift_ = 64;
  std::uint64_t size_ = 0;
  std::uint64_t grows_ = 0;
};

}  // namespace tickshm::feed
