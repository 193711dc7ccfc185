// Log-linear latency histogram: 64 sub-buckets per power of two, <= 0.8% error, no allocation per record.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace tickshm {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBits = 6;
  static constexpr std::uint64_t kSub = 1ULL << kSubBits;  // 64
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) * kSub;

  // Values below 64 have exact buckets; above, a bucket spans 1/64 of its power of two.
  static constexpr std::size_t bucket_of(std::uint64_t v) noexcept {
    if (v < kSub) return static_cast<std::size_t>(v);
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(v));
    const unsigned shift = msb - kSubBits;
    return static_cast<std::size_t>((shift + 1) * kSub + ((v >> shift) - kSub));
  }
  static constexpr std::uint64_t bucket_low(std::size_t b) noexcept {
    if (b < kSub) return b;
    const std::uint64_t e = b / kSub;
    return (b % kSub + kSub) << (e - 1);
  }
  static constexpr std::uint64_t bucket_width(std::size_t b) noexcept {
    return b < kSub ? 1 : 1ULL << (b / kSub - 1);
  }

  void record(std::uint64_t v) noexcept {
    ++counts_[bucket_of(v)];
    ++count_;
    max_ = std::max(max_, v);
    min_ = std::min(min_, v);
  }

  // The value at quantile q in [0, 1]: the midpoint of the bucket holding rank ceil(q * count),
  // clamped to the exact min and max. 0 when empty.
  std::uint64_t percentile(double q) const noexcept {
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.999999);
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= rank) {
        const std::uint64_t mid = bucket_low(b) + (bucket_width(b) - 1) / 2;
        return std::clamp(mid, min_, max_);
      }
    }
    return max_;
  }

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t max() const noexcept { return count_ ? max_ : 0; }
  std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  void reset() noexcept { *this = LatencyHistogram{}; }
  void merge(const LatencyHistogram& o) noexcept {
    for (std::size_t b = 0; b < kBuckets; ++b) counts_[b] += o.counts_[b];
    count_ += o.count_;
    max_ = std::max(max_, o.max_);
    min_ = std::min(min_, o.min_);
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = UINT64_MAX;
};

struct LatencySummary {
  std::uint64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0, count = 0;
};

inline LatencySummary summarize(const LatencyHistogram& h) noexcept {
  return {h.percentile(0.50), h.percentile(0.99), h.percentile(0.999), h.max(), h.count()};
}

}  // namespace tickshm
