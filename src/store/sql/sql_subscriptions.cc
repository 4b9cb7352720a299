#include "store/sql/sql_subscriptions.h"

namespace aih::store::sql {
namespace {

// The key a tenant's subscription creations serialise on, and its interaction writes share.
std::string SubscriptionsKey(const std::string& tenant_id) { return "aihistory subscriptions " + tenant_id; }

constexpr const char* kSubscriptionColumns =
    "tenant_id, id, app_id, creator_id, delegated, user_id, resource, filter, change_types, notification_url,"
    " lifecycle_notification_url, client_state, include_resource_data, encryption_certificate,"
    " encryption_certificate_id, expiration_ms, created_ms, reauthorization_notified_ms, version,"
    " latest_supported_tls_version, notification_url_app_id";

Subscription ReadSubscription(const Row& row) {
  Subscription s;
  s.tenant_id = row.String(0);
  s.id = row.String(1);
  s.app_id = row.String(2);
  s.creator_id = row.String(3);
  s.delegated = row.Bool(4);
  s.user_id = row.String(5);
  s.resource = row.String(6);
  s.filter = row.String(7);
  s.change_types = static_cast<uint8_t>(row.Int(8));
  s.notification_url = row.String(9);
  s.lifecycle_notification_url = row.String(10);
  s.client_state = row.String(11);
  s.include_resource_data = row.Bool(12);
  s.encryption_certificate = row.String(13);
  s.encryption_certificate_id = row.String(14);
  s.expiration_ms = row.Int(15);
  s.created_ms = row.Int(16);
  s.reauthorization_notified_ms = row.Int(17);
  s.version = row.Int(18);
  s.latest_supported_tls_version = row.String(19);
  s.notification_url_app_id = row.String(20);
  return s;
}

// Applies `patch` to the subscription, one version more; with `version`, only while it is at that
// version. Returns whether a row changed (false: it does not exist, or has moved on).
Result<bool> ApplyPatch(Session& c, const std::string& tenant_id, const std::string& id, const SubscriptionPatch& patch,
                        std::optional<int64_t> version) {
  std::string sql = "UPDATE subscriptions SET version = version + 1";
  std::vector<int64_t> numbers;  // $3, $4, ...
  auto param = [&](int64_t value) {
    numbers.push_back(value);
    return "$" + std::to_string(numbers.size() + 2);
  };
  if (patch.expiration_ms) {
    sql += ", expiration_ms = " + param(*patch.expiration_ms);
    if (!patch.reauthorization_notified_ms) sql += ", reauthorization_notified_ms = 0";  // a renewal re-arms it
  }
  if (patch.reauthorization_notified_ms) {
    sql += ", reauthorization_notified_ms = " + param(*patch.reauthorization_notified_ms);
  }
  sql += " WHERE tenant_id = $1 AND id = $2";
  if (version) sql += " AND version = " + param(*version);
  Args args(numbers.size() + 2);
  args[0] = tenant_id;
  args[1] = id;
  for (size_t i = 0; i < numbers.size(); ++i) args[i + 2] = numbers[i];
  int64_t changed = 0;
  AIH_RETURN_IF_ERROR(c.Query(sql, args, nullptr, &changed));
  return changed > 0;
}

Status QuotaFull(const std::string& what) {
  return Status::Forbidden("the quota of " + what +
                           " is reached; delete a subscription you no longer need "
                           "(DELETE /subscriptions/{id}) or wait until one expires");
}

Status NoSuchSubscription(const std::string& id) {
  return Status::NotFound("there is no subscription '" + id + "' in this tenant");
}

}  // namespace

Result<bool> SqlSubscriptions::Delete(Session& c, const std::string& tenant_id, const std::string& id,
                                      std::optional<int64_t> version, const std::optional<OutboxEntry>& farewell) {
  // Two servers deleting at once contend on the row: the second finds it gone (or, at another
  // version, not matching) and does nothing.
  int64_t removed = 0;
  AIH_RETURN_IF_ERROR(version ? c.Query("DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2 AND version = $3",
                                        {tenant_id, id, *version}, nullptr, &removed)
                              : c.Query("DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2", {tenant_id, id},
                                        nullptr, &removed));
  if (!removed) return false;
  AIH_RETURN_IF_ERROR(outbox_.DropChangeBatches(c, tenant_id, id));
  if (farewell) AIH_RETURN_IF_ERROR(outbox_.Insert(c, {*farewell}));
  return true;
}

Result<bool> TenantsWantingChanges::Wants(Session& s, const std::string& tenant_id) {
  if (auto it = asked_.find(tenant_id); it != asked_.end()) return it->second;
  AIH_RETURN_IF_ERROR(s.SerialiseSharedOn(SubscriptionsKey(tenant_id)));
  AIH_ASSIGN_OR_RETURN(const bool wants, s.Exists("SELECT 1 FROM subscriptions WHERE tenant_id = $1 LIMIT 1", {tenant_id}));
  asked_.emplace(tenant_id, wants);
  return wants;
}

Status SqlSubscriptions::Create(const Subscription& s, const SubscriptionQuotas& quotas, int64_t now_ms) {
  return db_.Transaction([&](Session& c) {
    // Creations in one tenant take turns, on every server, until this transaction ends: the counts
    // below cannot change before the insert commits.
    AIH_RETURN_IF_ERROR(c.SerialiseOn(SubscriptionsKey(s.tenant_id)));
    auto exists = c.Exists("SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND id = $2", {s.tenant_id, s.id});
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::Conflict("a subscription with id " + s.id + " exists");
    auto in_tenant = c.Count("SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND expiration_ms > $2",
                             {s.tenant_id, now_ms});
    if (!in_tenant.ok()) return in_tenant.status();
    if (*in_tenant >= quotas.per_tenant) {
      return QuotaFull(std::to_string(quotas.per_tenant) + " subscriptions per tenant");
    }
    auto by_app = c.Count(
        "SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND app_id = $2 AND user_id = $3"
        " AND expiration_ms > $4",
        {s.tenant_id, s.app_id, s.user_id, now_ms});
    if (!by_app.ok()) return by_app.status();
    if (s.user_id.empty()) {
      if (*by_app >= quotas.tenant_wide_per_app) {
        return QuotaFull(std::to_string(quotas.tenant_wide_per_app) +
                         " tenant-wide subscription(s) per application per tenant");
      }
    } else {
      if (*by_app >= quotas.per_app_per_user) {
        return QuotaFull(std::to_string(quotas.per_app_per_user) + " subscription(s) per application per user (user " +
                         s.user_id + ")");
      }
      auto by_user = c.Count(
          "SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND user_id = $2"
          " AND expiration_ms > $3",
          {s.tenant_id, s.user_id, now_ms});
      if (!by_user.ok()) return by_user.status();
      if (*by_user >= quotas.per_user) {
        return QuotaFull(std::to_string(quotas.per_user) + " subscriptions per user (user " + s.user_id + ")");
      }
    }
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(
        c.Query(std::string("INSERT INTO subscriptions (") + kSubscriptionColumns +
                    ") VALUES ($1, $2, $3, $4, ($5 <> 0), $6, $7, $8, $9, $10, $11, $12, ($13 <> 0), $14, $15,"
                    " $16, $17, $18, 1, $19, $20) ON CONFLICT DO NOTHING",
                {s.tenant_id,
                 s.id,
                 s.app_id,
                 s.creator_id,
                 int64_t{s.delegated},
                 s.user_id,
                 s.resource,
                 s.filter,
                 int64_t{s.change_types},
                 s.notification_url,
                 s.lifecycle_notification_url,
                 s.client_state,
                 int64_t{s.include_resource_data},
                 s.encryption_certificate,
                 s.encryption_certificate_id,
                 s.expiration_ms,
                 s.created_ms,
                 s.reauthorization_notified_ms,
                 s.latest_supported_tls_version,
                 s.notification_url_app_id},
                nullptr, &inserted));
    return inserted ? Status::Ok() : Status::Conflict("a subscription with id " + s.id + " exists");
  });
}

Result<std::vector<Subscription>> SqlSubscriptions::List(const std::string& where, const Args& args) {
  std::vector<Subscription> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(std::string("SELECT ") + kSubscriptionColumns + " FROM subscriptions " + where, args,
                   [&](const Row& row) { out.push_back(ReadSubscription(row)); });
  });
  if (!s.ok()) return s;
  return out;
}

