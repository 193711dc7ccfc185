// The bridge's NATS connection over cnats: options, reconnect callbacks, publish, poll, request.
// JetStream (streams, ordered consumers) is in nats_jetstream.cpp.
#include "nats_link.hpp"

#include "inbox.hpp"
#include "nats_detail.hpp"

#include <nats/nats.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace tickshm::bridge {
namespace {

using detail::nats_error;
using detail::on_message;

void on_disconnected(natsConnection*, void* closure) {
  static_cast<NatsEvents*>(closure)->connected.store(false, std::memory_order_relaxed);
}
void on_reconnected(natsConnection*, void* closure) {
  auto* e = static_cast<NatsEvents*>(closure);
  e->reconnects.fetch_add(1, std::memory_order_relaxed);
  e->connected.store(true, std::memory_order_relaxed);
}
void on_connected(natsConnection*, void* closure) {
  static_cast<NatsEvents*>(closure)->connected.store(true, std::memory_order_relaxed);
}
void on_closed(natsConnection*, void* closure) {
  static_cast<NatsEvents*>(closure)->closed.store(true, std::memory_order_release);
}
void on_async_error(natsConnection*, natsSubscription*, natsStatus, void* closure) {
  static_cast<NatsEvents*>(closure)->async_errors.fetch_add(1, std::memory_order_relaxed);
}

struct OptionsOwner {
  natsOptions* o = nullptr;
  ~OptionsOwner() { natsOptions_Destroy(o); }
};

}  // namespace

namespace detail {

Error nats_error(const std::string& what, natsStatus s) {
  const char* detail = nats_GetLastError(nullptr);
  std::string m = what + ": " + natsStatus_GetText(s);
  if (detail != nullptr && *detail != '\0' && std::strcmp(detail, natsStatus_GetText(s)) != 0)
    m += " (" + std::string(detail) + ")";
  return make_error(Errc::kSystem, m);
}

void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  static_cast<Inbox*>(closure)->push(NatsMsg(msg));
}

}  // namespace detail

NatsMsg& NatsMsg::operator=(NatsMsg&& o) noexcept {
  if (this != &o) {
    natsMsg_Destroy(m_);
    m_ = o.m_;
    o.m_ = nullptr;
  }
  return *this;
}
NatsMsg::~NatsMsg() {
  natsMsg_Destroy(m_);
}
std::span<const std::byte> NatsMsg::data() const noexcept {
  if (m_ == nullptr) return {};
  const int n = natsMsg_GetDataLength(m_);
  return {reinterpret_cast<const std::byte*>(natsMsg_GetData(m_)), static_cast<std::size_t>(n < 0 ? 0 : n)};
}
const char* NatsMsg::reply() const noexcept {
  const char* r = m_ != nullptr ? natsMsg_GetReply(m_) : nullptr;
  return (r != nullptr && *r != '\0') ? r : nullptr;
}

NatsSubscription::~NatsSubscription() {
  if (s_ != nullptr) {
    natsSubscription_Unsubscribe(s_);
    natsSubscription_Destroy(s_);
  }
}
NatsMsg NatsSubscription::next(std::int64_t timeout_ms) noexcept {
  natsMsg* m = nullptr;
  if (natsSubscription_NextMsg(&m, s_, timeout_ms) != NATS_OK) return NatsMsg();
  return NatsMsg(m);
}
const char* NatsMsg::subject() const noexcept {
  return m_ != nullptr ? natsMsg_GetSubject(m_) : "";
}

std::uint64_t NatsSubscription::dropped() const noexcept {
  int64_t n = 0;
  if (natsSubscription_GetDropped(s_, &n) != NATS_OK || n < 0) return 0;
  return static_cast<std::uint64_t>(n);
}

void NatsLink::Conn::operator()(natsConnection* c) const noexcept {
  natsConnection_Close(c);
  natsConnection_Destroy(c);
}

