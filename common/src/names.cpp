// Name validation and the shared-memory object names built from a feed or algo name.
#include "tickshm/names.hpp"

#include <cstdio>

namespace tickshm {

Status validate_name(std::string_view name, std::string_view what) {
  auto bad = [&](const std::string& why) {
    std::string shown;
    for (const char c : name.substr(0, 80)) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f) {
        shown += c;
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        shown += buf;
      }
    }
    return make_error(Errc::kInvalidArgument,
                      std::string(what) + " '" + shown + "' " + why + " (allowed: [A-Za-z0-9._-]{1,64})");
  };
  if (name.empty()) return bad("is empty");
  if (name.size() > kMaxNameLength) return bad("is " + std::to_string(name.size()) + " characters long");
  if (name == "." || name == "..") return bad("is a path component");
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return bad("contains a character outside the allowed set");
  }
  return ok_status();
}

std::string data_segment_path(std::string_view feed) {
  return "/tickshm." + std::string(feed);
}
std::string control_segment_path(std::string_view feed) {
  return "/tickshm." + std::string(feed) + ".ctl";
}
std::string algo_segment_path(std::string_view feed, std::string_view algo) {
  return "/tickshm." + std::string(feed) + ".algo." + std::string(algo);
}
std::string algo_segment_prefix(std::string_view feed) {
  return "tickshm." + std::string(feed) + ".algo.";
}

std::string bridge_status_path(std::string_view feed, std::string_view direction) {
  return "/tickshm." + std::string(feed) + ".bridge." + std::string(direction);
}

}  // namespace tickshm
