// The validation handshake: before a subscription is created, each of its receiver URLs must show that
// it wants the notifications (section 7).
//
// The receiver gets POST <url>?validationToken=<token> (percent-encoded; a fresh token with spaces and
// punctuation, so a receiver that does not decode the query fails here rather than later) and must
// answer 200 with Content-Type text/plain and exactly the decoded token as its body, within the
// timeout (10 s). Anything else is kBadRequest with one message whatever went wrong, saying what the
// receiver must do: telling a closed port from a silent one, or naming the status a host answered,
// would make the server a port scanner for its subscribers. What went wrong goes to the server's log
// (standard error) under the request id, for the operator.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "notify/webhook_client.h"

namespace aih::notify {

// Asks the receiver at `url` without waiting: `done` is called exactly once, on the client's I/O
// thread, with Ok or the kBadRequest above. `field` names the URL in the message ("notificationUrl",
// "lifecycleNotificationUrl"); `request_id` is the subscription request's, named in the message and
// the log.
void StartValidationHandshake(WebhookClient& client, const std::string& url, std::string_view field,
                              std::chrono::milliseconds timeout, std::string_view request_id,
                              std::function<void(Status)> done);

}  // namespace aih::notify
