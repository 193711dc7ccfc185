// The first step of creating a feed: taking its name under the single-writer lock (flock).
#pragma once

#include <string>

#include "tickshm/posix.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// Whoever holds flock on the file the data segment's name points to is the writer; the kernel drops
// the lock when that process dies, which is how a dead writer's segment is recognised and replaced.
// Returns the locked descriptor of a fresh, empty data segment (mode o.mode), or kAlreadyRunning
// naming the live writer.
[[nodiscard]] Result<Fd> take_writer_lock(const PublisherOptions& o, const std::string& data_path,
                                          const std::string& ctl_path);

}  // namespace tickshm
