// ChangeRouter: moves changes from the change feed into the outboxes of the subscriptions that match
// them (the fan-out half of delivery).
//
// RouteOnce() claims a batch of pending changes, matches each against the live subscriptions of its
// tenant (change_matcher.h; the interaction is read once, only when a filter or rich content needs it,
// and otherwise only its appClass, when the tenant has sources whose export is off), writes one outbox
// entry per subscription holding its matching changes (subscriptions that matched the same changes
// share one payload), and only then completes the changes. A crash in between leaves the changes to be claimed and routed again, at least once; the
// notifications keep their ids (notification_json.h), so receivers drop the repeats. What may be told
// is the policy's (policy/notification_scope.h): as for export, changes of users without the Copilot
// license and of sources whose export is off are not notified; deletions always are.
#pragma once

#include <string>

#include "base/clock.h"
#include "notify/notification_options.h"
#include "store/store.h"

namespace aih::notify {

class ChangeRouter {
 public:
  // `consumer` names this server's claims (unique per process).
  ChangeRouter(store::Store& store, const NotificationOptions& options, const Clock& clock, std::string consumer);

  // Routes up to `limit` pending changes; returns how many were claimed (0: nothing pending now).
  Result<int> RouteOnce(int limit);

 private:
  store::Store& store_;
  store::SubscriptionStore& subscriptions_;
  const NotificationOptions& options_;
  const Clock& clock_;
  std::string consumer_;
};

}  // namespace aih::notify
