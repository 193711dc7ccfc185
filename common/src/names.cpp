// Name validation and the shared-memory object names built from a feed or algo name.
#include "tickshm/names.hpp"

#include <fmt/format.h>

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
        shown += fmt::format("\\x{:02x}", u);
      }
    }
    return make_error(Errc::kInvalidArgument, std::string(what) + " '" + shown + "' " + why +
                                                  " (allowed: [A-Za-z0-9_-]{1,64}; '.' is reserved for the"
                                                  " suffixes .ctl and .algo.)");
  };
  if (name.empty()) return bad("is empty");
  if (name.size() > kMaxNameLength) return bad(fmt::format("is {} characters long", name.size()));
  for (const char c : name) {
    if (c == '.') return bad("contains '.'");
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
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

ObjectName parse_object_name(std::string_view file) {
  constexpr std::string_view kPrefix = "tickshm.";
  ObjectName n;
  if (file.substr(0, kPrefix.size()) != kPrefix) return n;
  std::string_view rest = file.substr(kPrefix.size());
  const auto dot = rest.find('.');
  const std::string_view feed = rest.substr(0, dot);
  if (!validate_name(feed)) return n;
  const std::string_view suffix = dot == std::string_view::npos ? std::string_view() : rest.substr(dot);
  if (suffix.empty()) {
    n.kind = ObjectKind::kData;
  } else if (suffix == ".ctl") {
    n.kind = ObjectKind::kControl;
  } else if (suffix.substr(0, 6) == ".algo." && validate_name(suffix.substr(6))) {
    n.kind = ObjectKind::kAlgo;
    n.algo = std::string(suffix.substr(6));
  } else if (suffix == ".bridge.out" || suffix == ".bridge.in") {
    n.kind = ObjectKind::kBridge;
    n.direction = std::string(suffix.substr(8));
  } else {
    return n;
  }
  n.feed = std::string(feed);
  return n;
}

}  // namespace tickshm
