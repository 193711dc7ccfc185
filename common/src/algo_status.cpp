// An algo's status segment: create (replacing a dead algo's), publish under the seqlock, read, validate.
#include "tickshm/algo_status.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/shm_files.hpp"
#include "tickshm/trust.hpp"

namespace tickshm {
namespace {

void copy_bounded(char* dst, std::size_t cap, const std::string& src) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, src.data(), std::min(src.size(), cap - 1));
}
std::string bounded(const char* p, std::size_t n) {
  return std::string(p, strnlen(p, n));
}

AlgoStatusHeader* header_of(const Mapping& m) {
  return reinterpret_cast<AlgoStatusHeader*>(m.data());
}

}  // namespace

Status validate_algo_segment(const std::byte* bytes, std::uint64_t file_size) {
  auto invalid = [](const std::string& m) { return make_error(Errc::kInvalidSegment, m); };
  if (file_size == 0) return make_error(Errc::kNotReady, "algo status segment is empty (0 bytes)");
  if (file_size < sizeof(AlgoStatusHeader))
    return invalid(fmt::format("algo status segment is truncated: {} bytes", file_size));
  AlgoStatusHeader h{};
  load_words(&h, bytes, sizeof h);  // a private copy: the owner may be writing
  if (std::memcmp(h.magic, kAlgoMagic, sizeof h.magic) != 0)
    return invalid("not a tickshm algo status segment (bad magic)");
  if (h.layout_version != kAlgoLayoutVersion) {
    return invalid(fmt::format("algo layout version {} is not supported (this build reads {})",
                               h.layout_version, kAlgoLayoutVersion));
  }
  if (observe(reinterpret_cast<const AlgoStatusHeader*>(bytes)->state) ==
      static_cast<std::uint32_t>(SegmentState::kCreating)) {
    return make_error(Errc::kNotReady, fmt::format("algo status segment is being created by pid {}", h.pid));
  }
  if (h.header_size != sizeof(AlgoStatusHeader))
    return invalid(fmt::format("algo header_size {} != 512", h.header_size));
  if (h.position_size != sizeof(PositionRecord))
    return invalid(fmt::format("position_size {} != 64", h.position_size));
  if (h.fill_size != sizeof(FillRecord))
    return invalid(fmt::format("fill_size {} != {}", h.fill_size, sizeof(FillRecord)));
  if (h.fill_capacity != kAlgoFillCapacity)
    return invalid(fmt::format("fill_capacity {} != 64", h.fill_capacity));
  if (h.position_capacity == 0 || h.position_capacity > kAlgoMaxPositions) {
    return invalid(fmt::format("position_capacity {} is outside [1, 4096]", h.position_capacity));
  }
  if (h.total_size != algo_status_size(h.position_capacity) || h.total_size != file_size) {
    return invalid(fmt::format("algo total_size {} disagrees with capacity {} or file size {}", h.total_size,
                               h.position_capacity, file_size));
  }
  return ok_status();
}

Result<AlgoStatusWriter> AlgoStatusWriter::create(const AlgoIdentity& id) {
  if (auto st = validate_name(id.feed); !st) return std::move(st).error();
  if (auto st = validate_name(id.name, "algo name"); !st) return std::move(st).error();
  if (id.position_capacity == 0 || id.position_capacity > kAlgoMaxPositions) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("position capacity {} is outside [1, 4096]", id.position_capacity));
  }
  const std::string path = algo_segment_path(id.feed, id.name);
  const std::uint64_t size = algo_status_size(id.position_capacity);
  Fd fd;
  for (int attempt = 0; attempt < 20 && !fd.valid(); ++attempt) {
    fd = Fd(retry_eintr(
        [&] { return ::shm_open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, id.mode); }));
    if (fd.valid()) break;
    if (errno != EEXIST) return sys_error("shm_open(O_CREAT|O_EXCL) " + path, errno);
    // A segment under our name: refuse a live owner, replace a dead one's (or a file that is not valid).
    auto existing = read_algo_status(path);
    if (existing && existing->alive) {
      return make_error(
          Errc::kAlreadyRunning,
          fmt::format("algo '{}' is already running on feed '{}' (pid {})", id.name, id.feed, existing->pid));
    }
    if (!existing && existing.error().code == Errc::kPermission) return std::move(existing).error();
    if (::shm_unlink(path.c_str()) != 0 && errno != ENOENT) return name_taken_error(path, errno, "unlink");
  }
  if (!fd.valid()) return make_error(Errc::kSystem, "could not create " + path);
  ::fchmod(fd.get(), id.mode);
  auto fail = [&](Error e) {
    ::shm_unlink(path.c_str());
    return e;
  };
  if (retry_eintr([&] { return ::ftruncate(fd.get(), static_cast<off_t>(size)); }) != 0) {
    return fail(sys_error("ftruncate " + path, errno));
  }
  if (const int err = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size)); err != 0) {
    return fail(sys_error(fmt::format("posix_fallocate {} ({} bytes)", path, size), err));
  }
  auto m = map_shared(fd.get(), size, true, path);
  if (!m) return fail(std::move(m).error());

  AlgoStatusWriter w;
  w.path_ = path;
  w.map_ = std::move(m.value());
  w.unlink_ = true;
  AlgoStatusHeader& h = *header_of(w.map_);
  std::memcpy(h.magic, kAlgoMagic, sizeof h.magic);
  h.layout_version = kAlgoLayoutVersion;
  h.header_size = sizeof(AlgoStatusHeader);
  h.total_size = size;
  h.position_capacity = id.position_capacity;
  h.position_size = sizeof(PositionRecord);
  h.fill_capacity = kAlgoFillCapacity;
  h.fill_size = sizeof(FillRecord);
  h.pid = ::getpid();
  h.start_time = process_start_time(h.pid);
  h.created_unix_ns = unix_now_ns();
  copy_bounded(h.name, sizeof h.name, id.name);
  copy_bounded(h.strategy, sizeof h.strategy, id.strategy);
  copy_bounded(h.params, sizeof h.params, id.params);
  copy_bounded(h.feed, sizeof h.feed, id.feed);
  publish(h.state, static_cast<std::uint32_t>(SegmentState::kLive));  // identity complete before "live"
  return w;
}

