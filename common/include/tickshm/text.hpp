// Text from other processes (registry names, algo names, symbols) made safe to print: a name in a
// shared segment is untrusted, and an escape sequence in it must not reach a terminal.
#pragma once

#include <string>
#include <string_view>

namespace tickshm {

// Keeps printable ASCII and well-formed UTF-8 of printable code points; writes every other byte
// (C0 controls, DEL, C1 controls U+0080..U+009F, malformed or overlong UTF-8, surrogates) as "\xNN".
// A backslash is kept as it is. The result is valid UTF-8 with no control character.
std::string printable(std::string_view s);

// Text for XML and SVG: the five characters with a meaning in markup written as entities.
std::string xml_escape(std::string_view s);

// True when s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace tickshm
