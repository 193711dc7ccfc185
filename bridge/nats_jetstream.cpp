// The bridge's JetStream over cnats: the context, the stream (created by whichever side comes first, the
// same definition) and the ordered consumer bridge in reads it with.
#include <nats/nats.h>

#include <string>
#include <vector>

#include "inbox.hpp"
#include "nats_detail.hpp"
#include "nats_link.hpp"

namespace tickshm::bridge {

using detail::nats_error;
using detail::on_message;

void NatsLink::Js::operator()(jsCtx* j) const noexcept {
  jsCtx_Destroy(j);
}

Status NatsLink::open_js() {
  if (js_) return ok_status();
  jsCtx* j = nullptr;
  if (const natsStatus st = natsConnection_JetStream(&j, conn_.get(), nullptr); st != NATS_OK)
    return nats_error("JetStream context", st);
  js_.reset(j);
  return ok_status();
}

Status NatsLink::ensure_stream(const std::string& stream, const std::vector<std::string>& subjects,
                               std::int64_t max_age_s) {
  if (auto st = open_js(); !st) return st;
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = stream.c_str();
  std::vector<const char*> subj;
  for (const auto& s : subjects) subj.push_back(s.c_str());
  cfg.Subjects = subj.data();
  cfg.SubjectsLen = static_cast<int>(subj.size());
  cfg.Storage = js_FileStorage;
  cfg.MaxAge = max_age_s * 1'000'000'000LL;
  // The window in which the server drops a batch sent again under the same Nats-Msg-Id (out resends
  // what it has no ack for): longer than any resend, short enough to keep the server's table small.
  cfg.Duplicates = 120 * 1'000'000'000LL;
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const natsStatus st = js_AddStream(&si, js_.get(), &cfg, nullptr, &jerr);
  jsStreamInfo_Destroy(si);
  if (st == NATS_OK || jerr == JSStreamNameExistErr) return ok_status();
  return nats_error("JetStream stream " + stream + " (is nats-server running with -js?)", st);
}

Result<NatsSubscription> NatsLink::subscribe_stream(const std::string& subject, const std::string& stream,
                                                    Inbox& inbox, std::uint64_t start_seq,
                                                    std::int64_t start_unix_ns) {
  if (auto st = open_js(); !st) return std::move(st).error();
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream.c_str();
  so.Ordered = true;
  if (start_seq != 0) {
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = start_seq;
  } else if (start_unix_ns != 0) {
    so.Config.DeliverPolicy = js_DeliverByStartTime;
    so.Config.OptStartTime = start_unix_ns;
  } else {
    so.Config.DeliverPolicy = js_DeliverNew;
  }
  natsSubscription* sub = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const natsStatus st =
      js_Subscribe(&sub, js_.get(), subject.c_str(), on_message, &inbox, nullptr, &so, &jerr);
  if (st != NATS_OK) return nats_error("JetStream consumer of " + subject + " in stream " + stream, st);
  return NatsSubscription(sub);
}

}  // namespace tickshm::bridge
