#include "store/postgres/postgres_subscriptions.h"

#include <algorithm>

namespace aih::store::postgres {
namespace {

constexpr const char* kSubscriptionColumns =
    "tenant_id, id, app_id, creator_id, delegated, user_id, resource, filter, change_types, notification_url,"
    " lifecycle_notification_url, client_state, include_resource_data, encryption_certificate,"
    " encryption_certificate_id, expiration_ms, created_ms, reauthorization_notified_ms";

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
  return s;
}

constexpr const char* kEntryColumns =
    "entry_id, tenant_id, subscription_id, kind, url, payload, items, enqueued_ms, attempts, next_attempt_ms";

OutboxEntry ReadEntry(const Rows& rows, int r) {
  OutboxEntry e;
  e.entry_id = rows.Int(r, 0);
  e.tenant_id = rows.Text(r, 1);
  e.subscription_id = rows.Text(r, 2);
  e.kind = static_cast<OutboxKind>(rows.Int(r, 3));
  e.url = rows.Text(r, 4);
  e.payload = rows.Text(r, 5);
  e.items = static_cast<int>(rows.Int(r, 6));
  e.enqueued_ms = rows.Int(r, 7);
  e.attempts = static_cast<int>(rows.Int(r, 8));
  e.next_attempt_ms = rows.Int(r, 9);
  return e;
}

Result<std::vector<OutboxEntry>> ReadEntries(Connection& c, const std::string& sql, const Params& params) {
  auto rows = c.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<OutboxEntry> out;
  for (int r = 0; r < rows->size(); ++r) out.push_back(ReadEntry(*rows, r));
  return out;
}

// The payload is bytes (bytea), so this insert binds its own parameters.
Status InsertEntry(Connection& c, const OutboxEntry& e) {
  Params p;
  p.Text(std::string_view(e.tenant_id))
      .Text(std::string_view(e.subscription_id))
      .Int64(static_cast<int64_t>(e.kind))
      .Text(std::string_view(e.url))
      .Bytes(e.payload)
      .Int64(e.items)
      .Int64(e.enqueued_ms)
      .Int64(e.next_attempt_ms);
  auto r = c.Query(
      "INSERT INTO notification_outbox (tenant_id, subscription_id, kind, url, payload, items, enqueued_ms,"
      " attempts, next_attempt_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
      p);
  return r.ok() ? Status::Ok() : r.status();
}

Result<int64_t> Count(Connection& c, const std::string& sql, const Args& args) {
  int64_t n = 0;
  Status s = Query(c, sql, args, [&](const Row& row) { n = row.Int(0); });
  if (!s.ok()) return s;
  return n;
}

Status QuotaFull(const std::string& what) {
  return Status::Forbidden("the quota of " + what + " is reached; delete a subscription you no longer need "
                           "(DELETE /subscriptions/{id}) or wait until one expires");
}

Status NoSuchSubscription(const std::string& id) {
  return Status::NotFound("there is no subscription '" + id + "' in this tenant");
}

}  // namespace

Status PostgresSubscriptions::Create(const Subscription& s, const SubscriptionQuotas& quotas, int64_t now_ms) {
  return db_.Transaction([&](Connection& c) {
    // Creations in one tenant take turns, on every server, until this transaction ends: the counts
    // below cannot change before the insert commits.
    AIH_RETURN_IF_ERROR(Query(c, "SELECT pg_advisory_xact_lock(hashtextextended('aihistory subscriptions ' || $1, 0))",
                              {s.tenant_id}));
    auto exists = Exists(c, "SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND id = $2", {s.tenant_id, s.id});
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::Conflict("a subscription with id " + s.id + " exists");
    auto in_tenant = Count(c, "SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND expiration_ms > $2",
                           {s.tenant_id, now_ms});
    if (!in_tenant.ok()) return in_tenant.status();
    if (*in_tenant >= quotas.per_tenant) {
      return QuotaFull(std::to_string(quotas.per_tenant) + " subscriptions per tenant");
    }
    auto by_app = Count(c,
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
      auto by_user = Count(c, "SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND user_id = $2"
                              " AND expiration_ms > $3",
                           {s.tenant_id, s.user_id, now_ms});
      if (!by_user.ok()) return by_user.status();
      if (*by_user >= quotas.per_user) {
        return QuotaFull(std::to_string(quotas.per_user) + " subscriptions per user (user " + s.user_id + ")");
      }
    }
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(Query(
        c,
        std::string("INSERT INTO subscriptions (") + kSubscriptionColumns +
            ") VALUES ($1, $2, $3, $4, $5::int8 <> 0, $6, $7, $8, $9, $10, $11, $12, $13::int8 <> 0, $14, $15,"
            " $16, $17, $18) ON CONFLICT DO NOTHING",
        {s.tenant_id, s.id, s.app_id, s.creator_id, int64_t{s.delegated}, s.user_id, s.resource, s.filter,
         int64_t{s.change_types}, s.notification_url, s.lifecycle_notification_url, s.client_state,
         int64_t{s.include_resource_data}, s.encryption_certificate, s.encryption_certificate_id, s.expiration_ms,
         s.created_ms, s.reauthorization_notified_ms},
        nullptr, &inserted));
    return inserted ? Status::Ok() : Status::Conflict("a subscription with id " + s.id + " exists");
  });
}