AlgoStatusWriter::~AlgoStatusWriter() {
  if (!map_.valid()) return;
  publish(header_of(map_)->state, static_cast<std::uint32_t>(SegmentState::kClosed));
  if (unlink_) ::shm_unlink(path_.c_str());
}

std::uint32_t AlgoStatusWriter::position_capacity() const noexcept {
  return header_of(map_)->position_capacity;
}

std::string algo_text(const char* field, std::size_t size) {
  return bounded(field, size);
}

void AlgoStatusWriter::update(const AlgoTotals& totals, std::span<const PositionRecord> positions,
                              std::span<const FillRecord> fills) noexcept {
  update(totals, positions, fills, AlgoRiskRecord{}, {});
}

void AlgoStatusWriter::update(const AlgoTotals& totals, std::span<const PositionRecord> positions,
                              std::span<const FillRecord> fills, const AlgoRiskRecord& risk,
                              std::span<const PnlSample> pnl) noexcept {
  AlgoStatusHeader& h = *header_of(map_);
  std::byte* base = map_.data();
  const std::size_t n = std::min<std::size_t>(positions.size(), h.position_capacity);
  AlgoTotals t = totals;
  t.positions_used = n;
  const std::uint64_t odd = seqlock_write_begin(h.body_seq);
  store_words(base + sizeof(AlgoStatusHeader), &t, sizeof t);
  if (n != 0) store_words(base + algo_positions_offset(), positions.data(), n * sizeof(PositionRecord));
  auto* ring = base + algo_fills_offset(h.position_capacity);
  const std::size_t first = fills.size() > kAlgoFillCapacity ? fills.size() - kAlgoFillCapacity : 0;
  for (std::size_t i = first; i < fills.size(); ++i) {
    const std::size_t at = fills[i].fill_id % kAlgoFillCapacity;
    store_words(ring + at * sizeof(FillRecord), &fills[i], sizeof(FillRecord));
  }
  store_words(base + algo_risk_offset(h.position_capacity), &risk, sizeof risk);
  auto* samples = base + algo_pnl_offset(h.position_capacity);
  const std::size_t first_sample = pnl.size() > kAlgoPnlCapacity ? pnl.size() - kAlgoPnlCapacity : 0;
  for (std::size_t i = first_sample; i < pnl.size(); ++i) {
    const std::size_t at = pnl[i].sample_id % kAlgoPnlCapacity;
    store_words(samples + at * sizeof(PnlSample), &pnl[i], sizeof(PnlSample));
  }
  seqlock_write_end(h.body_seq, odd);
}

