// The machine a tickshm-bench run was made on: date, CPU model, CPU count, kernel.
#include <sys/utsname.h>

#include <ctime>
#include <fstream>
#include <thread>

#include "report.hpp"

namespace tickshm::bench {

Machine describe_machine() {
  Machine m;
  char buf[64];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm);
  m.date = buf;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m.cpu_model = line.substr(colon + 2);
      break;
    }
  }
  m.online_cpus = std::thread::hardware_concurrency();
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

}  // namespace tickshm::bench
