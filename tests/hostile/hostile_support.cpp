// Hostile-input tests' helpers: planting files under tickshm's names and running every program on them.
#include "hostile_support.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/publisher.hpp"

namespace tickshm::test {
namespace {

std::string read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("open " + path);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

struct ValidImages {
  std::string data, control;
  ValidImages() {
    const std::string feed = unique_segment("image");
    ShmGuard guard(feed);
    PublisherOptions po;
    po.segment = feed;
    po.symbols = {{"AAPL", 1'850'000, 100}, {"MSFT", 4'000'000, 100}};
    po.ring_capacity = 8;
    po.verify = true;
    auto pub = Publisher::create(po);
    if (!pub) throw std::runtime_error(pub.error().message);
    for (std::uint32_t i = 0; i < 12; ++i) {
      TickRecord t{};
      t.publish_ns = now_ns();
      t.symbol = i % 2;
      t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
      t.bid = 1'849'900;
      t.ask = 1'850'100;
      pub->publish(t);
    }
    data = read_file(shm_file(feed));
    control = read_file(shm_file(feed, ".ctl"));
  }
};

const ValidImages& images() {
  static const ValidImages v;
  return v;
}

}  // namespace

std::string shm_file(const std::string& feed, const std::string& suffix) {
  return "/dev/shm/tickshm." + feed + suffix;
}

void plant(const std::string& path, const std::string& bytes, mode_t mode) {
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("create " + path);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) throw std::runtime_error("write " + path);
    done += static_cast<std::size_t>(n);
  }
  (void)::fchmod(fd, mode);  // the umask must not narrow the planted mode
  ::close(fd);
}

const std::string& valid_data_bytes() {
  return images().data;
}
const std::string& valid_control_bytes() {
  return images().control;
}

std::string ProgramRun::describe() const {
  return program + " exited " + std::to_string(code) + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
}

ProgramRun run_program(const std::string& program, const std::vector<std::string>& args, int as_uid,
                       int timeout_ms) {
  std::string exe = bin_path(program);
  std::vector<std::string> argv = args;
  if (as_uid >= 0) {
    const std::string id = std::to_string(as_uid);
    argv.insert(argv.begin(), {"--reuid=" + id, "--regid=" + id, "--clear-groups", "--", exe});
    exe = "/usr/bin/setpriv";
  }
  RunResult r = run(exe, argv, std::chrono::milliseconds(timeout_ms));
  ProgramRun p;
  p.program = program;
  p.code = r.code.value_or(-1);
  p.out = std::move(r.out);
  p.err = std::move(r.err);
  return p;
}

ProgramRun run_stat(const std::string& feed, int as_uid) {
  return run_program("tickshm-stat", {"--segment", feed}, as_uid);
}

ProgramRun run_dash(const std::string& feed, int as_uid) {
  return run_program("tickshm-dash",
                     {"--snapshot", "--snapshot-ms", "300", "--width", "160", "--segment", feed}, as_uid);
}

ProgramRun run_algo(const std::string& feed, int as_uid, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--segment", feed, "--duration", "1.2", "--verify"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_program("tickshm-algo", args, as_uid);
}

ProgramRun run_feed(const std::string& feed, const std::vector<std::string>& extra, int as_uid) {
  std::vector<std::string> args = {"--segment", feed};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_program("tickshm-feed", args, as_uid);
}

bool is_root() {
  return ::geteuid() == 0;
}

bool can_run_as(int uid) {
  return is_root() && run_program("tickshm-stat", {"--version"}, uid, 10000).code == 0;
}

bool programs_built() {
  for (const char* p : {"tickshm-feed", "tickshm-algo", "tickshm-dash", "tickshm-stat"}) {
    if (!std::filesystem::exists(bin_path(p))) return false;
  }
  return true;
}

}  // namespace tickshm::test
