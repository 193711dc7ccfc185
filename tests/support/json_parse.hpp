// A small JSON parser for tests that check the programs' --json output (throws on malformed input).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickshm::test {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::map<std::string, Json> obj;

  bool is_null() const { return type == Type::kNull; }
  bool has(const std::string& k) const { return type == Type::kObject && obj.count(k) != 0; }
  const Json& operator[](const std::string& k) const {
    if (type != Type::kObject) throw std::runtime_error("json: not an object when looking up '" + k + "'");
    auto it = obj.find(k);
    if (it == obj.end()) throw std::runtime_error("json: no key '" + k + "'");
    return it->second;
  }
  const Json& operator[](std::size_t i) const {
    if (type != Type::kArray || i >= arr.size()) throw std::runtime_error("json: bad index");
    return arr[i];
  }
  std::size_t size() const { return type == Type::kArray ? arr.size() : obj.size(); }
  double number() const {
    if (type != Type::kNumber) throw std::runtime_error("json: not a number");
    return num;
  }
  long long integer() const { return static_cast<long long>(number()); }
  const std::string& string() const {
    if (type != Type::kString) throw std::runtime_error("json: not a string");
    return str;
  }
  bool boolean() const {
    if (type != Type::kBool) throw std::runtime_error("json: not a bool");
    return b;
  }
};

// Parses a whole document; trailing non-space text is an error.
Json parse_json(const std::string& text);

}  // namespace tickshm::test
