// The validation handshake: before a subscription is created, each of its receiver URLs must show that
// it wants the notifications (section 7).
//
// The receiver gets POST <url>?validationToken=<token> (percent-encoded; a fresh token with spaces and
// punctuation, so a receiver that does not decode the query fails here rather than later) and must
// answer 200 with Content-Type text/plain and exactly the decoded token as its body, within the
// timeout (10 s). Anything else is kBadRequest saying what the receiver did and what it must do.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"
#include "notify/webhook_client.h"

namespace aih::notify {

// `field` names the URL in the message ("notificationUrl", "lifecycleNotificationUrl").
Status RunValidationHandshake(WebhookClient& client, const std::string& url, std::string_view field,
                              std::chrono::milliseconds timeout);

}  // namespace aih::notify
