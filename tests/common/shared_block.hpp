// Memory shared between a test and the processes it forks (MAP_SHARED|MAP_ANONYMOUS, before fork).
#pragma once

#include <sys/mman.h>

#include <new>
#include <stdexcept>

namespace tickshm::test {

template <class T>
class SharedBlock {
 public:
  SharedBlock() {
    void* p = mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap shared block");
    ptr_ = new (p) T{};
  }
  ~SharedBlock() { munmap(ptr_, sizeof(T)); }
  SharedBlock(const SharedBlock&) = delete;
  SharedBlock& operator=(const SharedBlock&) = delete;
  T* operator->() { return ptr_; }
  T& operator*() { return *ptr_; }

 private:
  T* ptr_;
};

}  // namespace tickshm::test
