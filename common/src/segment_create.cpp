// Creating a feed's segments under the writer lock: epoch, page reservation, control segment, headers.
#include "segment_create.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "tickshm/clock.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/trust.hpp"

namespace tickshm {

std::uint64_t new_epoch() {
  std::uint64_t e = 0;
  if (::getrandom(&e, sizeof e, 0) != static_cast<ssize_t>(sizeof e)) {
    e = unix_now_ns() ^ (static_cast<std::uint64_t>(::getpid()) << 40);
  }
  return e == 0 ? 1 : e;
}

Status reserve(int fd, std::uint64_t size, const std::string& path) {
  if (retry_eintr([&] { return ::ftruncate(fd, static_cast<off_t>(size)); }) != 0) {
    return sys_error("ftruncate " + path, errno);
  }
  const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
  if (err != 0) {
    if (err == ENOSPC || err == EFBIG || err == ENOMEM) {
      struct statvfs vfs {};
      std::string free_s = "unknown";
      if (::statvfs("/dev/shm", &vfs) == 0)
        free_s = fmt::format("{}", std::uint64_t{vfs.f_bavail} * vfs.f_frsize);
      return make_error(Errc::kNoSpace,
                        fmt::format("not enough shared memory for {}: needs {} bytes, /dev/shm has "
                                    "{} bytes free",
                                    path, size, free_s));
    }
    return sys_error("posix_fallocate " + path, err);
  }
  return ok_status();
}

Result<Fd> create_control_segment(mode_t data_mode, const std::string& ctl_path) {
  const mode_t ctl_mode = data_mode | ((data_mode & 0040) ? 0020 : 0) | ((data_mode & 0004) ? 0002 : 0);
  ::shm_unlink(ctl_path.c_str());
  Fd ctl_fd(retry_eintr(
      [&] { return ::shm_open(ctl_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, ctl_mode); }));
  if (!ctl_fd.valid()) {
    const int err = errno;
    struct stat st {};
    if (err == EEXIST && ::stat(("/dev/shm" + ctl_path).c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      return make_error(Errc::kInvalidSegment, fmt::format("{} exists and is not a regular file{}", ctl_path,
                                                           S_ISDIR(st.st_mode) ? " (a directory)" : ""));
    }
    return name_taken_error(ctl_path, err, "shm_open(O_CREAT|O_EXCL)");
  }
  ::fchmod(ctl_fd.get(), ctl_mode);  // the umask must not narrow what --mode asked for
  if (auto st = reserve(ctl_fd.get(), kControlSize, ctl_path); !st) return std::move(st).error();
  return ctl_fd;
}

void write_control_header(ControlHeader& c, std::uint64_t epoch, std::int32_t pid) {
  std::memcpy(c.magic, kControlMagic, sizeof c.magic);
  c.layout_version = kControlLayoutVersion;
  c.header_size = sizeof(ControlHeader);
  c.total_size = kControlSize;
  c.slot_count = kReaderSlots;
  c.slot_size = sizeof(ReaderSlot);
  c.epoch = epoch;
  c.writer_pid = pid;
}

void write_data_header(std::byte* base, const PublisherOptions& o, const DataGeometry& g, std::uint64_t epoch,
                       std::int32_t pid) {
  DataHeader& h = *reinterpret_cast<DataHeader*>(base);
  std::memcpy(h.magic, kDataMagic, sizeof h.magic);
  h.layout_version = kLayoutVersion;
  h.header_size = sizeof(DataHeader);
  h.total_size = g.total_size;
  h.tick_size = sizeof(TickRecord);
  h.quote_size = sizeof(QuoteRecord);
  h.symbol_entry_size = sizeof(SymbolEntry);
  h.symbol_capacity = g.symbol_capacity;
  h.symbol_count = g.symbol_capacity;
  h.flags = o.verify ? kHeaderFlagVerify : 0;
  h.ring_capacity = o.ring_capacity;
  h.symbol_dir_offset = g.symbol_dir_offset;
  h.quote_board_offset = g.quote_board_offset;
  h.ring_offset = g.ring_offset;
  h.epoch = epoch;
  h.created_unix_ns = unix_now_ns();
  h.writer_pid = pid;
  h.price_scale = kPriceScale;
  h.writer_start_time = process_start_time(pid);
  auto* dir = reinterpret_cast<SymbolEntry*>(base + g.symbol_dir_offset);
  for (std::size_t i = 0; i < o.symbols.size(); ++i) {
    std::memcpy(dir[i].name, o.symbols[i].name.data(), o.symbols[i].name.size());
    dir[i].reference_price = o.symbols[i].reference_price;
    dir[i].tick_size = o.symbols[i].tick_size;
  }
  store_relaxed(h.heartbeat_ns, now_ns());
}

}  // namespace tickshm
