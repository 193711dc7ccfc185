// Timing tickshm-feed flat out: the binary run N times, its rate read from its own output.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>
#include <sstream>
#include <thread>

#include "run_common.hpp"

namespace tickshm::bench {

namespace {

FeedOutcome run_feed_once(const Config& c, const std::string& binary, std::uint64_t count,
                          const std::vector<std::string>& extra) {
  FeedOutcome out;
  out.ran = true;
  out.binary = binary;
  out.count = count;
  const std::string seg = unique_segment(c.prefix, "feed");
  int pfd[2];
  if (pipe(pfd) != 0) {
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  Workers w;
  const std::string count_s = std::to_string(count);
  w.spawn(c.cpus.writer(), [&] {
    dup2(pfd[1], 1);
    dup2(pfd[1], 2);
    close(pfd[0]);
    close(pfd[1]);
    std::vector<std::string> args{binary, "--segment", seg, "--rate", "max", "--count", count_s};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    std::fprintf(stderr, "exec %s: %s\n", binary.c_str(), std::strerror(errno));
    return 127;
  });
  close(pfd[1]);
  // Reads the child's output while it runs, so a chatty feed cannot fill the pipe and stall.
  std::string text;
  std::thread drain([&] {
    char buf[4096];
    for (;;) {
      const ssize_t r = read(pfd[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      text.append(buf, static_cast<std::size_t>(r));
    }
  });
  std::atomic<bool> abort{false};
  const bool exited = w.wait_all(c.timeout_ns(static_cast<double>(count) / 1e6), &abort);
  drain.join();
  close(pfd[0]);
  remove_segment(seg);
  // The last lines are the summary; keep them for the report.
  std::istringstream lines(text);
  std::vector<std::string> all;
  for (std::string l; std::getline(lines, l);) all.push_back(l);
  for (std::size_t i = all.size() > 4 ? all.size() - 4 : 0; i < all.size(); ++i) out.summary += all[i] + "\n";
  if (!exited) {
    out.error = "feed timed out or was interrupted";
    return out;
  }
  // Accepts "12.3 M ticks/s", "12.3M/s", "12300000 ticks/s", "rate 12.3 Mticks/s" and the like; the last
  // wins.
  static const std::regex kRate(
      R"(([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG])?\s*(?:ticks?|msgs?|records?)?\s*/\s*s)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kRate); it != std::sregex_iterator(); ++it) {
    double v = std::stod((*it)[1].str());
    const std::string unit = (*it)[2].str();
    if (unit == "k" || unit == "K") v *= 1e3;
    if (unit == "m" || unit == "M") v *= 1e6;
    if (unit == "g" || unit == "G") v *= 1e9;
    out.rate_per_s = v;
  }
  out.ok = out.rate_per_s > 0;
  if (!out.ok) out.error = "no rate (N ticks/s) found in the feed's output";
  return out;
}
}  // namespace

FeedOutcome run_feed(const Config& c, const std::string& binary, std::uint64_t count, std::uint32_t runs,
                     const std::vector<std::string>& extra) {
  FeedOutcome out;
  for (std::uint32_t i = 0; i < std::max<std::uint32_t>(runs, 1); ++i) {
    FeedOutcome one = run_feed_once(c, binary, count, extra);
    out.ran = one.ran;
    out.binary = one.binary;
    out.count = one.count;
    out.summary = one.summary;
    if (!one.ok) {
      out.ok = false;
      out.error = one.error;
      return out;
    }
    out.run_rates.push_back(one.rate_per_s);
  }
  out.rate_per_s = median(out.run_rates);
  out.ok = true;
  return out;
}

}  // namespace tickshm::bench
