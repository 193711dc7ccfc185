// Writes ticks in the CSV replay format (the same columns the parser reads), buffered (--record).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

class CsvRecorder {
 public:
  [[nodiscard]] static Result<CsvRecorder> open(const std::string& path,
                                                std::vector<std::string> symbol_names,
                                                const std::string& comment);
  CsvRecorder(CsvRecorder&&) noexcept;
  CsvRecorder& operator=(CsvRecorder&&) noexcept;
  CsvRecorder(const CsvRecorder&) = delete;
  CsvRecorder& operator=(const CsvRecorder&) = delete;
  ~CsvRecorder();
  void write(const TickRecord& t);
  [[nodiscard]] Status close();  // flushes; reports a write error

 private:
  CsvRecorder() = default;
  std::FILE* file_ = nullptr;
  std::string path_;
  std::vector<std::string> names_;
  bool failed_ = false;
};

}  // namespace tickshm::feed
