// Fuzz target: random bytes planted in /dev/shm under a feed's names and read the way the programs
// read them: DataView/ControlView/read_algo_status, tickshm-stat's report (text and JSON) and the
// dashboard's sampler. Byte 0 picks the file the rest becomes: 0 the data segment, 1 the control
// segment (beside a valid data segment), 2 an algo status segment (beside valid data and control).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sampler.hpp"
#include "snapshot.hpp"
#include "stat_report.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/segment.hpp"

namespace {

using namespace tickshm;

std::vector<std::uint8_t> read_shm(const std::string& path) {
  const int fd = ::shm_open(path.c_str(), O_RDONLY, 0);
  if (fd < 0) std::abort();
  std::vector<std::uint8_t> out;
  std::uint8_t buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.insert(out.end(), buf, buf + n);
  ::close(fd);
  return out;
}

void write_shm(const std::string& path, const std::uint8_t* data, std::size_t size) {
  const int fd = ::shm_open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) std::abort();
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

struct Fixture {
  std::string hostile = "fz" + std::to_string(::getpid());  // the feed name the inputs are planted under
  std::vector<std::uint8_t> good_data, good_ctl;            // a valid feed's segments, copied at start

  Fixture() {
    PublisherOptions po;
    po.segment = hostile + "v";
    po.symbols = {{"AAPL", 1'850'000, 100}, {"MSFT", 4'000'000, 100}};
    po.ring_capacity = 8;
    po.verify = true;
    auto pub = Publisher::create(po);
    if (!pub) std::abort();
    for (std::uint32_t i = 0; i < 12; ++i) {
      TickRecord t{};
      t.publish_ns = now_ns();
      t.symbol = i % 2;
      t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
      t.bid = 1'849'900;
      t.ask = 1'850'100;
      pub->publish(t);
    }
    good_data = read_shm(data_segment_path(po.segment));
    good_ctl = read_shm(control_segment_path(po.segment));
    // The publisher unlinks its segments here; the copies name this (live) process as their writer.
  }
  ~Fixture() { clear(); }

  void clear() const {
    ::shm_unlink(data_segment_path(hostile).c_str());
    ::shm_unlink(control_segment_path(hostile).c_str());
    ::shm_unlink(algo_segment_path(hostile, "x").c_str());
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void walk_data_view(const DataView& v) {
  for (std::uint32_t i = 0; i < v.symbol_count(); ++i) {
    (void)v.symbol_name(i);
    Quote q;
    (void)v.read_quote(i, q);
  }
  (void)v.symbol_name(v.symbol_count());
  const std::uint64_t c = v.write_cursor();
  const TickRecord& last = v.ring()[(c - 1) & v.ring_mask()];
  (void)tick_checksum(c - 1, last);
  (void)v.health(now_ns());
  (void)v.state();
  (void)v.verify();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& f = fixture();
  if (size == 0) return 0;
  const unsigned which = data[0] % 3u;
  const std::uint8_t* body = data + 1;
  const std::size_t body_size = size - 1;

  f.clear();
  if (which == 0) {
    write_shm(data_segment_path(f.hostile), body, body_size);
  } else {
    write_shm(data_segment_path(f.hostile), f.good_data.data(), f.good_data.size());
    if (which == 1) {
      write_shm(control_segment_path(f.hostile), body, body_size);
    } else {
      write_shm(control_segment_path(f.hostile), f.good_ctl.data(), f.good_ctl.size());
      write_shm(algo_segment_path(f.hostile, "x"), body, body_size);
    }
  }

  if (auto v = DataView::open(f.hostile); v) {
    walk_data_view(v.value());
  } else if (v.error().message.empty()) {
    __builtin_trap();
  }
  if (auto c = ControlView::open(f.hostile, false); c) {
    (void)c->readers();
  }
  (void)read_algo_status(algo_segment_path(f.hostile, "x"));

  if (auto r = tickshm::stat::gather_report(f.hostile); r) {
    (void)tickshm::stat::format_text(r.value(), 1000);
    (void)tickshm::stat::format_json(r.value(), 1000, true);
  } else if (r.error().message.empty()) {
    __builtin_trap();
  }

  dash::Sampler sampler(f.hostile);
  dash::Snapshot snap;
  sampler.sample(snap, now_ns());
  f.clear();
  return 0;
}
