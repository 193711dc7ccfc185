// The command-line, logging and signal conventions every tickshm program shares.
#include "tickshm/cli.hpp"

#include <CLI/CLI.hpp>

#include <signal.h>
#include <unistd.h>

#include <iostream>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"

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

}  // namespace

std::string version_string() {
  return std::string("tickshm ") + TICKSHM_VERSION + " (layout v" + std::to_string(kLayoutVersion) + ")";
}

void add_common_options(CLI::App& app, CommonOptions& opts, bool with_segment) {
  if (with_segment) {
    app.add_option("--segment", opts.segment, "Feed name: the shared memory is /tickshm.NAME")
        ->check(CLI::Validator(
            [](std::string& s) {
              auto st = validate_name(s);
              return st ? std::string() : st.error().message;
            },
            "NAME"))
        ->capture_default_str();
  }
  app.add_option("--log-level", opts.log_level, "Log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--log-file", opts.log_file, "Also write the log to this file");
  app.set_config("--config", "", "Read options from a TOML or INI file (keys are the long flag names)");
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
    std::cerr << app.get_name() << ": " << e.what() << " (run with --help for usage)\n";
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
      std::cerr << program << ": cannot open log file " << opts.log_file << ": " << e.what() << "\n";
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
