#include "notify/change_router.h"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>

#include "base/log.h"
#include "model/interaction_reader.h"
#include "notify/change_matcher.h"
#include "notify/routed_change.h"
#include "policy/notification_scope.h"

namespace aih::notify {
namespace {

// The appClass of stored canonical JSON, read without building the whole interaction.
std::string AppClassOf(simdjson::dom::parser& parser, const std::string& json) {
  std::string_view app_class;
  if (parser.parse(json)["appClass"].get_string().get(app_class)) return {};
  return std::string(app_class);
}

struct Target {
  const store::Subscription* subscription;
  ChangeMatcher matcher;
  std::vector<size_t> matched;  // indexes into the tenant's routed changes
};

// The payload of `part` of the tenant's routed changes, with their resource data when `rich`.
std::string PayloadOf(const std::vector<RoutedChange>& routed, const std::vector<std::string>& jsons,
                      const std::vector<size_t>& part, bool rich) {
  std::vector<RoutedChange> changes;
  changes.reserve(part.size());
  for (size_t i : part) {
    changes.push_back(routed[i]);
    if (rich) changes.back().resource_json = jsons[i];
  }
  return WriteRoutedChanges(changes);
}

}  // namespace

ChangeRouter::ChangeRouter(store::Store& store, const NotificationOptions& options, const Clock& clock,
                           std::string consumer)
    : store_(store),
      subscriptions_(store.subscriptions()),
      options_(options),
      clock_(clock),
      consumer_(std::move(consumer)) {}

Result<int> ChangeRouter::RouteOnce(int limit) {
  // A claim is a write: peeking first keeps an idle worker off the writer.
  auto pending = store_.changes().Peek(1);
  if (!pending.ok()) return pending.status();
  if (pending->empty()) return 0;
  auto changes = store_.changes().Claim(consumer_, limit, options_.change_lease);
  if (!changes.ok()) return changes.status();
  if (changes->empty()) return 0;

  const int64_t now = clock_.NowMillis();
  std::vector<int64_t> seqs;
  std::map<std::string, std::vector<const store::Change*>> by_tenant;
  for (const store::Change& c : *changes) {
    seqs.push_back(c.seq);
    by_tenant[c.tenant_id].push_back(&c);
  }

  std::vector<store::OutboxEntry> entries;
  Status status;
  for (const auto& [tenant, tenant_changes] : by_tenant) {
    auto live = subscriptions_.ListLive(tenant, now);
    if (!live.ok()) {
      status = live.status();
      break;
    }
    std::vector<Target> targets;
    for (const store::Subscription& s : *live) {
      auto matcher = ChangeMatcher::For(s);
      if (!matcher.ok()) {
        log::Error("subscription_unmatchable").Str("subscription", s.id).Str("error", matcher.status().message());
        continue;
      }
      targets.push_back(Target{&s, std::move(*matcher), {}});
    }
    if (targets.empty()) continue;

    policy::NotificationScope scope(store_.directory(), tenant);  // what may be told, decided once per pass
    std::vector<RoutedChange> routed;  // the changes some target matched, without resource data
    std::vector<std::string> jsons;    // and the interaction of each, when it was read
    simdjson::dom::parser parser;
    for (const store::Change* change : tenant_changes) {
      bool covered = false;
      bool needs_json = false;  // a filter or resource data: the interaction must be read
      for (const Target& t : targets) {
        if (!t.matcher.Covers(*change)) continue;
        covered = true;
        needs_json |= t.matcher.NeedsInteraction() || t.subscription->include_resource_data;
      }
      if (!covered) continue;

      std::string json;
      std::optional<model::Interaction> interaction;
      if (policy::NotificationScope::Judged(change->type)) {
        auto may_tell = scope.MayTellUser(change->user_id);
        if (!may_tell.ok()) {
          status = may_tell.status();
          break;
        }
        if (!*may_tell) continue;
        auto hides = scope.HidesSources();
        if (!hides.ok()) {
          status = hides.status();
          break;
        }
        // A filter or resource data needs the interaction; a hidden source only its appClass.
        // Without them the notification is the same whether the interaction is read or not.
        // Deleted since (its deletion follows in the feed): the change is still told, judged like a
        // deletion on what is known, and without resource data.
        std::optional<std::string> app_class;
        if (needs_json || *hides) {
          auto& interactions = store_.interactions();
          auto stored = needs_json ? interactions.Get(tenant, change->user_id, change->interaction_id)
                                   : interactions.GetAppClass(tenant, change->user_id, change->interaction_id);
          if (!stored.ok() && stored.status().code() != Code::kNotFound) {
            status = stored.status();
            break;
          }
          if (stored.ok()) (needs_json ? json : app_class.emplace()) = std::move(*stored);
        }
        if (!json.empty()) {
          // The whole interaction is built only for a filter; otherwise its appClass is enough.
          bool filtered = false;
          for (const Target& t : targets) filtered |= t.matcher.Covers(*change) && t.matcher.NeedsInteraction();
          if (filtered) {
            auto item = model::ReadStoredItem(json);
            if (!item.ok()) {
              log::Error("store_item_unreadable").Str("interaction", change->interaction_id)
                  .Str("error", item.status().message());
              continue;
            }
            interaction = std::move(item->interaction);
            app_class = interaction->app_class;
          } else if (*hides) {
            app_class = AppClassOf(parser, json);
          }
        }
        if (app_class && !scope.MayTellSource(*app_class)) continue;
      }
      bool any = false;
      for (Target& t : targets) {
        const bool matches = interaction     ? t.matcher.Matches(*change, &*interaction)
                             : json.empty() ? t.matcher.MatchesWithoutInteraction(*change)
                                            : t.matcher.Covers(*change) && !t.matcher.NeedsInteraction();
        if (!matches) continue;
        t.matched.push_back(routed.size());
        any = true;
      }
      if (!any) continue;
      routed.push_back(RoutedChange{change->seq, change->type, change->user_id, change->interaction_id, {}});
      jsons.push_back(std::move(json));
    }
    if (!status.ok()) break;

    // Subscriptions that matched the same changes share one payload (the store keeps it once).
    std::map<std::pair<bool, std::vector<size_t>>, std::string> payloads;
    for (Target& t : targets) {
      const size_t per_post = static_cast<size_t>(std::max(1, options_.max_notifications_per_post));
      for (size_t start = 0; start < t.matched.size(); start += per_post) {
        std::vector<size_t> part(t.matched.begin() + static_cast<std::ptrdiff_t>(start),
                                 t.matched.begin() + static_cast<std::ptrdiff_t>(std::min(start + per_post, t.matched.size())));
        const bool rich = t.subscription->include_resource_data;
        const size_t items = part.size();
        auto [it, fresh] = payloads.try_emplace({rich, std::move(part)});
        if (fresh) it->second = PayloadOf(routed, jsons, it->first.second, rich);
        const std::string& payload = it->second;
        store::OutboxEntry e;
        e.tenant_id = tenant;
        e.subscription_id = t.subscription->id;
        e.kind = store::OutboxKind::kChanges;
        e.url = t.subscription->notification_url;
        e.items = static_cast<int>(items);
        e.payload = payload;
        e.enqueued_ms = now;
        e.next_attempt_ms = now;
        entries.push_back(std::move(e));
      }
    }
  }

  if (status.ok()) status = subscriptions_.Enqueue(entries);
  if (!status.ok()) {
    store_.changes().Release(consumer_, seqs);  // claimable again at once; the next pass retries
    return status;
  }
  auto completed = store_.changes().Complete(consumer_, seqs);
  if (!completed.ok()) return completed.status();  // the leases expire and the changes are routed again
  return static_cast<int>(changes->size());
}

}  // namespace aih::notify
