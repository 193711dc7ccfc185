// Per-process CPU time from /proc, summed over the process's threads.
#include "cpu_time.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace tickshm::bench {

std::uint64_t process_cpu_ns(pid_t pid) {
  std::uint64_t total = 0;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& t : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream f(t.path() / "schedstat");
    std::uint64_t on_cpu_ns = 0;
    if (f >> on_cpu_ns) total += on_cpu_ns;
  }
  return total;
}

}  // namespace tickshm::bench
