// Fuzz target: the feed's CSV replay file path: scan_replay (pass one, skip mode) then ReplaySource
// (pass two) over the input as a file. Slower than fuzz_csv_replay (each reader takes a 1 MiB buffer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "csv_replay.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickshm::feed;
  const tickshm::fuzz::MemFile file(data, size);
  auto scan = scan_replay(file.path(), BadRowPolicy::kSkip, [](const std::string& msg) {
    if (msg.empty()) __builtin_trap();
  });
  if (!scan) {
    if (scan.error().message.empty()) __builtin_trap();
    return 0;
  }
  auto src = ReplaySource::open(file.path(), scan.value());
  if (!src) return 0;
  tickshm::TickRecord t{};
  std::uint64_t n = 0;
  while (src->next(t)) {
    if (t.symbol >= scan->symbols.size()) __builtin_trap();  // every tick names a scanned symbol
    ++n;
  }
  if (n != scan->rows) __builtin_trap();  // pass two replays exactly the rows pass one counted
  return 0;
}
