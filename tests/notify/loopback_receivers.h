// The receivers of these tests listen on loopback over plain http, which a WebhookClient refuses by
// default (receiver_policy.h): `options` allowing them, as `serve --webhook-allow-network 127.0.0.0/8
// --webhook-allow-network ::1/128 --webhook-allow-http` does.
#pragma once

#include "notify/webhook_client.h"

namespace aih::notify {

inline WebhookClientOptions LoopbackReceivers(WebhookClientOptions options = {}) {
  options.receivers.allow_http = true;
  options.receivers.allowed_networks = {*IpNetwork::Parse("127.0.0.0/8"), *IpNetwork::Parse("::1/128")};
  return options;
}

}  // namespace aih::notify
