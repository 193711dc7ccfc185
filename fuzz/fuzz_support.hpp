// Helpers shared by the fuzz targets: page-aligned copies of the input and in-memory files with a path.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tickshm::fuzz {

// The validators read headers as aligned 8-byte atomic words, as from a mapping: give them a
// page-aligned, zero-padded copy of exactly `size` meaningful bytes.
class AlignedCopy {
 public:
  AlignedCopy(const std::uint8_t* data, std::size_t size) {
    const std::size_t cap = (size + 4095) / 4096 * 4096 + 4096;
    buf_ = static_cast<std::byte*>(std::aligned_alloc(4096, cap));
    std::memset(buf_, 0, cap);
    if (size > 0) std::memcpy(buf_, data, size);
  }
  ~AlignedCopy() { std::free(buf_); }
  AlignedCopy(const AlignedCopy&) = delete;
  AlignedCopy& operator=(const AlignedCopy&) = delete;
  const std::byte* data() const noexcept { return buf_; }

 private:
  std::byte* buf_ = nullptr;
};

// An anonymous in-memory file holding the input, reachable by path (/proc/self/fd/N) for code that
// opens files by name (CSV reader, CLI11's config loader). Closed on destruction.
class MemFile {
 public:
  MemFile(const std::uint8_t* data, std::size_t size) {
    fd_ = ::memfd_create("tickshm-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const noexcept { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace tickshm::fuzz