Result<AlgoStatusSnapshot> read_algo_status(const std::string& shm_path) {
  const int raw = retry_eintr([&] { return ::shm_open(shm_path.c_str(), O_RDONLY | O_CLOEXEC, 0); });
  if (raw < 0) return sys_error("open algo status " + shm_path, errno);
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return sys_error("fstat " + shm_path, errno);
  if (!S_ISREG(st.st_mode)) return make_error(Errc::kInvalidSegment, shm_path + " is not a regular file");
  if (auto t = check_trusted_owner(st, shm_path, "algo status segment"); !t) return std::move(t).error();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size == 0) return make_error(Errc::kNotReady, shm_path + ": algo status segment is empty (0 bytes)");
  auto m = map_shared(fd.get(), size, false, shm_path);
  if (!m) return std::move(m).error();
  if (auto v = validate_algo_segment(m->data(), size); !v) {
    Error e = std::move(v).error();
    e.message = shm_path + ": " + e.message;
    return e;
  }
  AlgoStatusHeader h{};
  load_words(&h, m->data(), sizeof h);
  AlgoStatusSnapshot s;
  s.segment = shm_path.substr(1);
  s.name = bounded(h.name, sizeof h.name);
  s.strategy = bounded(h.strategy, sizeof h.strategy);
  s.params = bounded(h.params, sizeof h.params);
  s.feed = bounded(h.feed, sizeof h.feed);
  s.pid = h.pid;
  s.alive = observe(reinterpret_cast<const AlgoStatusHeader*>(m->data())->state) !=
                static_cast<std::uint32_t>(SegmentState::kClosed) &&
            process_alive(h.pid, h.start_time);

  const std::size_t body = size - sizeof(AlgoStatusHeader);
  std::vector<std::uint64_t> buf(body / 8);
  const auto* hdr = reinterpret_cast<const AlgoStatusHeader*>(m->data());
  bool whole = false;
  for (int attempt = 0; attempt < 1000 && !whole; ++attempt) {
    whole = seqlock_try_read(hdr->body_seq, buf.data(), m->data() + sizeof(AlgoStatusHeader), body);
  }
  if (!whole) return make_error(Errc::kNotReady, shm_path + ": status kept changing while being read");
  const auto* bytes = reinterpret_cast<const std::byte*>(buf.data());
  std::memcpy(&s.totals, bytes, sizeof s.totals);
  const std::size_t used = std::min<std::uint64_t>(s.totals.positions_used, h.position_capacity);
  s.positions.resize(used);
  if (used != 0) std::memcpy(s.positions.data(), bytes + sizeof(AlgoTotals), used * sizeof(PositionRecord));
  for (auto& p : s.positions) p.symbol[sizeof p.symbol - 1] = '\0';
  const auto* fills = reinterpret_cast<const FillRecord*>(
      bytes + sizeof(AlgoTotals) + std::size_t{h.position_capacity} * sizeof(PositionRecord));
  // Only ids within one capacity of the newest, each in the slot its id names: anything else is a
  // stale or forged entry.
  const std::uint64_t newest_fill = s.totals.fills;
  for (std::uint32_t i = 0; i < kAlgoFillCapacity; ++i) {
    const FillRecord& f = fills[i];
    if (f.fill_id == 0 || f.fill_id > newest_fill || newest_fill - f.fill_id >= kAlgoFillCapacity ||
        f.fill_id % kAlgoFillCapacity != i)
      continue;
    s.fills.push_back(f);
    s.fills.back().symbol[sizeof f.symbol - 1] = '\0';
    s.fills.back().reason[sizeof f.reason - 1] = '\0';
  }
  std::sort(s.fills.begin(), s.fills.end(),
            [](const FillRecord& a, const FillRecord& b) { return a.fill_id < b.fill_id; });
  const std::uint64_t risk_at = algo_risk_offset(h.position_capacity) - sizeof(AlgoStatusHeader);
  std::memcpy(&s.risk, bytes + risk_at, sizeof s.risk);
  const auto* samples = reinterpret_cast<const PnlSample*>(bytes + algo_pnl_offset(h.position_capacity) -
                                                           sizeof(AlgoStatusHeader));
  const std::uint64_t newest_sample = s.risk.pnl_samples;
  for (std::uint32_t i = 0; i < kAlgoPnlCapacity; ++i) {
    const PnlSample& p = samples[i];
    if (p.sample_id == 0 || p.sample_id > newest_sample || newest_sample - p.sample_id >= kAlgoPnlCapacity ||
        p.sample_id % kAlgoPnlCapacity != i)
      continue;
    s.pnl.push_back(p);
  }
  std::sort(s.pnl.begin(), s.pnl.end(),
            [](const PnlSample& a, const PnlSample& b) { return a.sample_id < b.sample_id; });
  return s;
}

std::vector<AlgoStatusSnapshot> read_all_algo_status(std::string_view feed,
                                                     std::vector<std::string>* errors) {
  std::vector<AlgoStatusSnapshot> out;
  const std::string prefix = algo_segment_prefix(feed);
  for (const SegmentFile& f : list_segment_files()) {
    if (f.name.rfind(prefix, 0) != 0) continue;
    auto s = read_algo_status("/" + f.name);
    if (s) {
      out.push_back(std::move(s.value()));
    } else if (errors != nullptr) {
      errors->push_back(s.error().message);
    }
  }
  return out;
}

}  // namespace tickshm