Result<std::vector<Subscription>> PostgresSubscriptions::List(const std::string& where, const Args& args) {
  std::vector<Subscription> out;
  Status s = db_.Run([&](Connection& c) {
    out.clear();
    return Query(c, std::string("SELECT ") + kSubscriptionColumns + " FROM subscriptions " + where, args,
                 [&](const Row& row) { out.push_back(ReadSubscription(row)); });
  });
  if (!s.ok()) return s;
  return out;
}

Result<Subscription> PostgresSubscriptions::Get(const std::string& tenant_id, const std::string& id) {
  auto found = List("WHERE tenant_id = $1 AND id = $2", {tenant_id, id});
  if (!found.ok()) return found.status();
  if (found->empty()) return NoSuchSubscription(id);
  return std::move(found->front());
}

Result<std::vector<Subscription>> PostgresSubscriptions::ListByApp(const std::string& tenant_id,
                                                                   const std::string& app_id) {
  return List("WHERE tenant_id = $1 AND app_id = $2 ORDER BY id", {tenant_id, app_id});
}

Result<std::vector<Subscription>> PostgresSubscriptions::ListLive(const std::string& tenant_id, int64_t now_ms) {
  return List("WHERE tenant_id = $1 AND expiration_ms > $2 ORDER BY id", {tenant_id, now_ms});
}

Result<std::vector<Subscription>> PostgresSubscriptions::Scan(const std::string& after_tenant,
                                                              const std::string& after_id, int limit) {
  return List("WHERE (tenant_id, id) > ($1, $2) ORDER BY tenant_id, id LIMIT $3",
              {after_tenant, after_id, int64_t{limit}});
}

Result<Subscription> PostgresSubscriptions::Update(const std::string& tenant_id, const std::string& id,
                                                   const SubscriptionPatch& patch) {
  std::optional<Subscription> updated;
  Status s = db_.Transaction([&](Connection& c) {
    updated.reset();
    if (patch.expiration_ms) {
      AIH_RETURN_IF_ERROR(Query(c,
                                "UPDATE subscriptions SET expiration_ms = $3, reauthorization_notified_ms = 0"
                                " WHERE tenant_id = $1 AND id = $2",
                                {tenant_id, id, *patch.expiration_ms}));
    }
    if (patch.reauthorization_notified_ms) {
      AIH_RETURN_IF_ERROR(Query(c,
                                "UPDATE subscriptions SET reauthorization_notified_ms = $3 WHERE tenant_id = $1 AND id = $2",
                                {tenant_id, id, *patch.reauthorization_notified_ms}));
    }
    return Query(c,
                 std::string("SELECT ") + kSubscriptionColumns + " FROM subscriptions WHERE tenant_id = $1 AND id = $2",
                 {tenant_id, id}, [&](const Row& row) { updated = ReadSubscription(row); });
  });
  if (!s.ok()) return s;
  if (!updated) return NoSuchSubscription(id);
  return *updated;
}

Status PostgresSubscriptions::Remove(const std::string& tenant_id, const std::string& id,
                                     const std::optional<OutboxEntry>& farewell) {
  int64_t removed = 0;
  Status s = db_.Transaction([&](Connection& c) {
    AIH_RETURN_IF_ERROR(
        Query(c, "DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2", {tenant_id, id}, nullptr, &removed));
    if (!removed) return Status::Ok();
    AIH_RETURN_IF_ERROR(Query(c,
                              "DELETE FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2 AND kind = $3",
                              {tenant_id, id, static_cast<int64_t>(OutboxKind::kChanges)}));
    return farewell ? InsertEntry(c, *farewell) : Status::Ok();
  });
  if (!s.ok()) return s;
  return removed ? Status::Ok() : NoSuchSubscription(id);
}

