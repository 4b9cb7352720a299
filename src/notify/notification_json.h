// The bodies POSTed to receivers, in the shape Microsoft Graph gives them (section 7).
//
// Change notifications: {"value":[changeNotification...]} and, for rich subscriptions,
// "validationTokens":[jwt]. Each item carries a stable id (derived from the subscription and the
// change's seq, so a redelivery repeats it and receivers drop duplicates by it), the subscription's id,
// expiration and clientState, the tenant, the changeType, `resource` and `resourceData` naming the
// interaction (with the extension annotation "@aihistory.userId": ids are unique per user only), and
// for rich subscriptions `encryptedContent`. Lifecycle notifications: {"value":[{..."lifecycleEvent"}]}.
#pragma once

#include <string>
#include <vector>

#include "notify/encryption_certificate.h"
#include "notify/routed_change.h"
#include "store/subscription_store.h"

namespace aih::notify {

enum class LifecycleEvent { kReauthorizationRequired, kSubscriptionRemoved, kMissed };
const char* ToString(LifecycleEvent event);  // "reauthorizationRequired", ...

// A GUID derived from (subscription id, seq): the same on every delivery of that notification.
std::string NotificationId(const std::string& subscription_id, int64_t seq);

// "copilot/interactionHistory/interactions('<id>')", quotes in the id doubled as OData requires.
std::string InteractionResource(const std::string& interaction_id);

// `certificate` must be given for a rich subscription (it encrypts each item's resource_json);
// `validation_token` is added as validationTokens when not empty.
std::string RenderChangeNotifications(const store::Subscription& subscription, const std::vector<RoutedChange>& changes,
                                      const EncryptionCertificate* certificate, const std::string& validation_token);

// `id` identifies this lifecycle notification (a fresh GUID).
std::string RenderLifecycleNotification(const store::Subscription& subscription, LifecycleEvent event,
                                        const std::string& id);

// The lifecycle notification `event` as an outbox entry for the subscription's lifecycleNotificationUrl
// (which it must have), due at `now_ms`. A `missed` entry carries a once_key: while one waits for the
// subscription, another is not stored (store/subscription_store.h).
store::OutboxEntry LifecycleOutboxEntry(const store::Subscription& subscription, LifecycleEvent event, int64_t now_ms);

}  // namespace aih::notify
