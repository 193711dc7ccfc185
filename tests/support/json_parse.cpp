// The test JSON parser: recursive descent over RFC 8259 (numbers as double, \u escapes to UTF-8).
#include "json_parse.hpp"

#include <cctype>
#include <cstdlib>

namespace tickshm::test {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t) {}
  Json document() {
    Json j = value();
    ws();
    if (i_ != t_.size()) fail("trailing text");
    return j;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error("json: " + why + " at offset " + std::to_string(i_));
  }
  void ws() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  char peek() {
    ws();
    if (i_ >= t_.size()) fail("unexpected end");
    return t_[i_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  bool literal(const char* w) {
    const std::string s(w);
    if (t_.compare(i_, s.size(), s) == 0) {
      i_ += s.size();
      return true;
    }
    return false;
  }
  Json value() {
    const char c = peek();
    Json j;
    if (c == '{') {
      j.type = Json::Type::kObject;
      ++i_;
      if (peek() == '}') {
        ++i_;
        return j;
      }
      for (;;) {
        if (peek() != '"') fail("expected key");
        std::string k = string();
        expect(':');
        j.obj[k] = value();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return j;
      }
    }
    if (c == '[') {
      j.type = Json::Type::kArray;
      ++i_;
      if (peek() == ']') {
        ++i_;
        return j;
      }
      for (;;) {
        j.arr.push_back(value());
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return j;
      }
    }
    if (c == '"') {
      j.type = Json::Type::kString;
      j.str = string();
      return j;
    }
    if (literal("true")) {
      j.type = Json::Type::kBool;
      j.b = true;
      return j;
    }
    if (literal("false")) {
      j.type = Json::Type::kBool;
      return j;
    }
    if (literal("null")) return j;
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      const char* begin = t_.c_str() + i_;
      char* end = nullptr;
      j.type = Json::Type::kNumber;
      j.num = std::strtod(begin, &end);
      if (end == begin) fail("bad number");
      i_ += static_cast<std::size_t>(end - begin);
      return j;
    }
    fail(std::string("unexpected '") + c + "'");
  }
  std::string string() {
    expect('"');
    std::string s;
    while (i_ < t_.size() && t_[i_] != '"') {
      char c = t_[i_++];
      if (c == '\\') {
        if (i_ >= t_.size()) fail("bad escape");
        const char e = t_[i_++];
        switch (e) {
          case 'n':
            s += '\n';
            break;
          case 't':
            s += '\t';
            break;
          case 'r':
            s += '\r';
            break;
          case 'b':
            s += '\b';
            break;
          case 'f':
            s += '\f';
            break;
          case 'u': {
            if (i_ + 4 > t_.size()) fail("bad \\u escape");
            const unsigned cp = static_cast<unsigned>(std::stoul(t_.substr(i_, 4), nullptr, 16));
            i_ += 4;
            if (cp < 0x80) {
              s += static_cast<char>(cp);
            } else if (cp < 0x800) {
              s += static_cast<char>(0xC0 | (cp >> 6));
              s += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
              s += static_cast<char>(0xE0 | (cp >> 12));
              s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
              s += static_cast<char>(0x80 | (cp & 0x3F));
            }
            break;
          }
          default:
            s += e;
        }
      } else {
        s += c;
      }
    }
    if (i_ >= t_.size()) fail("unterminated string");
    ++i_;
    return s;
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

}  // namespace

Json parse_json(const std::string& text) {
  return Parser(text).document();
}

}  // namespace tickshm::test