Result<Subscription> SqlSubscriptions::Get(const std::string& tenant_id, const std::string& id) {
  auto found = List("WHERE tenant_id = $1 AND id = $2", {tenant_id, id});
  if (!found.ok()) return found.status();
  if (found->empty()) return NoSuchSubscription(id);
  return std::move(found->front());
}

Result<std::vector<Subscription>> SqlSubscriptions::ListByApp(const std::string& tenant_id, const std::string& app_id) {
  return List("WHERE tenant_id = $1 AND app_id = $2 ORDER BY id", {tenant_id, app_id});
}

Result<std::vector<Subscription>> SqlSubscriptions::ListLive(const std::string& tenant_id, int64_t now_ms) {
  return List("WHERE tenant_id = $1 AND expiration_ms > $2 ORDER BY id", {tenant_id, now_ms});
}

Result<std::vector<Subscription>> SqlSubscriptions::Scan(const std::string& after_tenant, const std::string& after_id,
                                                         int limit) {
  return List("WHERE (tenant_id, id) > ($1, $2) ORDER BY tenant_id, id LIMIT $3",
              {after_tenant, after_id, int64_t{limit}});
}

Result<Subscription> SqlSubscriptions::Update(const std::string& tenant_id, const std::string& id,
                                              const SubscriptionPatch& patch) {
  std::optional<Subscription> updated;
  Status s = db_.Transaction([&](Session& c) {
    updated.reset();
    auto changed = ApplyPatch(c, tenant_id, id, patch, std::nullopt);
    if (!changed.ok()) return changed.status();
    return c.Query(
        std::string("SELECT ") + kSubscriptionColumns + " FROM subscriptions WHERE tenant_id = $1 AND id = $2",
        {tenant_id, id}, [&](const Row& row) { updated = ReadSubscription(row); });
  });
  if (!s.ok()) return s;
  if (!updated) return NoSuchSubscription(id);
  return *updated;
}

