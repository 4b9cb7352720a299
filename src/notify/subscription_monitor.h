// SubscriptionMonitor: the lifecycle of subscriptions over time (section 7).
//
// SweepOnce() walks every subscription: an expired one stops and is removed (with its pending
// notifications); one whose application has lost the permission it was made with (consent revoked,
// its user deleted) is removed and its lifecycleNotificationUrl gets `subscriptionRemoved`; one that
// expires within reauthorization_window gets `reauthorizationRequired` once (a renewal re-arms it),
// which the application answers with POST /subscriptions/{id}/reauthorize or a renewal (PATCH).
// Every server runs a monitor over the same subscriptions: each transition is conditional on the
// subscription's version as the sweep read it (SubscriptionStore::UpdateIfUnchanged/RemoveIfUnchanged),
// and its event is queued in the same transaction, so exactly one server makes it and tells the
// receiver, once; a crash loses neither the transition nor its event.
#pragma once

#include "base/clock.h"
#include "notify/notification_options.h"
#include "store/store.h"

namespace aih::notify {

// What this monitor did in one sweep (transitions another server won are not counted).
struct SweepSummary {
  int expired = 0;
  int removed = 0;  // permission lost
  int reauthorization_requested = 0;
};

class SubscriptionMonitor {
 public:
  SubscriptionMonitor(store::Store& store, const NotificationOptions& options, const Clock& clock);

  Result<SweepSummary> SweepOnce();

 private:
  store::Store& store_;
  store::SubscriptionStore& subscriptions_;
  const NotificationOptions& options_;
  const Clock& clock_;
};

}  // namespace aih::notify
