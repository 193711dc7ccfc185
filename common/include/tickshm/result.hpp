// The one small result type of common/: a value or an Error with a readable message.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tickshm {

enum class Errc {
  kInvalidArgument,  // a caller's value is wrong (bad name, bad capacity, ...)
  kNotFound,         // the segment does not exist (yet)
  kNotReady,         // the segment exists but its writer has not finished creating it
  kInvalidSegment,   // a file under our name failed validation (foreign, truncated, corrupt)
  kAlreadyRunning,   // another live writer owns the name
  kPermission,       // the OS refused access
  kNoSpace,          // /dev/shm cannot hold the requested size
  kRegistryFull,     // every reader slot of the control segment is held by a live reader
  kSystem,           // any other system call failure
};

const char* errc_name(Errc code) noexcept;

struct Error {
  Errc code;
  std::string message;
};

// Result<T>: either a T or an Error. Result<void> is spelled Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace tickshm
