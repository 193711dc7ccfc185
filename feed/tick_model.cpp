// The rare path the price models share.
#include "tick_model.hpp"

#include <cmath>

namespace tickshm::feed {

double decay_excitation(double& excite, double dt_ns) noexcept {
  excite *= std::exp(-dt_ns / kExciteDecayNs);
  if (excite < 1e-3) excite = 0;
  return excite;
}

}  // namespace tickshm::feed
