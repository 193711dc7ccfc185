// tickshm-bridge's command line: two subcommands (out, in), the NATS flags they share, validators.
#include "options.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tickshm/cli_checks.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/trust_cli.hpp"
#include "wire.hpp"

namespace tickshm::bridge {
namespace {

const CLI::Validator kServers(
    [](std::string& v) -> std::string {
      auto r = parse_server_list(v);
      return r ? std::string() : r.error().message;
    },
    "URL[,URL...]", "NATS servers");

const CLI::Validator kFeedName(
    [](std::string& v) -> std::string {
      auto st = validate_name(v, "feed name");
      return st ? std::string() : st.error().message;
    },
    "NAME", "feed name");

const CLI::Validator kSecret(
    [](std::string& v) -> std::string {
      if (v.rfind("file:", 0) == 0 && v.size() == 5) return "a secret 'file:' needs a path";
      if (v.rfind("env:", 0) == 0 && v.size() == 4) return "a secret 'env:' needs a variable name";
      return {};
    },
    "file:PATH|env:VAR", "secret");

const CLI::Validator kPowerOfTwoOrZero(
    [](std::string& v) -> std::string {
      std::uint64_t c = 0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), c);
      if (r.ec != std::errc{} || r.ptr != v.data() + v.size())
        return "--ring-capacity must be a number, got '" + v + "'";
      if (c != 0 && (!is_power_of_two(c) || c < kMinRingCapacity || c > kMaxRingCapacity))
        return "--ring-capacity must be 0 or a power of two in [2, 2^26], got " + v;
      return {};
    },
    "POW2", "power of two");

const CLI::Validator kSymbolList(
    [](std::string& v) -> std::string {
      std::stringstream ss(v);
      std::string s;
      int n = 0;
      while (std::getline(ss, s, ',')) {
        ++n;
        if (s.empty() || s.size() >= kSymbolNameLength ||
            s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_") !=
                std::string::npos)
          return "--symbols: '" + s + "' is not a symbol (1-15 of [A-Za-z0-9._-])";
      }
      return n == 0 ? "--symbols is empty" : std::string();
    },
    "SYM,SYM,...", "symbols");

// A secret from "file:PATH" (first line), "env:VAR", or given as is (then visible in ps: warned).
Result<std::string> read_secret(const std::string& flag, const std::string& v) {
  if (v.empty()) return std::string();
  if (v.rfind("file:", 0) == 0) {
    std::ifstream in(v.substr(5));
    std::string line;
    if (!in || !std::getline(in, line))
      return make_error(Errc::kInvalidArgument, flag + ": cannot read " + v.substr(5));
    return line;
  }
  if (v.rfind("env:", 0) == 0) {
    const char* e = std::getenv(v.substr(4).c_str());
    if (e == nullptr)
      return make_error(Errc::kInvalidArgument,
                        flag + ": environment variable " + v.substr(4) + " is not set");
    return std::string(e);
  }
  spdlog::warn("{} given on the command line is visible to every user (ps); prefer {} file:PATH or env:VAR",
               flag, flag);
  return v;
}

}  // namespace

std::string ticks_subject(const std::string& feed) {
  return "tickshm." + feed + ".ticks";
}
std::string symbol_subject(const std::string& feed, const std::string& symbol) {
  return "tickshm." + feed + ".sym." + symbol;
}
std::string snapshot_subject(const std::string& feed) {
  return "tickshm." + feed + ".snapshot";
}
std::string epoch_subject(const std::string& feed) {
  return "tickshm." + feed + ".epoch";
}
std::vector<std::string> stream_subjects(const std::string& feed) {
  return {ticks_subject(feed), "tickshm." + feed + ".sym.>", epoch_subject(feed)};
}

int parse_command_line(int argc, char** argv, Options& opts) {
  CLI::App app{
      "tickshm-bridge: carries a tickshm feed over NATS (out) and into a local segment on another host (in)",
      "tickshm-bridge"};
  setup_cli(app, opts);
  return parse_cli(app, argc, argv);
}