Status SqlSubscriptions::Remove(const std::string& tenant_id, const std::string& id,
                                const std::optional<OutboxEntry>& farewell) {
  bool removed = false;
  Status s = db_.Transaction([&](Session& c) {
    auto deleted = Delete(c, tenant_id, id, std::nullopt, farewell);
    if (!deleted.ok()) return deleted.status();
    removed = *deleted;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return removed ? Status::Ok() : NoSuchSubscription(id);
}

Result<bool> SqlSubscriptions::UpdateIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                                 const SubscriptionPatch& patch,
                                                 const std::optional<OutboxEntry>& event) {
  bool won = false;
  // Two servers updating at once contend on the row lock; the second then re-reads the row, finds the
  // version moved on, and changes nothing (READ COMMITTED's re-check of the WHERE clause).
  Status s = db_.Transaction([&](Session& c) {
    auto changed = ApplyPatch(c, tenant_id, id, patch, version);
    if (!changed.ok()) return changed.status();
    won = *changed;
    if (won && event) return outbox_.Insert(c, {*event});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return won;
}

Result<bool> SqlSubscriptions::RemoveIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                                 const std::optional<OutboxEntry>& farewell) {
  bool won = false;
  Status s = db_.Transaction([&](Session& c) {
    auto deleted = Delete(c, tenant_id, id, version, farewell);
    if (!deleted.ok()) return deleted.status();
    won = *deleted;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return won;
}

Status SqlSubscriptions::Enqueue(const std::vector<OutboxEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  return db_.Transaction([&](Session& c) { return outbox_.Insert(c, entries); });
}

Result<std::vector<OutboxEntry>> SqlSubscriptions::Pending(const std::string& tenant_id,
                                                           const std::string& subscription_id, int limit) {
  std::vector<OutboxEntry> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT o.entry_id, o.tenant_id, o.subscription_id, o.kind, o.url, p.payload, o.items, o.enqueued_ms,"
        " o.attempts, o.next_attempt_ms, o.once_key FROM notification_outbox o LEFT JOIN notification_payloads p"
        " ON p.tenant_id = o.tenant_id AND p.payload_id = o.payload_id"
        " WHERE o.tenant_id = $1 AND ($2 = '' OR o.subscription_id = $2) ORDER BY o.entry_id LIMIT $3",
        {tenant_id, subscription_id, int64_t{limit}}, [&](const Row& row) {
          OutboxEntry e = OutboxEntryOf(row);
          if (!row.IsNull(5)) e.payload = row.String(5);
          out.push_back(std::move(e));
        });
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SqlSubscriptions::OutboxDepth() {
  int64_t depth = 0;
  Status s = db_.Read([&](Session& c) {
    auto n = c.Count("SELECT count(*) FROM notification_outbox", {});
    if (!n.ok()) return n.status();
    depth = *n;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return depth;
}

}  // namespace aih::store::sql
