// NotificationOptions: the settings of change notifications, shared by the /subscriptions API and
// the delivery worker. The defaults are the contract's numbers (section 7); tests shorten the timings.
#pragma once

#include <chrono>
#include <string>

#include "notify/handshake_limiter.h"
#include "notify/retry_policy.h"
#include "notify/webhook_client.h"
#include "store/subscription_store.h"

namespace aih::notify {

struct NotificationOptions {
  // ---- Rules of the /subscriptions API ----
  store::SubscriptionQuotas quotas;
  std::chrono::minutes max_lifetime{4320};
  // An expiration nearer than this (even one in the past) is raised to it, as Graph does (2026); 0
  // keeps what the client asked and refuses a past one (serve --subscription-min-lifetime, for tests
  // of expiry).
  std::chrono::minutes min_lifetime{45};
  // An expiration further ahead than this needs a lifecycleNotificationUrl.
  std::chrono::minutes lifecycle_url_required_beyond{60};
  std::chrono::milliseconds handshake_timeout{10'000};
  HandshakeLimits handshake_limits;  // handshakes at once (handshake_limiter.h)
  WebhookClientOptions webhooks;

  // ---- Delivery ----
  std::chrono::milliseconds delivery_timeout{3'000};
  RetryPolicy retry;
  int max_notifications_per_post = 500;  // a batch larger than this is split over several POSTs
  int max_concurrent_deliveries = 256;   // subscriptions being delivered to at once (one POST each)
  // Leases: a change or an outbox batch whose server died is taken over after this long.
  std::chrono::milliseconds change_lease{10'000};
  std::chrono::milliseconds outbox_lease{20'000};
  std::chrono::milliseconds poll_interval{100};  // how often an idle worker looks for work

  // ---- Lifecycle ----
  // reauthorizationRequired is sent (once per renewal) this long before a subscription expires.
  std::chrono::minutes reauthorization_window{10};
  std::chrono::milliseconds monitor_interval{2'000};  // expiry, consent and reauthorization sweep

  // ---- validationTokens of rich notifications ----
  // Their `iss` is issuer_base + "/" + tenant + "/v2.0", like the access tokens of our issuer.
  std::string issuer_base;
  std::chrono::seconds validation_token_lifetime{3600};
};

}  // namespace aih::notify
