// One NATS connection for the bridge (cnats): servers, reconnect policy, credentials, TLS, and the
// connection events the status segment shows (reconnects, connected).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tickshm/result.hpp"

struct __natsConnection;
struct __natsSubscription;
struct __natsMsg;
struct __jsCtx;

namespace tickshm::bridge {

struct NatsSettings {
  std::vector<std::string> servers;  // nats://host:port, tried in order, the others on reconnect
  int max_reconnect = -1;            // -1: forever
  int reconnect_wait_ms = 250;
  int reconnect_buffer_bytes = 8 << 20;  // publishes kept while reconnecting
  int connect_timeout_ms = 2000;
  std::string client_name;
  // Security. Secrets arrive already read (from a file or the environment), never from argv.
  std::string creds_file;
  std::string user, password, token;
  std::string tls_ca, tls_cert, tls_key;
};

// Connection events, written by cnats' threads and read by the bridge's loop.
struct NatsEvents {
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<bool> connected{false};
  std::atomic<std::uint64_t> async_errors{0};  // slow consumer and other asynchronous errors
  std::atomic<bool> closed{false};             // the last callback cnats makes: this may be freed after
};

class NatsMsg {
 public:
  NatsMsg() = default;
  explicit NatsMsg(__natsMsg* m) noexcept : m_(m) {}
  NatsMsg(NatsMsg&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
  NatsMsg& operator=(NatsMsg&& o) noexcept;
  NatsMsg(const NatsMsg&) = delete;
  NatsMsg& operator=(const NatsMsg&) = delete;
  ~NatsMsg();
  bool valid() const noexcept { return m_ != nullptr; }
  std::span<const std::byte> data() const noexcept;
  const char* reply() const noexcept;  // nullptr when none
  const char* subject() const noexcept;

 private:
  __natsMsg* m_ = nullptr;
};

// A synchronous subscription: the bridge's single thread polls it.
class NatsSubscription {
 public:
  NatsSubscription() = default;
  explicit NatsSubscription(__natsSubscription* s) noexcept : s_(s) {}
  NatsSubscription(NatsSubscription&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  NatsSubscription& operator=(NatsSubscription&&) = delete;
  NatsSubscription(const NatsSubscription&) = delete;
  NatsSubscription& operator=(const NatsSubscription&) = delete;
  ~NatsSubscription();
  // The next message within timeout_ms (0: only one already here); invalid when none.
  NatsMsg next(std::int64_t timeout_ms) noexcept;
  std::uint64_t dropped() const noexcept;  // messages the client dropped (slow consumer)

 private:
  __natsSubscription* s_ = nullptr;
};

class NatsLink {
 public:
  // Connects, or keeps trying in the background when no server answers yet (the bridge starts in any
  // order with nats-server). Fails only on bad settings (an unreadable TLS file, a bad URL).
  [[nodiscard]] static Result<NatsLink> connect(const NatsSettings& settings);
  NatsLink(NatsLink&&) noexcept = default;
  NatsLink& operator=(NatsLink&&) = delete;
  ~NatsLink();

  // false when the client refused it (closed, or the reconnect buffer is full).
  bool publish(const std::string& subject, std::span<const std::byte> data) noexcept;
  [[nodiscard]] Result<NatsSubscription> subscribe(const std::string& subject, int pending_msgs,
                                                   int pending_bytes);
  // Delivers the subject's messages into `inbox` from cnats' thread (one shared delivery thread for
  // all such subscriptions). The subscription must be destroyed before the inbox.
  [[nodiscard]] Result<NatsSubscription> subscribe_to(const std::string& subject, class Inbox& inbox);
  // JetStream: creates the stream (file storage, max_age_s of history) unless it exists.
  [[nodiscard]] Status ensure_stream(const std::string& stream, const std::vector<std::string>& subjects,
                                     std::int64_t max_age_s);
  // JetStream: an ordered consumer of `subject` in `stream` delivering into `inbox` (no acks; the client
  // recreates it from the last stream sequence it saw after a gap or a reconnect). start_seq != 0:
  // from that stream sequence; start_unix_ns != 0: from that time; else only new messages.
  [[nodiscard]] Result<NatsSubscription> subscribe_stream(const std::string& subject,
                                                          const std::string& stream, class Inbox& inbox,
                                                          std::uint64_t start_seq,
                                                          std::int64_t start_unix_ns);
  // A request and its reply within timeout_ms; invalid when none (no responder, timeout, offline).
  NatsMsg request(const std::string& subject, std::int64_t timeout_ms) noexcept;
  const NatsEvents& events() const noexcept { return *events_; }
  __natsConnection* native() const noexcept { return conn_.get(); }  // for JsPublisher
  void flush(std::int64_t timeout_ms) noexcept;
  // The client gave up (authorization refused, --max-reconnect exhausted): why, else empty.
  std::string closed_reason() const;

 private:
  NatsLink() = default;
  std::unique_ptr<NatsEvents> events_;  // stable address: the callbacks' closure
  struct Conn {
    void operator()(__natsConnection* c) const noexcept;
  };
  std::unique_ptr<__natsConnection, Conn> conn_;
  struct Js {
    void operator()(__jsCtx* j) const noexcept;
  };
  std::unique_ptr<__jsCtx, Js> js_;  // declared after conn_: destroyed first
  Status open_js();
};

// Releases the NATS library's global state (threads, pools) once every connection is gone: at the
// end of main, so leak checkers see a clean exit.
void close_nats_library() noexcept;

// "nats://a:4222,nats://b:4222" -> each URL, checked: scheme nats:// or tls://, a host, a port.
[[nodiscard]] Result<std::vector<std::string>> parse_server_list(const std::string& list);

}  // namespace tickshm::bridge
