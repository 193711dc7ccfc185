// `tickshm-bridge in`: subscribes to a remote feed over NATS and is the single writer of a local segment.
#pragma once

#include <atomic>

#include "options.hpp"

namespace tickshm::bridge {

// Runs until *stop; returns the exit code.
int run_in(const Options& opts, const std::atomic<bool>& stop);

}  // namespace tickshm::bridge
