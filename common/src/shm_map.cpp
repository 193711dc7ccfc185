// open_and_map: shm_open, fstat, refuse what is not a regular file of a plausible size, mmap.
#include "shm_map.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "tickshm/trust.hpp"

namespace tickshm {

Error invalid_segment(const std::string& what) {
  return make_error(Errc::kInvalidSegment, what);
}

Result<Mapping> open_and_map(const std::string& path, bool writable, std::uint64_t min_size, const char* kind,
                             bool populate) {
  const int fd =
      retry_eintr([&] { return ::shm_open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0); });
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return make_error(Errc::kNotFound, std::string("no ") + kind + " " + path);
    if (err == EACCES) {
      const std::string owner = describe_shm_owner(path);
      return make_error(Errc::kPermission, std::string("permission denied opening ") + kind + " " + path +
                                               (writable ? " read-write" : "") +
                                               (owner.empty() ? "" : " (owned by " + owner + ")"));
    }
    return sys_error("shm_open " + path, err);
  }
  Fd owned(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return sys_error("fstat " + path, errno);
  if (S_ISDIR(st.st_mode)) return invalid_segment(path + " is a directory, not a tickshm segment");
  if (!S_ISREG(st.st_mode)) return invalid_segment(path + " is not a regular file");
  if (auto t = check_trusted_owner(st, path, kind); !t) return std::move(t).error();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size == 0) {
    return make_error(Errc::kNotReady,
                      path + " is empty (0 bytes): its writer is creating it or died doing so");
  }
  if (size < min_size) {
    return invalid_segment(
        fmt::format("{} is truncated: {} bytes, smaller than its {}-byte header", path, size, min_size));
  }
  return map_shared(fd, static_cast<std::size_t>(size), writable, path, populate);
}

}  // namespace tickshm
