// The POSIX wrapper and RAII owners: every system-call error in common/ is formatted here.
#include "tickshm/posix.hpp"

#include <fmt/format.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace tickshm {

std::string errno_text(std::string_view what, int err) {
  return fmt::format("{}: {} (errno {})", what, std::strerror(err), err);
}

Error sys_error(std::string_view what, int err) {
  Errc code = Errc::kSystem;
  switch (err) {
    case ENOENT:
      code = Errc::kNotFound;
      break;
    case EACCES:
    case EPERM:
      code = Errc::kPermission;
      break;
    case ENOSPC:
    case ENOMEM:
    case EFBIG:
      code = Errc::kNoSpace;
      break;
    default:
      break;
  }
  return Error{code, errno_text(what, err)};
}

void Fd::reset() noexcept {
  if (fd_ >= 0) {
    // close() must not be retried on EINTR on Linux: the descriptor is already released.
    ::close(fd_);
    fd_ = -1;
  }
}

void Mapping::reset() noexcept {
  if (addr_ != nullptr) {
    ::munmap(addr_, size_);
    addr_ = nullptr;
    size_ = 0;
  }
}

Result<Mapping> map_shared(int fd, std::size_t size, bool writable, std::string_view what, bool populate) {
  const int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
  void* p = ::mmap(nullptr, size, prot, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
  if (p == MAP_FAILED) return sys_error(std::string("mmap ") + std::string(what), errno);
  return Mapping(p, size);
}

}  // namespace tickshm