Status PostgresSubscriptions::Enqueue(const std::vector<OutboxEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  return db_.Transaction([&](Connection& c) {
    for (const OutboxEntry& e : entries) AIH_RETURN_IF_ERROR(InsertEntry(c, e));
    return Status::Ok();
  });
}

Result<std::vector<OutboxEntry>> PostgresSubscriptions::ClaimDue(const std::string& consumer, int64_t now_ms,
                                                                int64_t lease_ms, int per_subscription, int limit,
                                                                const std::vector<std::string>& skip) {
  BinaryArray skipped(kText);
  for (const std::string& id : skip) skipped.Add(id);
  Params p;
  p.Text(std::string_view(consumer)).Int64(now_ms).Int64(lease_ms).Array(std::move(skipped))
      .Int64(per_subscription).Int64(limit);
  std::vector<OutboxEntry> out;
  Status s = db_.Run([&](Connection& c) {
    // The window numbers each subscription's due entries, so one busy subscription cannot take the
    // whole claim from the others. (A window rules out SKIP LOCKED: a concurrent claimer waits on the
    // row locks instead, and the re-checked `next_attempt_ms <= now` then skips what it just leased.)
    auto claimed = ReadEntries(
        c,
        std::string("UPDATE notification_outbox o SET claimed_by = $1, next_attempt_ms = $2 + $3"
                    " FROM (SELECT tenant_id, entry_id FROM ("
                    "   SELECT tenant_id, entry_id, row_number() OVER (PARTITION BY tenant_id, subscription_id"
                    "                                                  ORDER BY entry_id) AS n"
                    "   FROM notification_outbox WHERE next_attempt_ms <= $2 AND subscription_id <> ALL($4::text[])"
                    " ) due WHERE n <= $5 ORDER BY entry_id LIMIT $6) AS pick"
                    " WHERE o.tenant_id = pick.tenant_id AND o.entry_id = pick.entry_id AND o.next_attempt_ms <= $2"
                    " RETURNING ") +
            "o.entry_id, o.tenant_id, o.subscription_id, o.kind, o.url, o.payload, o.items, o.enqueued_ms,"
            " o.attempts, o.next_attempt_ms",
        p);
    if (!claimed.ok()) return claimed.status();
    out = std::move(*claimed);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) { return a.entry_id < b.entry_id; });
  return out;
}

Status PostgresSubscriptions::Settle(const std::string& consumer, const std::vector<Settlement>& settlements) {
  if (settlements.empty()) return Status::Ok();
  return db_.Transaction([&](Connection& c) {
    for (const Settlement& st : settlements) {
      switch (st.outcome) {
        case Settlement::Outcome::kDelivered:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3",
                                    {st.entry_id, st.tenant_id, st.subscription_id}));
          break;
        case Settlement::Outcome::kRetry:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = $4,"
                                    " claimed_by = NULL WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3 AND claimed_by = $5",
                                    {st.entry_id, st.tenant_id, st.subscription_id, st.next_attempt_ms, consumer}));
          break;
        case Settlement::Outcome::kDropped: {
          int64_t dropped = 0;
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3 AND claimed_by = $4",
                                    {st.entry_id, st.tenant_id, st.subscription_id, consumer}, nullptr, &dropped));
          if (dropped > 0 && st.replacement) AIH_RETURN_IF_ERROR(InsertEntry(c, *st.replacement));
          break;
        }
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<OutboxEntry>> PostgresSubscriptions::Pending(const std::string& tenant_id,
                                                               const std::string& subscription_id, int limit) {
  Params p;
  p.Text(std::string_view(tenant_id)).Text(std::string_view(subscription_id)).Int64(limit);
  std::vector<OutboxEntry> out;
  Status s = db_.Run([&](Connection& c) {
    auto pending = ReadEntries(c,
                               std::string("SELECT ") + kEntryColumns +
                                   " FROM notification_outbox WHERE tenant_id = $1 AND ($2 = '' OR subscription_id = $2)"
                                   " ORDER BY entry_id LIMIT $3",
                               p);
    if (!pending.ok()) return pending.status();
    out = std::move(*pending);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace aih::store::postgres
