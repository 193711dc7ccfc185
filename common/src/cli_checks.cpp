// The shared flag and config-key validators (see cli_checks.hpp).
#include "tickshm/cli_checks.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tickshm/names.hpp"

namespace tickshm::checks {

CLI::Validator name(std::string what) {
  return CLI::Validator(
      [what](std::string& s) -> std::string {
        const Status st = validate_name(s, what);
        return st ? std::string() : st.error().message;
      },
      "");
}

CLI::Validator regular_file(std::uint64_t max_bytes) {
  return CLI::Validator(
      [max_bytes](std::string& path) -> std::string {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return fmt::format("{}: {}", path, std::strerror(errno));
        if (!S_ISREG(st.st_mode)) return fmt::format("{}: not a regular file", path);
        if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
          return fmt::format("{}: {} bytes is larger than the limit of {} bytes", path, st.st_size,
                             max_bytes);
        return {};
      },
      "");
}

CLI::Validator output_file() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        struct stat st {};
        if (path.empty()) return "empty file name";
        if (::stat(path.c_str(), &st) == 0) {
          return S_ISREG(st.st_mode) ? std::string() : fmt::format("{}: not a regular file", path);
        }
        if (errno != ENOENT) return fmt::format("{}: {}", path, std::strerror(errno));
        std::error_code ec;
        const auto dir = std::filesystem::path(path).parent_path();
        if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
          return fmt::format("{}: directory {} does not exist", path, dir.string());
        return {};
      },
      "");
}

CLI::Validator output_dir() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        if (path.empty()) return "empty directory name";
        std::error_code ec;
        std::filesystem::path p = std::filesystem::absolute(path, ec);
        if (ec) return fmt::format("{}: {}", path, ec.message());
        for (;;) {
          const auto st = std::filesystem::status(p, ec);
          if (st.type() == std::filesystem::file_type::not_found && p.has_relative_path()) {
            p = p.parent_path();  // not there yet: the program creates it if its ancestor is a directory
            continue;
          }
          if (ec) return fmt::format("{}: {}", path, ec.message());
          if (std::filesystem::is_directory(st)) return {};
          return fmt::format("{}: {} is not a directory", path, p.string());
        }
      },
      "");
}

CLI::Validator mode() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        unsigned m = 0;
        const auto r = std::from_chars(s.data(), s.data() + s.size(), m, 8);
        if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size() || m > 0777)
          return fmt::format("'{}' is not an octal mode such as 0600 or 0660", s);
        if ((m & 0600) != 0600)
          return fmt::format("mode {} must keep the owner's read and write bits (0600)", s);
        s = fmt::format("{}", m);  // the option stores a mode_t: hand CLI11 the value in decimal
        return {};
      },
      "");
}

CLI::Validator comma_list() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::size_t start = 0;
        for (;;) {
          const std::size_t end = s.find(',', start);
          if ((end == std::string::npos ? s.size() : end) == start)
            return fmt::format("'{}' has an empty item (two commas in a row, or one at an end)", s);
          if (end == std::string::npos) return {};
          start = end + 1;
        }
      },
      "");
}

}  // namespace tickshm::checks
