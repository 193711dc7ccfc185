// The command-line, logging and signal conventions every tickshm program shares.
#include "tickshm/cli.hpp"

#include <CLI/CLI.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "tickshm/cli_checks.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/text.hpp"

namespace tickshm {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is set from a signal handler");

void on_stop_signal(int sig) {
  if (g_stop.exchange(true)) {
    // Second signal: the user means now.
    ::_exit(128 + sig);
  }
}

// A config file is read whole by CLI11: refuse anything that is not a small regular text file before
// it does (/dev/zero would never end; binary garbage has no keys worth reporting one by one).
CLI::Validator config_file_check() {
  const CLI::Validator regular = checks::regular_file(checks::kMaxConfigBytes);
  return CLI::Validator(
      [regular](std::string& path) -> std::string {
        std::string copy = path;
        if (std::string why = regular(copy); !why.empty()) return why;
        std::string text;
        if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
          char buf[4096];
          for (std::size_t n;
               (n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() <= checks::kMaxConfigBytes;)
            text.append(buf, n);
          std::fclose(f);
        } else {
          return fmt::format("{}: {}", path, std::strerror(errno));
        }
        const auto nul = text.find('\0');
        if (nul != std::string::npos || !is_valid_utf8(text))
          return fmt::format("{}: not a text file (a NUL byte or invalid UTF-8)", path);
        return {};
      },
      "");
}

// Levenshtein distance, for suggesting the key a user probably meant.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Every long option name of app and its option groups, without the dashes.
void collect_names(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* o : app.get_options())
    for (const std::string& n : o->get_lnames()) out.push_back(n);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    collect_names(*sub, out);
}

// The known key nearest to `key`, or "" when none is near enough to be a plausible typo.
std::string closest_option(const CLI::App& app, std::string_view key) {
  std::vector<std::string> names;
  collect_names(app, names);
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const std::string& n : names) {
    if (n == "help" || n == "version" || n == "config") continue;
    const std::size_t d = edit_distance(key, n);
    if (d < best_d) best_d = d, best = n;
  }
  return best;
}

}  // namespace

std::string version_string() {
  return fmt::format("tickshm {} (layout v{})", TICKSHM_VERSION, kLayoutVersion);
}

void add_common_options(CLI::App& app, CommonOptions& opts, bool with_segment) {
  if (with_segment) {
    app.add_option("--segment", opts.segment, "Feed name: the shared memory is /tickshm.NAME")
        ->type_name("NAME")
        ->check(checks::name("segment name"))
        ->capture_default_str();
  }
  app.add_option("--log-level", opts.log_level, "Log level: trace, debug, info, warn, error, critical, off")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}).description(""))
      ->capture_default_str();
  app.add_option("--log-file", opts.log_file, "Also write the log to this file (appended)")
      ->type_name("FILE")
      ->check(checks::output_file());
  app.set_config("--config", "", "Read options from a TOML or INI file (keys are the long flag names)")
      ->type_name("FILE")
      ->check(config_file_check());
  // A misspelt key must not be ignored: "rat = 5" would run the feed at its default rate unnoticed.
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.set_version_flag("--version", version_string());
}

int parse_cli(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);  // --help or --version, to stdout
      return kExitOk;
    }
    std::string what = e.what();
    if (constexpr std::string_view kExtras = "INI was not able to parse "; what.rfind(kExtras, 0) == 0) {
      const std::string key = what.substr(kExtras.size());
      what = fmt::format("--config: unknown key '{}'", printable(key));
      if (const std::string near = closest_option(app, key); !near.empty())
        what += fmt::format(" (did you mean '{}'?)", near);
    }
    fmt::print(stderr, "{}: {} (run with --help for usage)\n", app.get_name(), printable(what));
    return kExitUsage;
  }
}

void setup_logging(const std::string& program, const CommonOptions& opts) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!opts.log_file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(opts.log_file));
    } catch (const spdlog::spdlog_ex& e) {
      // Logging nowhere while the user expects a file is worse than not starting (exit 2, bad input).
      fmt::print(stderr, "{}: cannot open log file {}: {}\n", program, printable(opts.log_file), e.what());
      std::exit(kExitUsage);
    }
  }
  auto logger = std::make_shared<spdlog::logger>(program, sinks.begin(), sinks.end());
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%^%l%$] %v");
  logger->set_level(spdlog::level::from_str(opts.log_level));
  logger->flush_on(spdlog::level::info);  // logs are about once a second: flushing each keeps files current
  spdlog::set_default_logger(logger);
}

const std::atomic<bool>& install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return g_stop;
}

bool stop_requested() noexcept {
  return g_stop.load(std::memory_order_relaxed);
}

}  // namespace tickshm
