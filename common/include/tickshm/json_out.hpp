// JSON the programs print or write (tickshm-stat --json, tickshm-algo --report, tickshm-bench --json):
// nlohmann's ordered object, so fields come out in the order they were set, and one way to dump it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace tickshm {

using Json = nlohmann::ordered_json;

// Compact, or indented by two spaces. Text from other processes may hold anything: bytes that are not
// UTF-8 become U+FFFD and control characters are escaped, so the document is always valid JSON.
inline std::string dump_json(const Json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace tickshm
