// SubscriptionRequest: the body of POST /subscriptions (and of a renewal), read and checked against
// the rules of section 7 before any receiver is called or anything is stored.
//
// Everything Graph refuses is refused here with kBadRequest naming the member and saying what to send:
// missing or unknown members, a resource other than the two interaction-history resources (with an
// optional `?$filter=` of the export grammar), a changeType outside created/updated/deleted, receiver
// URLs that are not absolute http(s), an expiration in the past or beyond the maximum lifetime, one more
// than an hour ahead without a lifecycleNotificationUrl, and rich notifications without a usable
// certificate, and Web Push members (vapidPublicKey, webPushEncryption*) on a webhook subscription.
// An expiration nearer than the minimum lifetime is raised to it, not refused (Graph, 2026).
// latestSupportedTlsVersion (v1_0..v1_3, default v1_2) and notificationUrlAppId are kept. Who may
// subscribe is decided elsewhere (policy/subscription_policy.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "notify/notification_options.h"
#include "odata/filter.h"

namespace aih::notify {

// The resource of a subscription: whose interactions, and which of them.
struct SubscriptionResource {
  std::string user_ref;                 // as written in the path (object id or UPN); empty: tenant-wide
  std::optional<odata::Filter> filter;  // the $filter, if any
};

// `resource` is `[/]copilot/users/{id}/interactionHistory/getAllEnterpriseInteractions` or
// `[/]copilot/interactionHistory/getAllEnterpriseInteractions`, segments case-insensitive and
// percent-decoded, `()` optional, optionally followed by `?$filter=...` (percent-encoded; '+' is a space).
Result<SubscriptionResource> ParseSubscriptionResource(std::string_view resource);

// "created,updated" ... from ChangeTypeBit()s, in the order created, updated, deleted.
std::string ChangeTypesText(uint8_t bits);
// The bits of a changeType text such as "created,deleted" (no spaces, no repeats, at least one).
Result<uint8_t> ParseChangeTypes(std::string_view text);

struct SubscriptionRequest {
  std::string resource;  // as sent
  SubscriptionResource target;
  uint8_t change_types = 0;
  std::string notification_url;
  std::string lifecycle_notification_url;  // empty: none
  std::string client_state;
  bool include_resource_data = false;
  std::string encryption_certificate;
  std::string encryption_certificate_id;
  std::string latest_supported_tls_version = "v1_2";
  std::string notification_url_app_id;  // empty: none
  int64_t expiration_ms = 0;            // already raised to the minimum lifetime
};

// Reads a POST /subscriptions body, judged at `now_ms`.
Result<SubscriptionRequest> ParseSubscriptionRequest(std::string_view body, const NotificationOptions& options,
                                                     int64_t now_ms);

// Reads a PATCH body, which may change expirationDateTime only; returns the new expiration (raised to
// the minimum lifetime).
Result<int64_t> ParseRenewal(std::string_view body, bool has_lifecycle_url, const NotificationOptions& options,
                             int64_t now_ms);

// The lifetime rules: raised to at least min_lifetime ahead (with min_lifetime 0: in the future), at
// most max_lifetime ahead, and beyond an hour only with a lifecycleNotificationUrl. Returns the
// expiration to keep.
Result<int64_t> EffectiveExpiration(int64_t expiration_ms, bool has_lifecycle_url, const NotificationOptions& options,
                                    int64_t now_ms);

}  // namespace aih::notify
