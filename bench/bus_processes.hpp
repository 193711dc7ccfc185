// The processes of a run over the tickshm bus: the writer (a Publisher driven by one of several loops)
// and the readers (Subscribers timing, counting or idling), each forked by the run that needs it.
#pragma once

#include <cstdint>
#include <string>

#include "harness.hpp"
#include "scenarios.hpp"

namespace tickshm::bench {

// kPaced: latency runs, one tick at each scheduled time; kPacedBursts: a lossless-throughput trial,
// bursts of kBatch on a schedule; kFlatOut: one wake per batch; kFlatOutWakeEveryTick: the writer-cost
// runs; kPacedWakeCost: kPaced with the time in publish + wake and the readers asleep at each tick
// counted; kIdle: a live feed that publishes nothing.
enum class WriterLoop { kPaced, kPacedBursts, kPacedWakeCost, kFlatOut, kFlatOutWakeEveryTick, kIdle };
// kDieAfterAttach: a reader SIGKILLed once registered, its slot left behind.
enum class ReaderRole { kLatency, kThroughput, kIdle, kDieAfterAttach };

// The writer: creates the segment, waits for `readers` to attach, runs `loop` (for `seconds` where it
// is timed), then waits for `readers_finishing` to drain it. Returns the process's exit code.
int shm_writer(const Config& c, const std::string& seg, WriterLoop loop, std::uint32_t readers,
               std::uint32_t readers_finishing, double seconds, SharedBlock& b);
// Reader `index`: attaches, reports ready, then reads in its role until the writer is done.
int shm_reader(const Config& c, const std::string& seg, WaitStrategy w, ReaderRole role, double idle_s,
               std::size_t index, SharedBlock& b);

}  // namespace tickshm::bench
