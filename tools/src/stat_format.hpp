// Helpers tickshm-stat's text and JSON formatters share: appending formatted text, trimming the
// trailing blanks of fixed-width columns, and building JSON arrays of records.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "tickshm/json_out.hpp"

namespace tickshm::stat {

template <class... Args>
void appendf(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

// Fixed-width columns leave trailing blanks (an empty last column); scripts diffing output don't want them.
std::string trim_lines(const std::string& text);

// How many of n items to show under --max-symbols (0: all).
inline std::size_t shown(std::size_t n, std::size_t max) {
  return max == 0 ? n : std::min(n, max);
}

// A JSON array with one element per record, each made by `one` (every list in the documents is one).
template <class Records, class One>
Json json_array(const Records& records, One one) {
  Json out = Json::array();
  for (const auto& r : records) out.push_back(one(r));
  return out;
}

}  // namespace tickshm::stat
