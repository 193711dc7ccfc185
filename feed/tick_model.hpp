// What both price models share: the batch loop, the symbols, the choice of the next symbol and the
// session clock; and two quoting rules, the mid on the tick grid and the spread's excitation after a
// jump.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "session_clock.hpp"
#include "symbol_picker.hpp"
#include "tickshm/layout.hpp"
#include "universe.hpp"

namespace tickshm::feed {

// Model (CRTP) provides std::uint32_t fill(TickRecord* out, std::uint32_t n): at most min(n, kBatch)
// ticks into out, every field but seq, publish_ns and checksum (0), returning how many (0 is fine:
// it may only have turned the clock). next_batch() loops over it and next() is a batch of one, so the
// flat-out loop (batches) and the paced modes (one at a time) see the same ticks bit for bit.
//
// Why batches. One tick's arithmetic is a single dependency chain over a hundred cycles long (draws
// -> symbol -> its state -> sqrt -> exp -> spread -> mid -> bid/ask -> record), and with a few hundred
// instructions a tick the core's reorder window holds little more than one, so tick by tick a model
// runs at the chain's latency. Passes over a batch break the chain into short ones with many
// independent instances in flight: the draws, the symbol and the clock first (the only state every
// tick advances), then the returns (independent of every other tick), then prices and the record
// (sequential only within one symbol). Every coin a tick tosses is a select, not a branch: a random
// branch mispredicts often and flushes the overlap.
template <class Model>
class TickModel {
 public:
  static constexpr std::uint32_t kBatch = 64;  // ticks per pass (the scratch arrays' length)

  // Fills out[0..n) and returns n: an endless source.
  std::uint32_t next_batch(TickRecord* out, std::uint32_t n) noexcept {
    for (std::uint32_t done = 0; done < n;) done += static_cast<Model*>(this)->fill(out + done, n - done);
    return n;
  }

  // One tick (paced modes): a batch of one.
  bool next(TickRecord& out) noexcept {
    next_batch(&out, 1);
    return true;
  }

  std::uint32_t symbol_count() const noexcept { return static_cast<std::uint32_t>(params_.size()); }
  const std::vector<SymbolParams>& symbols() const noexcept { return params_; }
  std::uint64_t trading_ns() const noexcept { return clock_.now; }   // simulated trading time elapsed
  std::uint64_t session() const noexcept { return clock_.session; }  // sessions completed

 protected:
  // what: the model's name for the error messages.
  TickModel(std::vector<SymbolParams> symbols, std::uint64_t session_ticks, std::uint64_t start_unix_ns,
            const char* what)
      : params_(std::move(symbols)), picker_(params_), clock_(start_unix_ns) {
    if (params_.empty()) throw std::invalid_argument(std::string(what) + ": no symbols");
    if (session_ticks == 0) throw std::invalid_argument(std::string(what) + ": session_ticks must be > 0");
  }

  std::vector<SymbolParams> params_;
  SymbolPicker picker_;
  SessionClock clock_;
};

// A quote on the tick grid around a fair value (in ticks). The mid is the fair value rounded half
// up: with h = floor(2 x fair), mid = (h + 1) / 2, and the fair value is below the mid exactly when h
// is odd; an odd spread puts its extra tick on the side where the fair value is.
struct GridQuote {
  std::int64_t mid;
  std::int64_t bid;
  std::int64_t ask;
};
inline GridQuote quote_on_grid(double fair, std::int64_t spread) noexcept {
  const auto h = static_cast<std::int64_t>(fair + fair);
  const std::int64_t mid = (h + 1) >> 1;
  const std::int64_t bid = mid - (spread >> 1) - (spread & h & 1);
  return {mid, bid, bid + spread};
}

// Spread in ticks = kSpreadK x volatility x price in ticks x sqrt(one simulated minute in years):
// about one tick for AAPL or KO, 3-7 ticks for UNH or NVDA, the order of magnitude of real US large
// caps.
inline constexpr double kSpreadK = 0.085;
// Quoted sizes: round lots with a Pareto tail of this exponent, up to kMaxLots (50,000 shares).
inline constexpr double kInsideQuoteLotsAlpha = 1.6;
inline constexpr std::uint32_t kMaxLots = 500;

// The spread triples right after a jump and relaxes over ~5 simulated minutes.
inline constexpr double kExciteAfterJump = 2.0;
inline constexpr double kExciteDecayNs = 300e9;

// Decays a spread excitation over dt trading ns (to 0 below 1e-3) and returns it. Rare: out of line.
double decay_excitation(double& excite, double dt_ns) noexcept;

}  // namespace tickshm::feed
