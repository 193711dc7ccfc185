// What nats_link.cpp and nats_jetstream.cpp share of cnats, private to them: the error text of a status,
// and the message callback that moves each message into an Inbox.
#pragma once

#include <nats/nats.h>

#include <string>

#include "tickshm/result.hpp"

namespace tickshm::bridge::detail {

// what + the status's text + cnats's last error detail when it says more.
Error nats_error(const std::string& what, natsStatus s);

// closure: the Inbox the subscription delivers to.
void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);

}  // namespace tickshm::bridge::detail