NatsLink::~NatsLink() {
  js_.reset();
  if (!conn_) return;  // moved from
  // cnats runs the disconnected and closed callbacks on its own thread after Close returns, in that
  // order: wait for the closed one before the events they write to are freed.
  natsConnection_Close(conn_.get());
  for (int i = 0; i < 2000 && !events_->closed.load(std::memory_order_acquire); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  conn_.reset();
}

Result<NatsLink> NatsLink::connect(const NatsSettings& s) {
  if (s.servers.empty()) return make_error(Errc::kInvalidArgument, "no NATS server URL given");
  NatsLink link;
  link.events_ = std::make_unique<NatsEvents>();
  OptionsOwner opts;
  natsStatus st = natsOptions_Create(&opts.o);
  if (st != NATS_OK) return nats_error("natsOptions_Create", st);
  std::vector<const char*> urls;
  for (const auto& u : s.servers) urls.push_back(u.c_str());
  auto check = [&](const char* /*what*/, natsStatus r) -> bool {
    st = r;
    return r == NATS_OK;
  };
  const bool ok =
      check("servers", natsOptions_SetServers(opts.o, urls.data(), static_cast<int>(urls.size()))) &&
      check("no randomize", natsOptions_SetNoRandomize(opts.o, true)) &&
      check("max reconnect", natsOptions_SetMaxReconnect(opts.o, s.max_reconnect)) &&
      check("reconnect wait", natsOptions_SetReconnectWait(opts.o, s.reconnect_wait_ms)) &&
      check("reconnect buffer", natsOptions_SetReconnectBufSize(opts.o, s.reconnect_buffer_bytes)) &&
      check("shared delivery", natsOptions_UseGlobalMessageDelivery(opts.o, true)) &&
      check("timeout", natsOptions_SetTimeout(opts.o, s.connect_timeout_ms)) &&
      check("disconnected cb", natsOptions_SetDisconnectedCB(opts.o, on_disconnected, link.events_.get())) &&
      check("reconnected cb", natsOptions_SetReconnectedCB(opts.o, on_reconnected, link.events_.get())) &&
      check("error handler", natsOptions_SetErrorHandler(opts.o, on_async_error, link.events_.get())) &&
      check("closed cb", natsOptions_SetClosedCB(opts.o, on_closed, link.events_.get())) &&
      check("retry on failed connect",
            natsOptions_SetRetryOnFailedConnect(opts.o, true, on_connected, link.events_.get())) &&
      (s.client_name.empty() || check("name", natsOptions_SetName(opts.o, s.client_name.c_str())));
  if (!ok) return nats_error("NATS options", st);
  if (!s.creds_file.empty() &&
      (st = natsOptions_SetUserCredentialsFromFiles(opts.o, s.creds_file.c_str(), nullptr)) != NATS_OK)
    return nats_error("--creds " + s.creds_file, st);
  if (!s.user.empty() &&
      (st = natsOptions_SetUserInfo(opts.o, s.user.c_str(), s.password.c_str())) != NATS_OK)
    return nats_error("--user", st);
  if (!s.token.empty() && (st = natsOptions_SetToken(opts.o, s.token.c_str())) != NATS_OK)
    return nats_error("--token", st);
  if (!s.tls_ca.empty() || !s.tls_cert.empty()) {
    if ((st = natsOptions_SetSecure(opts.o, true)) != NATS_OK) return nats_error("TLS", st);
    if (!s.tls_ca.empty() &&
        (st = natsOptions_LoadCATrustedCertificates(opts.o, s.tls_ca.c_str())) != NATS_OK)
      return nats_error("--tls-ca " + s.tls_ca, st);
    if (!s.tls_cert.empty() &&
        (st = natsOptions_LoadCertificatesChain(opts.o, s.tls_cert.c_str(), s.tls_key.c_str())) != NATS_OK)
      return nats_error("--tls-cert " + s.tls_cert, st);
  }
  natsConnection* c = nullptr;
  st = natsConnection_Connect(&c, opts.o);
  if (st == NATS_OK) {
    link.events_->connected.store(true, std::memory_order_relaxed);
  } else if (st != NATS_NOT_YET_CONNECTED) {
    return nats_error("connect to " + s.servers.front(), st);
  }
  link.conn_.reset(c);
  return link;
}

bool NatsLink::publish(const std::string& subject, std::span<const std::byte> data) noexcept {
  return natsConnection_Publish(conn_.get(), subject.c_str(), data.data(), static_cast<int>(data.size())) ==
         NATS_OK;
}

Result<NatsSubscription> NatsLink::subscribe(const std::string& subject, int pending_msgs,
                                             int pending_bytes) {
  natsSubscription* sub = nullptr;
  natsStatus st = natsConnection_SubscribeSync(&sub, conn_.get(), subject.c_str());
  if (st != NATS_OK) return nats_error("subscribe " + subject, st);
  NatsSubscription owned(sub);
  if ((st = natsSubscription_SetPendingLimits(sub, pending_msgs, pending_bytes)) != NATS_OK)
    return nats_error("pending limits of " + subject, st);
  return owned;
}

Result<NatsSubscription> NatsLink::subscribe_to(const std::string& subject, Inbox& inbox) {
  natsSubscription* sub = nullptr;
  const natsStatus st = natsConnection_Subscribe(&sub, conn_.get(), subject.c_str(), on_message, &inbox);
  if (st != NATS_OK) return nats_error("subscribe " + subject, st);
  return NatsSubscription(sub);
}

NatsMsg NatsLink::request(const std::string& subject, std::int64_t timeout_ms) noexcept {
  natsMsg* reply = nullptr;
  if (natsConnection_Request(&reply, conn_.get(), subject.c_str(), nullptr, 0, timeout_ms) != NATS_OK)
    return {};
  return NatsMsg(reply);
}

void NatsLink::flush(std::int64_t timeout_ms) noexcept {
  (void)natsConnection_FlushTimeout(conn_.get(), timeout_ms);
}

std::string NatsLink::closed_reason() const {
  if (!natsConnection_IsClosed(conn_.get())) return {};
  const char* text = nullptr;
  const natsStatus st = natsConnection_GetLastError(conn_.get(), &text);
  std::string why = (text != nullptr && *text != '\0') ? text : natsStatus_GetText(st);
  return "NATS connection closed (authorization refused, or every server tried --max-reconnect times): " +
         why;
}

void close_nats_library() noexcept {
  (void)nats_CloseAndWait(2000);
}

Result<std::vector<std::string>> parse_server_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= list.size()) {
    const std::size_t comma = list.find(',', at);
    const std::string url = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    auto bad = [&](const std::string& why) {
      return make_error(Errc::kInvalidArgument,
                        "NATS URL '" + url + "' " + why +
                            " (expected nats://HOST:PORT or tls://HOST:PORT, comma-separated)");
    };
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) return bad("has no scheme");
    const std::string proto = url.substr(0, scheme);
    if (proto != "nats" && proto != "tls") return bad("has scheme '" + proto + "'");
    const std::string rest = url.substr(scheme + 3);
    if (rest.find('@') != std::string::npos)
      return bad("carries credentials (use --user/--password-file or --creds)");
    const std::size_t colon = rest.rfind(':');
    if (rest.empty() || colon == 0) return bad("has no host");
    if (colon != std::string::npos) {
      const std::string port = rest.substr(colon + 1);
      if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(port) == 0 || std::stoul(port) > 65535)
        return bad("has a bad port");
    }
    if (rest.find_first_of(" /\t") != std::string::npos) return bad("has a space or a path");
    out.push_back(url);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  if (out.empty()) return make_error(Errc::kInvalidArgument, "no NATS server URL given");
  return out;
}

}  // namespace tickshm::bridge
