// Shared helpers for common/ tests: a publisher on a unique segment and tick construction.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::test {

inline std::vector<SymbolSpec> test_symbols(std::size_t n = 4) {
  std::vector<SymbolSpec> v;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back({"SYM" + std::to_string(i), 1'000'000 + 10'000 * std::int64_t(i), 100});
  return v;
}

inline PublisherOptions publisher_options(const std::string& seg, std::uint64_t ring = 1024,
                                          bool verify = false) {
  PublisherOptions o;
  o.segment = seg;
  o.symbols = test_symbols();
  o.ring_capacity = ring;
  o.verify = verify;
  return o;
}

// A tick whose every payload field is a function of its sequence number, so a reader can check it whole.
inline TickRecord make_tick(std::uint64_t s, std::uint32_t symbols = 4) {
  TickRecord t{};
  t.publish_ns = now_ns();
  t.event_ns = s * 3 + 7;
  t.symbol = static_cast<std::uint32_t>(s % symbols);
  t.kind = static_cast<std::uint8_t>(s % 2 ? TickKind::kTrade : TickKind::kQuote);
  t.bid = static_cast<std::uint32_t>(1'000'000 + s % 1000);
  t.ask = t.bid + 100;
  t.price = s % 2 ? t.bid + 50 : 0;
  t.size = s % 2 ? static_cast<std::uint32_t>(100 * (1 + s % 7)) : 0;
  t.bid_size = static_cast<std::uint32_t>(s & 0xFFFF);
  t.ask_size = static_cast<std::uint32_t>((s >> 16) & 0xFFFF);
  return t;
}

inline bool tick_matches(const TickRecord& t, std::uint64_t s, std::uint32_t symbols = 4) {
  const TickRecord e = make_tick(s, symbols);
  return t.event_ns == e.event_ns && t.symbol == e.symbol && t.kind == e.kind && t.bid == e.bid &&
         t.ask == e.ask && t.price == e.price && t.size == e.size && t.bid_size == e.bid_size &&
         t.ask_size == e.ask_size;
}

inline SubscriberOptions subscriber_options(const std::string& seg, WaitStrategy w = WaitStrategy::kSpin) {
  SubscriberOptions o;
  o.segment = seg;
  o.name = "test-reader";
  o.role = "test";
  o.wait = w;
  return o;
}

// The body of a reader process: reads until `done`, storing its received count after every tick.
// Returns 2 if the reader cannot be created, else 0.
inline int read_until_done(const SubscriberOptions& o, const std::atomic<bool>& done,
                           std::atomic<std::uint64_t>& received) {
  auto sub = Subscriber::create(o);
  if (!sub.ok()) return 2;
  sub->set_stop_flag(&done);  // no deadline: only `done` (or a tick) ends a wait
  TickRecord t{};
  while (!done.load()) {
    if (sub->next(t) == Subscriber::Next::kTick) received = sub->received();
  }
  return 0;
}

}  // namespace tickshm::test
