// Whose shared memory a reader believes: only segments owned by its own uid (or root, or an owner it
// was told to trust with --trust-owner), checked with fstat on the descriptor it already holds.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "tickshm/result.hpp"

namespace tickshm {

// Who a reader accepts as the owner of a segment. Our own effective uid and root are always trusted:
// root can already read and write every process's memory, so refusing it protects nothing.
struct TrustPolicy {
  std::vector<uid_t> uids;  // besides our own euid and 0
  std::vector<gid_t> gids;  // a segment whose group is one of these is trusted whatever its owner
};

// One --trust-owner value: "USER" (a login name), "UID" (digits), "group:NAME" or "gid:N". The error
// names the value and what was expected.
[[nodiscard]] Status parse_trust_owner(std::string_view spec, TrustPolicy& into);

// The process-wide policy every open path consults. Set once at start-up, before any reader thread
// exists (the programs' command lines do it through add_trust_option); not synchronised.
void set_trust_policy(TrustPolicy policy);
const TrustPolicy& trust_policy() noexcept;

// "uid 1001 (mallory), mode 0666, gid 1001 (mallory)": the owner and mode of a file, for messages.
std::string describe_owner(const struct stat& st);
// The same for the /dev/shm object `shm_path` ("/tickshm.x"), by name: "" when it cannot be stat'ed.
std::string describe_shm_owner(const std::string& shm_path);

// kPermission unless `st` (fstat of the descriptor the caller opened, never a second lookup by name,
// so the file cannot be swapped between check and use) belongs to a trusted owner. The message names
// the object, its owner and mode, and the flag that would accept it.
[[nodiscard]] Status check_trusted_owner(const struct stat& st, std::string_view shm_path,
                                         std::string_view kind);
[[nodiscard]] Status check_trusted_fd(int fd, std::string_view shm_path, std::string_view kind);

// The feed's error for a name it cannot take (EEXIST, EACCES, EPERM): "cannot take /tickshm.x: it
// exists, owned by uid 1001 (mallory), mode 0600, gid ... (Permission denied)".
Error name_taken_error(const std::string& shm_path, int err, std::string_view doing);

}  // namespace tickshm
