#include "notify/subscription_monitor.h"

#include <map>

#include "base/log.h"
#include "notify/notification_json.h"
#include "policy/subscription_policy.h"

namespace aih::notify {

SubscriptionMonitor::SubscriptionMonitor(store::Store& store, const NotificationOptions& options, const Clock& clock)
    : store_(store), subscriptions_(store.subscriptions()), options_(options), clock_(clock) {}

Result<SweepSummary> SubscriptionMonitor::SweepOnce() {
  SweepSummary summary;
  const int64_t now = clock_.NowMillis();
  const int64_t window = std::chrono::milliseconds(options_.reauthorization_window).count();
  // One permission decision per application (or user) and pass: a tenant may hold thousands of them.
  std::map<std::string, Status> verdicts;
  std::string after_tenant, after_id;
  while (true) {
    auto page = subscriptions_.Scan(after_tenant, after_id, 500);
    if (!page.ok()) return page.status();
    for (const store::Subscription& s : *page) {
      // Every transition is conditional on the version this sweep read: of the servers sweeping at
      // once, exactly one wins each transition and sends its event; a subscription renewed since the
      // read is left for the next sweep to judge afresh.
      if (s.expiration_ms <= now) {
        auto removed = subscriptions_.RemoveIfUnchanged(s.tenant_id, s.id, s.version, std::nullopt);
        if (!removed.ok()) return removed.status();
        if (*removed) ++summary.expired;
        continue;
      }
      const std::string who = s.tenant_id + "/" + s.app_id + "/" + s.user_id + (s.delegated ? "/d" : "");
      auto verdict = verdicts.find(who);
      if (verdict == verdicts.end()) verdict = verdicts.emplace(who, policy::RecheckSubscription(store_.directory(), s)).first;
      const Status& allowed = verdict->second;
      if (!allowed.ok() && allowed.code() != Code::kForbidden && allowed.code() != Code::kNotFound) {
        return allowed;  // the directory could not be read: decide nothing now
      }
      if (!allowed.ok()) {
        std::optional<store::OutboxEntry> farewell;
        if (!s.lifecycle_notification_url.empty()) {
          farewell = LifecycleOutboxEntry(s, LifecycleEvent::kSubscriptionRemoved, now);
        }
        auto removed = subscriptions_.RemoveIfUnchanged(s.tenant_id, s.id, s.version, farewell);
        if (!removed.ok()) return removed.status();
        if (*removed) {
          log::Info("subscription_removed").Str("tenant", s.tenant_id).Str("subscription", s.id)
              .Str("reason", allowed.message());
          ++summary.removed;
        }
        continue;
      }
      if (!s.lifecycle_notification_url.empty() && s.reauthorization_notified_ms == 0 &&
          s.expiration_ms - now <= window) {
        store::SubscriptionPatch patch;
        patch.reauthorization_notified_ms = now;
        auto asked = subscriptions_.UpdateIfUnchanged(
            s.tenant_id, s.id, s.version, patch, LifecycleOutboxEntry(s, LifecycleEvent::kReauthorizationRequired, now));
        if (!asked.ok()) return asked.status();
        if (*asked) ++summary.reauthorization_requested;
      }
    }
    if (page->size() < 500) break;
    after_tenant = page->back().tenant_id;
    after_id = page->back().id;
  }
  return summary;
}

}  // namespace aih::notify
