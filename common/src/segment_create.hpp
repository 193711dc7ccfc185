// The steps of creating a feed's segments once its name is held: the epoch, reserving the pages, the
// control segment, and the two headers (everything but the data segment's state word).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// A random non-zero epoch (getrandom, else time and pid): readers tell a restarted feed by it.
std::uint64_t new_epoch();

// Sizes the file and reserves its pages now, so a full /dev/shm is an error at start (kNoSpace, naming
// what is needed and what is free) and never a SIGBUS later.
[[nodiscard]] Status reserve(int fd, std::uint64_t size, const std::string& path);

// The control segment, created afresh beside the data segment we hold. Readers claim slots in it, so
// whoever may read the data may write the control: its mode adds group/other write to data_mode's reads.
[[nodiscard]] Result<Fd> create_control_segment(mode_t data_mode, const std::string& ctl_path);

void write_control_header(ControlHeader& c, std::uint64_t epoch, std::int32_t pid);

// Everything but the state word, which publishes the rest (SYNC POINT C1 in Publisher::create()).
void write_data_header(std::byte* base, const PublisherOptions& o, const DataGeometry& g, std::uint64_t epoch,
                       std::int32_t pid);

}  // namespace tickshm
