// `tickshm-bridge out`: a registered reader of the local feed that publishes its ticks to NATS in batches.
#pragma once

#include <atomic>

#include "options.hpp"

namespace tickshm::bridge {

// Runs until *stop; returns the exit code.
int run_out(const Options& opts, const std::atomic<bool>& stop);

}  // namespace tickshm::bridge
