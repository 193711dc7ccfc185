// What every program's command line and process shares: --segment, --log-level, --config, --version,
// logging set-up, exit codes and the SIGINT/SIGTERM stop flag.
#pragma once

#include <atomic>
#include <string>

#include "tickshm/names.hpp"

// CLI11 is only declared here: including <CLI/CLI.hpp> costs seconds per translation unit (tens of
// seconds under the sanitizers), so only the files that build a command line include it.
namespace CLI {
class App;
}  // namespace CLI

namespace tickshm {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CommonOptions {
  std::string segment{kDefaultSegment};
  std::string log_level = "info";
  std::string log_file;  // empty: stderr only
};

// Adds --segment (validated name), --log-level, --log-file, --config FILE (TOML/INI) and --version.
void add_common_options(CLI::App& app, CommonOptions& opts, bool with_segment = true);

// Parses argv. Returns -1 to go on, or the exit code to return now (0 for --help/--version, 2 for a
// usage error, with CLI11's one-line message on stderr).
int parse_cli(CLI::App& app, int argc, char** argv);

// spdlog: human-readable lines to stderr (and to log_file when set), the program's name as logger.
void setup_logging(const std::string& program, const CommonOptions& opts);

// SIGINT/SIGTERM set the flag (a clean shutdown); a second one exits at once (status 130/143).
// SIGPIPE is ignored. Returns the flag.
const std::atomic<bool>& install_stop_signals();
bool stop_requested() noexcept;

std::string version_string();  // "tickshm 0.1.0 (layout v1)"

}  // namespace tickshm