void setup_cli(CLI::App& app, Options& o) {
  add_common_options(app, o.common);
  app.fallthrough();
  app.require_subcommand(1);
  app.add_option("--nats", o.nats,
                 "NATS server URLs, comma-separated (a cluster's: the others are reconnect targets)")
      ->check(kServers)
      ->required()
      ->group("NATS");
  app.add_option("--max-reconnect", o.max_reconnect, "Reconnect attempts before giving up (-1: forever)")
      ->check(CLI::Range(-1, 1'000'000))
      ->capture_default_str()
      ->group("NATS");
  app.add_option("--reconnect-wait", o.reconnect_wait_ms,
                 "Milliseconds between reconnect attempts to one server")
      ->check(CLI::Range(1, 600'000))
      ->capture_default_str()
      ->group("NATS");
  app.add_option("--reconnect-buffer", o.reconnect_buffer_kb,
                 "KiB of publishes kept while reconnecting (beyond: their ticks are counted gaps downstream)")
      ->check(CLI::Range(1, 1 << 21))
      ->capture_default_str()
      ->group("NATS");
  app.add_option("--creds", o.creds, "NATS credentials file (JWT + NKey seed)")
      ->check(CLI::ExistingFile)
      ->group("Security");
  app.add_option("--user", o.user, "NATS user name")->group("Security");
  auto* pw = app.add_option("--password", o.password,
                            "NATS password: file:PATH or env:VAR (a literal is visible in ps)")
                 ->check(kSecret)
                 ->group("Security");
  app.add_option("--token", o.token, "NATS token: file:PATH or env:VAR (a literal is visible in ps)")
      ->check(kSecret)
      ->group("Security");
  app.add_option("--tls-ca", o.tls_ca, "CA certificates (PEM) that sign the servers' certificates")
      ->check(CLI::ExistingFile)
      ->group("Security");
  auto* cert = app.add_option("--tls-cert", o.tls_cert, "Client certificate (PEM)")
                   ->check(CLI::ExistingFile)
                   ->group("Security");
  auto* key = app.add_option("--tls-key", o.tls_key, "Client private key (PEM)")
                  ->check(CLI::ExistingFile)
                  ->group("Security");
  cert->needs(key);
  key->needs(cert);
  pw->needs("--user");
  auto* js =
      app.add_option("--jetstream", o.jetstream,
                     "JetStream stream: out creates it (file storage) over tickshm.<feed>.ticks and .sym.>; "
                     "in consumes it in order, across reconnects")
          ->check(CLI::Validator(
              [](std::string& v) {
                return (v.empty() || v.size() > 32 ||
                        v.find_first_not_of(
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
                            std::string::npos)
                           ? "--jetstream: a stream name is 1-32 of [A-Za-z0-9_-], got '" + v + "'"
                           : std::string();
              },
              "STREAM"))
          ->group("NATS");
  app.add_option("--jetstream-max-age", o.jetstream_max_age_s,
                 "Seconds of history the stream keeps (out, on creation)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{365} * 86400))
      ->capture_default_str()
      ->group("NATS")
      ->needs(js);
  app.add_option("--mode", o.segment_mode,
                 "Permission bits of the segments this bridge creates (its status segment; in: also the data "
                 "segment), octal")
      ->type_name("OCTAL")
      ->transform(checks::mode())
      ->default_str("0600");

  auto* out = app.add_subcommand("out", "Read the local feed --segment and publish it to NATS");
  out->add_option("--batch", o.batch, "Ticks per NATS message at most")
      ->check(CLI::Range(1u, kMaxBatchCount))
      ->capture_default_str();
  out->add_option("--linger", o.linger_us, "Microseconds a batch may wait for more ticks before it is sent")
      ->check(CLI::Range(0u, 1'000'000u))
      ->capture_default_str();
  out->add_flag("--per-symbol", o.per_symbol,
                "Also publish each symbol's ticks on tickshm.<feed>.sym.<SYMBOL>");
  out->add_option("--wait", o.wait, "Wait strategy reading the feed")
      ->check(CLI::IsMember({"spin", "block", "adaptive"}))
      ->capture_default_str();
  out->add_flag("--from-start", o.from_start,
                "First attach: send the epoch from tick 0 (what the ring still holds)");
  out->add_option("--name", o.name, "Reader name in the feed's registry")
      ->check(kFeedName)
      ->capture_default_str();
  add_trust_option(*out);  // out reads the local feed's segments: who may own them

  auto* in =
      app.add_subcommand("in", "Subscribe to a remote feed and write it into the local segment --segment");
  in->add_option("--remote-feed", o.remote_feed, "The remote feed's name (the subjects' <feed>)")
      ->check(kFeedName)
      ->required();
  auto* syms = in->add_option("--symbols", o.symbols,
                              "Take only these symbols (their per-symbol subjects; out needs --per-symbol)")
                   ->check(kSymbolList);
  in->add_option("--ring-capacity", o.ring_capacity, "Ticks the local ring holds (0: as the remote ring)")
      ->check(kPowerOfTwoOrZero)
      ->capture_default_str();
  auto* seq =
      in->add_option("--start-seq", o.start_seq, "JetStream: replay from this stream sequence (a late host)")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  auto* at =
      in->add_option("--start-time", o.start_time_s, "JetStream: replay from this Unix time, in seconds")
          ->check(CLI::Range(1.0, 1e11));
  seq->excludes(at);
  syms->excludes(js);
  seq->needs(js);
  at->needs(js);
  in->add_option("--pending", o.pending_mb,
                 "MiB of messages the client queues before it drops (counted as gaps)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  out->callback([&o] { o.mode = Mode::kOut; });
  in->callback([&o] { o.mode = Mode::kIn; });
}

Result<NatsSettings> nats_settings(const Options& o, const std::string& client_name) {
  NatsSettings s;
  auto servers = parse_server_list(o.nats);
  if (!servers) return std::move(servers).error();
  s.servers = std::move(servers.value());
  s.max_reconnect = o.max_reconnect;
  s.reconnect_wait_ms = o.reconnect_wait_ms;
  s.reconnect_buffer_bytes = o.reconnect_buffer_kb << 10;
  s.client_name = client_name;
  s.creds_file = o.creds;
  s.user = o.user;
  auto pw = read_secret("--password", o.password);
  if (!pw) return std::move(pw).error();
  s.password = std::move(pw.value());
  auto tok = read_secret("--token", o.token);
  if (!tok) return std::move(tok).error();
  s.token = std::move(tok.value());
  s.tls_ca = o.tls_ca;
  s.tls_cert = o.tls_cert;
  s.tls_key = o.tls_key;
  return s;
}

}  // namespace tickshm::bridge
