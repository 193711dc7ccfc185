// Plain-text tables for tickshm-bench's terminal report: columns with a width and an alignment, rows of
// cells, and note rows (a run that was skipped or failed) that say why after their first cells.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tickshm::bench {

class TextTable {
 public:
  struct Column {
    std::string header;
    int width = 10;
    bool left = false;  // names are left-aligned, figures right-aligned
  };
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

  void row(std::vector<std::string> cells) { rows_.push_back({std::move(cells), {}}); }
  // The first lead.size() cells as a row's, then `text` to the end of the line.
  void note(std::vector<std::string> lead, std::string text) {
    rows_.push_back({std::move(lead), std::move(text)});
  }
  bool empty() const noexcept { return rows_.empty(); }
  // The header line and every row, each indented by two spaces and ended by a newline.
  std::string render() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    std::string note;
  };
  std::string line(const std::vector<std::string>& cells) const;
  std::vector<Column> columns_;
  std::vector<Row> rows_;
};

// "950 ns", "12.3 us", "4.5 ms": three significant figures or so, for any latency.
std::string fmt_ns(std::uint64_t ns);
// "12.34 M/s", "950 k/s".
std::string fmt_rate(double per_s);

}  // namespace tickshm::bench
