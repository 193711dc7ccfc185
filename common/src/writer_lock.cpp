// Taking a feed's name: open or create the data segment and flock it, replacing a dead writer's file.
#include "writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "tickshm/layout.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/trust.hpp"

namespace tickshm {
namespace {

// True when `path` in /dev/shm still names the file open as fd: a competitor may have replaced it.
bool names_same_file(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  if (::fstat(fd, &a) != 0 || ::stat(("/dev/shm" + path).c_str(), &b) != 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The pid recorded in a segment we could not lock, for the "already running" message.
std::string running_pid(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < sizeof(DataHeader)) return "starting";
  void* p = ::mmap(nullptr, sizeof(DataHeader), PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return "unknown";
  const auto* h = static_cast<const DataHeader*>(p);
  const std::int32_t pid =
      std::memcmp(h->magic, kDataMagic, sizeof kDataMagic) == 0 ? load_relaxed(h->writer_pid) : 0;
  ::munmap(p, sizeof(DataHeader));
  return pid > 0 ? fmt::format("pid {}", pid) : "starting";
}

}  // namespace

Result<Fd> take_writer_lock(const PublisherOptions& o, const std::string& data_path,
                            const std::string& ctl_path) {
  for (int attempt = 0;; ++attempt) {
    if (attempt == 200) {
      return make_error(Errc::kSystem,
                        fmt::format("could not take {}: other processes keep replacing it", data_path));
    }
    Fd fd(retry_eintr([&] { return ::shm_open(data_path.c_str(), O_RDWR | O_CLOEXEC, 0); }));
    if (fd.valid()) {
      struct stat st {};
      if (::fstat(fd.get(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return make_error(Errc::kInvalidSegment,
                          fmt::format("{} exists and is not a regular file", data_path));
      }
      if (retry_eintr([&] { return ::flock(fd.get(), LOCK_EX | LOCK_NB); }) != 0) {
        if (errno != EWOULDBLOCK) return sys_error("flock " + data_path, errno);
        if (!names_same_file(fd.get(), data_path)) {  // the holder replaced it meanwhile: look again
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        return make_error(Errc::kAlreadyRunning,
                          fmt::format("feed '{}' is already running ({}; {} owned by {})", o.segment,
                                      running_pid(fd.get()), data_path, describe_shm_owner(data_path)));
      }
      if (!names_same_file(fd.get(), data_path)) continue;
      // We hold the lock of a segment nobody writes: its writer died (or exited with --keep).
      spdlog::info("replacing segment {} left by a writer that is gone ({})", data_path,
                   running_pid(fd.get()));
      if (::shm_unlink(data_path.c_str()) != 0 && errno != ENOENT) {
        return name_taken_error(data_path, errno, "unlink");  // another user's file in sticky /dev/shm
      }
      ::shm_unlink(ctl_path.c_str());
      continue;
    }
    if (errno == EACCES) return name_taken_error(data_path, errno, "open existing");
    if (errno == EINVAL || errno == EISDIR) {
      // glibc's shm_open reports a directory opened read-write as EINVAL: say what is really there.
      struct stat st {};
      if (::stat(("/dev/shm" + data_path).c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return make_error(Errc::kInvalidSegment,
                          fmt::format("{} exists and is not a regular file{}", data_path,
                                      S_ISDIR(st.st_mode) ? " (a directory)" : ""));
      }
    }
    if (errno != ENOENT) return sys_error("shm_open " + data_path, errno);

    fd = Fd(retry_eintr(
        [&] { return ::shm_open(data_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, o.mode); }));
    if (!fd.valid()) {
      if (errno == EEXIST) continue;  // a competitor created it between our two calls
      return sys_error("shm_open(O_CREAT|O_EXCL) " + data_path, errno);
    }
    if (retry_eintr([&] { return ::flock(fd.get(), LOCK_EX | LOCK_NB); }) != 0 ||
        !names_same_file(fd.get(), data_path)) {
      continue;  // a competitor took it as stale and replaced it: start over and meet its lock
    }
    return fd;
  }
}

}  // namespace tickshm
