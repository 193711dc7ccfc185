// The list of strategies: one line per strategy, X(file_stem), each defining make_<stem>_factory().
#include <string>

#include "strategy.hpp"

#define TICKSHM_ALGO_STRATEGIES(X) \
  X(sma_cross)                     \
  X(mean_revert)                   \
  X(momentum)

namespace tickshm::algo {

#define TICKSHM_DECLARE(stem) std::unique_ptr<StrategyFactory> make_##stem##_factory();
TICKSHM_ALGO_STRATEGIES(TICKSHM_DECLARE)
#undef TICKSHM_DECLARE

std::vector<std::unique_ptr<StrategyFactory>> make_strategy_factories() {
  std::vector<std::unique_ptr<StrategyFactory>> all;
#define TICKSHM_ADD(stem) all.push_back(make_##stem##_factory());
  TICKSHM_ALGO_STRATEGIES(TICKSHM_ADD)
#undef TICKSHM_ADD
  return all;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const auto& f : make_strategy_factories()) names.emplace_back(f->name());
  return names;
}

std::string_view signal_name(Signal s) noexcept {
  switch (s) {
    case Signal::kNone:
      return "none";
    case Signal::kLong:
      return "long";
    case Signal::kShort:
      return "short";
    case Signal::kFlat:
      return "flat";
  }
  return "?";
}

}  // namespace tickshm::algo
