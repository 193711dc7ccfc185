// Names of the error kinds, for messages and tests.
#include "tickshm/result.hpp"

namespace tickshm {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid argument";
    case Errc::kNotFound:
      return "not found";
    case Errc::kNotReady:
      return "not ready";
    case Errc::kInvalidSegment:
      return "invalid segment";
    case Errc::kAlreadyRunning:
      return "already running";
    case Errc::kPermission:
      return "permission denied";
    case Errc::kNoSpace:
      return "no space";
    case Errc::kRegistryFull:
      return "registry full";
    case Errc::kSystem:
      return "system error";
  }
  return "unknown error";
}

}  // namespace tickshm
