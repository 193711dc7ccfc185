// The strategy interface: a stance per symbol from its price series, and the registry of strategies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace tickshm::algo {

// What the strategy wants held in a symbol now. kNone: no opinion, keep what is held.
enum class Signal : std::int8_t { kNone = 0, kLong, kShort, kFlat };
std::string_view signal_name(Signal s) noexcept;

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Sizes per-symbol state for a feed epoch with `symbols` symbols and forgets all history (a new
  // epoch is a new price series). Allocates; never called per tick.
  virtual void reset(std::uint32_t symbols) = 0;
  // The next price of `symbol` (< the count given to reset). Hot path: no allocation, no system call.
  virtual Signal on_price(std::uint32_t symbol, std::int64_t price) noexcept = 0;
  // Why the last on_price of `symbol` gave its signal, in a few words with the indicator values
  // ("fast 187.21 > slow 187.05"), written NUL-terminated into out[0..cap). Called once per order,
  // never per tick; no allocation. Implementations snprintf into `out` because it is the fill record's
  // fixed-size reason field, written in place inside a noexcept call on the trading path.
  virtual void explain(std::uint32_t symbol, char* out, std::size_t cap) const noexcept = 0;
};

// Describes one strategy: its name, its command-line parameters (bound to the factory itself), and
// how to build it. Adding a strategy = one .cpp file with a factory + one line in strategy_registry.cpp.
class StrategyFactory {
 public:
  virtual ~StrategyFactory() = default;
  virtual std::string_view name() const = 0;     // "sma-cross"
  virtual std::string_view summary() const = 0;  // one line for --help
  // Adds the parameters to `group` (an option group of the app); records them in options_.
  virtual void add_options(CLI::App& group) = 0;
  // Checks between parameters after parsing (fast < slow ...): a message for a usage error.
  virtual std::optional<std::string> validate() const = 0;
  virtual std::string params() const = 0;  // "fast=10 slow=30", for the log, status and report
  virtual std::unique_ptr<Strategy> make() const = 0;
  const std::vector<CLI::Option*>& options() const noexcept { return options_; }

 protected:
  std::vector<CLI::Option*> options_;
};

// Every strategy, in registration order; fresh factories (their parameters at defaults).
std::vector<std::unique_ptr<StrategyFactory>> make_strategy_factories();
std::vector<std::string> strategy_names();

}  // namespace tickshm::algo
