// Ordering idioms for shared memory: publish/observe, relaxed word copies, and the seqlock steps.
// Everything in a segment is a plain POD field accessed through std::atomic_ref, so no access is a
// data race in the C++ memory model (Boehm 2012, "Can seqlocks get along with programming language
// memory models?").
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace tickshm {

// Loads on read-only mappings go through atomic_ref<T>, which C++20 only offers for non-const T.
// A load never writes, so casting const away here is sound for the 4- and 8-byte types we use.
template <class T>
std::atomic_ref<T> aref(const T& shared) noexcept {
  return std::atomic_ref<T>(const_cast<T&>(shared));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

// publish: everything written before is visible to whoever observes this store.
template <class T>
void publish(T& shared, T value) noexcept {
  aref(shared).store(value, std::memory_order_release);
}

// observe: pairs with publish(); what was written before the publish is visible after this load.
template <class T>
T observe(const T& shared) noexcept {
  return aref(shared).load(std::memory_order_acquire);
}

// Counters and fields whose readers only need the value itself, not anything written before it.
template <class T>
T load_relaxed(const T& shared) noexcept {
  return aref(shared).load(std::memory_order_relaxed);
}
template <class T>
void store_relaxed(T& shared, T value) noexcept {
  aref(shared).store(value, std::memory_order_relaxed);
}

// ThreadSanitizer does not model atomic_thread_fence. Under TSan the payload words carry the
// ordering themselves (release stores, acquire loads) so its happens-before view matches the fenced
// protocol; on x86-64 both compile to plain moves anyway.
#if defined(__SANITIZE_THREAD__)
inline constexpr std::memory_order kPayloadStore = std::memory_order_release;
inline constexpr std::memory_order kPayloadLoad = std::memory_order_acquire;
#else
inline constexpr std::memory_order kPayloadStore = std::memory_order_relaxed;
inline constexpr std::memory_order kPayloadLoad = std::memory_order_relaxed;
#endif

// One payload field of a seqlocked record (stored between seqlock_write_begin and _end).
template <class T>
void store_payload(T& shared, T value) noexcept {
  aref(shared).store(value, kPayloadStore);
}

// Payload copies as 8-byte atomic words: a torn copy is possible (the seqlock detects it), a data
// race is not. Both pointers must be 8-byte aligned and bytes a multiple of 8.
inline void store_words(void* shared_dst, const void* src, std::size_t bytes) noexcept {
  auto* d = static_cast<std::uint64_t*>(shared_dst);
  const auto* s = static_cast<const std::uint64_t*>(src);
  for (std::size_t i = 0; i < bytes / 8; ++i) aref(d[i]).store(s[i], kPayloadStore);
}
inline void load_words(void* dst, const void* shared_src, std::size_t bytes) noexcept {
  auto* d = static_cast<std::uint64_t*>(dst);
  const auto* s = static_cast<const std::uint64_t*>(shared_src);
  for (std::size_t i = 0; i < bytes / 8; ++i) d[i] = aref(s[i]).load(kPayloadLoad);
}

// The same for a size known at compile time, unrolled: one move per word, straight from and into
// registers. GCC does not unroll the loops above (atomic accesses), and the hot paths (a tick, a quote
// record) would otherwise go through a stack copy and a loop of seven or twelve iterations.
namespace detail {
template <std::size_t... I>
inline void store_each(std::uint64_t* d, const std::uint64_t* s, std::index_sequence<I...>) noexcept {
  (aref(d[I]).store(s[I], kPayloadStore), ...);
}
template <std::size_t... I>
inline void load_each(std::uint64_t* d, const std::uint64_t* s, std::index_sequence<I...>) noexcept {
  ((d[I] = aref(s[I]).load(kPayloadLoad)), ...);
}
}  // namespace detail
template <std::size_t Bytes>
inline void store_words(void* shared_dst, const void* src) noexcept {
  static_assert(Bytes % 8 == 0, "whole 8-byte words");
  detail::store_each(static_cast<std::uint64_t*>(shared_dst), static_cast<const std::uint64_t*>(src),
                     std::make_index_sequence<Bytes / 8>{});
}
template <std::size_t Bytes>
inline void load_words(void* dst, const void* shared_src) noexcept {
  static_assert(Bytes % 8 == 0, "whole 8-byte words");
  detail::load_each(static_cast<std::uint64_t*>(dst), static_cast<const std::uint64_t*>(shared_src),
                    std::make_index_sequence<Bytes / 8>{});
}

// Seqlock writer, single writer per record. `seq` is even when the record is whole.
// Returns the odd value now stored; pass it to seqlock_write_end.
inline std::uint64_t seqlock_write_begin(std::uint64_t& seq) noexcept {
  const std::uint64_t odd =
      load_relaxed(seq) + 1;  // only this writer stores seq: relaxed reads its own value
  store_relaxed(seq, odd);
  // Keeps the payload stores below from becoming visible before the odd sequence word.
  std::atomic_thread_fence(std::memory_order_release);
  return odd;
}
inline void seqlock_write_end(std::uint64_t& seq, std::uint64_t odd) noexcept {
  publish(seq, odd + 1);
}

// Seqlock reader: copies `bytes` at `shared_src` into `dst` if no write overlapped the copy.
inline bool seqlock_try_read(const std::uint64_t& seq, void* dst, const void* shared_src,
                             std::size_t bytes) noexcept {
  const std::uint64_t s1 = observe(seq);
  if (s1 & 1) return false;
  load_words(dst, shared_src, bytes);
  // Keeps the payload loads above from being satisfied after the re-check of seq below.
  std::atomic_thread_fence(std::memory_order_acquire);
  return load_relaxed(seq) == s1;
}

}  // namespace tickshm
