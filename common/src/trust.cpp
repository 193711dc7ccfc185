// Owner checks of shared-memory objects (see trust.hpp).
#include "tickshm/trust.hpp"

#include <fmt/format.h>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "tickshm/posix.hpp"

namespace tickshm {
namespace {

TrustPolicy g_policy;

std::string user_name(uid_t uid) {
  struct passwd pw {};
  struct passwd* found = nullptr;
  char buf[1024];
  if (::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found != nullptr) return found->pw_name;
  return {};
}

std::string group_name(gid_t gid) {
  struct group gr {};
  struct group* found = nullptr;
  char buf[4096];
  if (::getgrgid_r(gid, &gr, buf, sizeof buf, &found) == 0 && found != nullptr) return found->gr_name;
  return {};
}

// Digits only, no sign, fits in 32 bits.
bool parse_id(std::string_view s, std::uint32_t& out) {
  if (s.empty() || s.size() > 10) return false;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xfffffffeULL) return false;  // (uid_t)-1 means "no id"
  out = static_cast<std::uint32_t>(v);
  return true;
}

std::string describe_trusted() {
  std::string s = fmt::format("uid {}", ::geteuid());
  if (::geteuid() != 0) s += ", uid 0";
  for (const uid_t u : g_policy.uids) s += fmt::format(", uid {}", u);
  for (const gid_t g : g_policy.gids) s += fmt::format(", gid {}", g);
  return s;
}

}  // namespace

Status parse_trust_owner(std::string_view spec, TrustPolicy& into) {
  auto bad = [&](const std::string& why) {
    return make_error(Errc::kInvalidArgument, "--trust-owner '" + std::string(spec.substr(0, 80)) + "' " +
                                                  why + " (expected USER, UID, group:NAME or gid:N)");
  };
  std::uint32_t id = 0;
  if (spec.rfind("gid:", 0) == 0) {
    if (!parse_id(spec.substr(4), id)) return bad("has no valid group id");
    into.gids.push_back(id);
    return ok_status();
  }
  if (spec.rfind("group:", 0) == 0) {
    const std::string name(spec.substr(6));
    if (name.empty()) return bad("names no group");
    struct group gr {};
    struct group* found = nullptr;
    char buf[4096];
    if (::getgrnam_r(name.c_str(), &gr, buf, sizeof buf, &found) != 0 || found == nullptr) {
      return bad("names no group of this system");
    }
    into.gids.push_back(found->gr_gid);
    return ok_status();
  }
  if (parse_id(spec, id)) {
    into.uids.push_back(id);
    return ok_status();
  }
  const std::string name(spec);
  if (name.empty()) return bad("is empty");
  struct passwd pw {};
  struct passwd* found = nullptr;
  char buf[1024];
  if (::getpwnam_r(name.c_str(), &pw, buf, sizeof buf, &found) != 0 || found == nullptr) {
    return bad("names no user of this system");
  }
  into.uids.push_back(found->pw_uid);
  return ok_status();
}

void set_trust_policy(TrustPolicy policy) {
  g_policy = std::move(policy);
}

const TrustPolicy& trust_policy() noexcept {
  return g_policy;
}

std::string describe_owner(const struct stat& st) {
  std::string s = fmt::format("uid {}", st.st_uid);
  if (const std::string u = user_name(st.st_uid); !u.empty()) s += " (" + u + ")";
  s += fmt::format(", mode {:04o}", static_cast<unsigned>(st.st_mode & 07777));
  s += fmt::format(", gid {}", st.st_gid);
  if (const std::string g = group_name(st.st_gid); !g.empty()) s += " (" + g + ")";
  return s;
}

std::string describe_shm_owner(const std::string& shm_path) {
  struct stat st {};
  if (::lstat(("/dev/shm" + shm_path).c_str(), &st) != 0) return {};
  return describe_owner(st);
}

Status check_trusted_owner(const struct stat& st, std::string_view shm_path, std::string_view kind) {
  const uid_t me = ::geteuid();
  if (st.st_uid == me || st.st_uid == 0) return ok_status();
  const TrustPolicy& p = g_policy;
  if (std::find(p.uids.begin(), p.uids.end(), st.st_uid) != p.uids.end()) return ok_status();
  if (std::find(p.gids.begin(), p.gids.end(), st.st_gid) != p.gids.end()) return ok_status();
  return make_error(Errc::kPermission, "refusing " + std::string(kind) + " " + std::string(shm_path) +
                                           ": owned by " + describe_owner(st) + ", not by a trusted owner (" +
                                           describe_trusted() + "); --trust-owner accepts it");
}

Status check_trusted_fd(int fd, std::string_view shm_path, std::string_view kind) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return sys_error("fstat " + std::string(shm_path), errno);
  return check_trusted_owner(st, shm_path, kind);
}

Error name_taken_error(const std::string& shm_path, int err, std::string_view doing) {
  const std::string owner = describe_shm_owner(shm_path);
  Error e = sys_error(std::string(doing) + " " + shm_path, err);
  if (owner.empty()) return e;
  e.message =
      fmt::format("cannot take {}: it exists, owned by {}, and uid {} may not {} ({})", shm_path, owner,
                  ::geteuid(), (doing.rfind("open", 0) == 0 ? "open it" : "replace it"), std::strerror(err));
  return e;
}

}  // namespace tickshm
