// Hostile-input tests' helpers: planting files under tickshm's names and running every program on them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace tickshm::test {

// /dev/shm/tickshm.FEED plus suffix (".ctl", ".algo.ID").
std::string shm_file(const std::string& feed, const std::string& suffix = "");

// Writes bytes as a /dev/shm file (replacing any), with the given mode.
void plant(const std::string& path, const std::string& bytes, mode_t mode = 0600);

// The bytes of a real, valid data / control segment (2 symbols, ring of 8, verify on, 12 ticks
// published), taken from a Publisher of this process while it lived; the writer pid is this process.
const std::string& valid_data_bytes();
const std::string& valid_control_bytes();

// Overwrites a little-endian field of a segment image.
template <class T>
void poke(std::string& bytes, std::size_t offset, T value) {
  bytes.replace(offset, sizeof value, reinterpret_cast<const char*>(&value), sizeof value);
}

// One program run, with what it printed; code is the exit status, 128+N for signal N.
struct ProgramRun {
  std::string program;
  int code = -1;  // -1: timed out (killed)
  std::string out, err;
  std::string all() const { return out + err; }
  std::string describe() const;  // for assertion messages
};

// Runs bin/<program> args, as uid/gid `as_uid` when >= 0 (via setpriv; the caller checks root).
ProgramRun run_program(const std::string& program, const std::vector<std::string>& args, int as_uid = -1,
                       int timeout_ms = 30000);

// The readers' invocations on a feed: tickshm-stat, tickshm-dash --snapshot, tickshm-algo (for a
// short --duration, since a reader waits for a usable feed and logs why it cannot use this one).
ProgramRun run_stat(const std::string& feed, int as_uid = -1);
ProgramRun run_dash(const std::string& feed, int as_uid = -1);
ProgramRun run_algo(const std::string& feed, int as_uid = -1, const std::vector<std::string>& extra = {});
ProgramRun run_feed(const std::string& feed, const std::vector<std::string>& extra = {}, int as_uid = -1);

bool is_root();
// Root, and `uid` may execute the binaries (their folders are searchable by others).
bool can_run_as(int uid);
bool programs_built();  // all four binaries exist in bin/

}  // namespace tickshm::test
