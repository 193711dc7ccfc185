// Table and line helpers every view of the dashboard lays its text out with: columns that drop by
// priority when the terminal is narrow, cells, headings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "frame.hpp"

namespace tickshm::dash {

struct Column {
  std::string title;
  std::size_t width;
  bool right;
  int priority;  // lower is kept longer when the terminal is narrow
};

struct Cell {
  std::string text;
  Role role = Role::kNormal;
  bool bold = false;
};

// Which columns fit in `width` (one space between columns), keeping the lowest priorities first.
std::vector<bool> fit_columns(const std::vector<Column>& cols, std::size_t width, std::size_t reserve);
std::size_t used_width(const std::vector<Column>& cols, const std::vector<bool>& keep);
// One table line from cells; cells of dropped columns are skipped.
Line table_line(const std::vector<Column>& cols, const std::vector<bool>& keep, std::vector<Cell> cells);
// The titles as a heading; `marked` (an index) gets `mark` appended.
Line heading_line(const std::vector<Column>& cols, const std::vector<bool>& keep, int marked = -1,
                  const char* mark = "");
Line text_line(std::string text, Role role = Role::kNormal, bool bold = false);
// Fields laid out in lines of at most `width` cells, two spaces apart, each line starting with
// `indent`; a field never splits across lines (a number is never cut).
std::vector<Line> wrap_fields(const std::vector<std::string>& fields, std::size_t width,
                              const std::string& indent, Role role = Role::kNormal);
// A period for people: "0.5s", "2s".
std::string format_period(std::uint64_t ns);
// HH:MM:SS.mmm UTC of a CLOCK_REALTIME time, "-" for 0.
std::string clock_time(std::uint64_t unix_ns);
// Green for > 0, red for < 0.
Role sign_role(std::int64_t v);

}  // namespace tickshm::dash
