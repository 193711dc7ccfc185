// One wrapper for POSIX calls (errno captured at once, EINTR retried) and RAII owners for fds and mappings.
#pragma once

#include <cerrno>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "tickshm/result.hpp"

namespace tickshm {

// Calls f() until it does not fail with EINTR. Returns f's result; errno is preserved for the caller.
template <class F>
auto retry_eintr(F&& f) {
  for (;;) {
    auto r = f();
    if (r != -1 || errno != EINTR) return r;
  }
}

// "what: strerror (errno N)", the text every system-call error in common/ carries.
std::string errno_text(std::string_view what, int err);

// Maps an errno to our error kinds so callers can react (ENOENT -> kNotFound, EACCES -> kPermission, ...).
Error sys_error(std::string_view what, int err);

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  void reset() noexcept;

 private:
  int fd_ = -1;
};

class Mapping {
 public:
  Mapping() = default;
  Mapping(void* addr, std::size_t size) noexcept : addr_(addr), size_(size) {}
  ~Mapping() { reset(); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping(Mapping&& o) noexcept : addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  Mapping& operator=(Mapping&& o) noexcept {
    if (this != &o) {
      reset();
      addr_ = std::exchange(o.addr_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  std::byte* data() const noexcept { return static_cast<std::byte*>(addr_); }
  std::size_t size() const noexcept { return size_; }
  bool valid() const noexcept { return addr_ != nullptr; }
  void reset() noexcept;

 private:
  void* addr_ = nullptr;
  std::size_t size_ = 0;
};

// mmap(fd, size) with the given protection, MAP_SHARED. populate: fault every page in now
// (MAP_POPULATE), so the first lap of the ring does not take a page fault every 64 ticks.
[[nodiscard]] Result<Mapping> map_shared(int fd, std::size_t size, bool writable, std::string_view what,
                                         bool populate = false);

}  // namespace tickshm
