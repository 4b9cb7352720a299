#include "store/postgres/postgres_subscriptions.h"

#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>

namespace aih::store::postgres {
namespace {

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

// An entry's columns, its payload aside (notification_payloads holds it: FillPayloads).
constexpr const char* kEntryColumns =
    "entry_id, tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms, attempts, next_attempt_ms,"
    " once_key";

// One row of kEntryColumns; its payload id goes to *payload_id.
OutboxEntry ReadEntry(const Rows& rows, int r, int64_t* payload_id) {
  OutboxEntry e;
  e.entry_id = rows.Int(r, 0);
  e.tenant_id = rows.Text(r, 1);
  e.subscription_id = rows.Text(r, 2);
  e.kind = static_cast<OutboxKind>(rows.Int(r, 3));
  e.url = rows.Text(r, 4);
  *payload_id = rows.Int(r, 5);
  e.items = static_cast<int>(rows.Int(r, 6));
  e.enqueued_ms = rows.Int(r, 7);
  e.attempts = static_cast<int>(rows.Int(r, 8));
  e.next_attempt_ms = rows.Int(r, 9);
  if (!rows.IsNull(r, 10)) e.once_key = rows.Text(r, 10);
  return e;
}

// A payload is keyed by (tenant, payload id), as every tenant-owned row.
using PayloadKey = std::pair<std::string, int64_t>;

// `keys` as the two array parameters ($1 text[] tenants, $2 int8[] ids) that unnest() joins on.
template <class Keys>
Params PayloadKeyArrays(const Keys& keys) {
  BinaryArray tenants(kText), ids(kInt8);
  for (const PayloadKey& key : keys) {
    tenants.Add(key.first);
    ids.Add(key.second);
  }
  Params p;
  p.Array(std::move(tenants)).Array(std::move(ids));
  return p;
}

// Fills entries[i].payload from keys[i], reading each distinct payload once, in one statement.
Status FillPayloads(Connection& c, std::vector<OutboxEntry>& entries, const std::vector<PayloadKey>& keys) {
  if (entries.empty()) return Status::Ok();
  Params p = PayloadKeyArrays(std::set<PayloadKey>(keys.begin(), keys.end()));
  auto rows = c.Query(
      "SELECT p.tenant_id, p.payload_id, p.payload FROM notification_payloads p"
      " JOIN unnest($1::text[], $2::int8[]) AS k (tenant_id, payload_id)"
      " ON p.tenant_id = k.tenant_id AND p.payload_id = k.payload_id",
      p);
  if (!rows.ok()) return rows.status();
  std::map<PayloadKey, std::string> payloads;
  for (int r = 0; r < rows->size(); ++r) {
    payloads[PayloadKey(std::string(rows->Text(r, 0)), rows->Int(r, 1))] = std::string(rows->Text(r, 2));
  }
  for (size_t i = 0; i < entries.size(); ++i) entries[i].payload = payloads[keys[i]];
  return Status::Ok();
}

// Entries with their payloads, from a statement that returns kEntryColumns.
Result<std::vector<OutboxEntry>> ReadEntries(Connection& c, const std::string& sql, const Params& params) {
  auto rows = c.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<OutboxEntry> out;
  std::vector<PayloadKey> keys;
  for (int r = 0; r < rows->size(); ++r) {
    int64_t payload_id = 0;
    out.push_back(ReadEntry(*rows, r, &payload_id));
    keys.emplace_back(out.back().tenant_id, payload_id);
  }
  AIH_RETURN_IF_ERROR(FillPayloads(c, out, keys));
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : d) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

// The id of `e.payload` among the tenant's payloads, storing it if it is new; `known` caches by
// digest within one transaction (a fan-out enqueues one payload for many subscriptions). The upsert
// takes the payload row's lock until commit, so DropOrphanPayloads (which locks before it looks)
// cannot delete a payload that an entry of this still-uncommitted transaction is about to carry; and
// if such a delete wins the lock first, the upsert finds no row and inserts the payload again.
Result<int64_t> PayloadId(Connection& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  const std::string digest = Sha256Hex(e.payload);
  const std::string key = e.tenant_id + '\0' + digest;
  if (auto it = known->find(key); it != known->end()) return it->second;
  Params p;
  p.Text(std::string_view(e.tenant_id)).Text(std::string_view(digest)).Bytes(e.payload);
  auto rows = c.Query(
      "INSERT INTO notification_payloads (tenant_id, digest, payload) VALUES ($1, $2, $3)"
      " ON CONFLICT (tenant_id, digest) DO UPDATE SET digest = EXCLUDED.digest RETURNING payload_id",
      p);
  if (!rows.ok()) return rows.status();
  const int64_t id = rows->Int(0, 0);
  known->emplace(key, id);
  return id;
}

// Stores one entry (entry_id assigned, attempts 0), unless it has a once_key that an entry of its
// subscription still waiting carries. `known` caches payload ids within the transaction.
Status InsertEntry(Connection& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  if (!e.once_key.empty()) {
    // Servers enqueueing the same once_key take turns until commit, so the look below sees what the
    // previous one stored (the partial unique index is the backstop).
    AIH_RETURN_IF_ERROR(Query(c, "SELECT pg_advisory_xact_lock(hashtextextended('aihistory outbox once ' || $1, 0))",
                              {e.tenant_id + "/" + e.subscription_id + "/" + e.once_key}));
    auto waiting = Exists(c,
                          "SELECT 1 FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2"
                          " AND once_key = $3",
                          {e.tenant_id, e.subscription_id, e.once_key});
    if (!waiting.ok()) return waiting.status();
    if (*waiting) return Status::Ok();
  }
  auto payload_id = PayloadId(c, e, known);
  if (!payload_id.ok()) return payload_id.status();
  Params p;
  p.Text(std::string_view(e.tenant_id))
      .Text(std::string_view(e.subscription_id))
      .Int64(static_cast<int64_t>(e.kind))
      .Text(std::string_view(e.url))
      .Int64(*payload_id)
      .Int64(e.items)
      .Int64(e.enqueued_ms)
      .Int64(e.next_attempt_ms);
  if (e.once_key.empty()) {
    p.Null(kText);
  } else {
    p.Text(std::string_view(e.once_key));
  }
  auto r = c.Query(
      "INSERT INTO notification_outbox (tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms,"
      " attempts, next_attempt_ms, once_key) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
      p);
  return r.ok() ? Status::Ok() : r.status();
}

Status InsertEntry(Connection& c, const OutboxEntry& e) {
  std::map<std::string, int64_t> known;
  return InsertEntry(c, e, &known);
}

// Deletes the payloads among `keys` that no entry carries any more. Each payload's row is locked
// first, in key order (no deadlock between two settlers), and only then, in a statement of its own
// (so with a snapshot taken after the lock), are its entries counted: an enqueue that took the
// payload's lock before us has committed its entry by then, and one that comes after waits for us.
Status DropOrphanPayloads(Connection& c, const std::set<PayloadKey>& keys) {
  if (keys.empty()) return Status::Ok();
  Params p = PayloadKeyArrays(keys);
  auto locked = c.Query(
      "SELECT p.payload_id FROM notification_payloads p JOIN unnest($1::text[], $2::int8[]) AS k (tenant_id, payload_id)"
      " ON p.tenant_id = k.tenant_id AND p.payload_id = k.payload_id ORDER BY p.tenant_id, p.payload_id FOR UPDATE OF p",
      p);
  if (!locked.ok()) return locked.status();
  auto deleted = c.Query(
      "DELETE FROM notification_payloads p USING unnest($1::text[], $2::int8[]) AS k (tenant_id, payload_id)"
      " WHERE p.tenant_id = k.tenant_id AND p.payload_id = k.payload_id AND NOT EXISTS"
      " (SELECT 1 FROM notification_outbox o WHERE o.tenant_id = p.tenant_id AND o.payload_id = p.payload_id)",
      p);
  return deleted.ok() ? Status::Ok() : deleted.status();
}

// Collects (tenant, payload id) from rows of "RETURNING tenant_id, payload_id".
std::function<void(const Row&)> CollectPayloads(std::set<PayloadKey>* keys) {
  return [keys](const Row& row) { keys->emplace(row.String(0), row.Int(1)); };
}

Result<int64_t> Count(Connection& c, const std::string& sql, const Args& args) {
  int64_t n = 0;
  Status s = Query(c, sql, args, [&](const Row& row) { n = row.Int(0); });
  if (!s.ok()) return s;
  return n;
}

// Applies `patch` to the subscription, one version more; with `version`, only while it is at that
// version. Returns whether a row changed (false: it does not exist, or has moved on).
Result<bool> ApplyPatch(Connection& c, const std::string& tenant_id, const std::string& id,
                        const SubscriptionPatch& patch, std::optional<int64_t> version) {
  std::string sql = "UPDATE subscriptions SET version = version + 1";
  Args args{tenant_id, id};
  auto param = [&](int64_t value) {
    args.push_back(value);
    return "$" + std::to_string(args.size());
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
  int64_t changed = 0;
  AIH_RETURN_IF_ERROR(Query(c, sql, args, nullptr, &changed));
  return changed > 0;
}

// Deletes the subscription (with `version`: only while at that version) and its pending change
// batches, and enqueues `farewell`; returns whether it was deleted. Two servers deleting at once
// contend on the row: the second finds it gone (or, at another version, not matching) and does nothing.
Result<bool> DeleteSubscription(Connection& c, const std::string& tenant_id, const std::string& id,
                                std::optional<int64_t> version, const std::optional<OutboxEntry>& farewell) {
  int64_t removed = 0;
  AIH_RETURN_IF_ERROR(version ? Query(c, "DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2 AND version = $3",
                                      {tenant_id, id, *version}, nullptr, &removed)
                              : Query(c, "DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2", {tenant_id, id},
                                      nullptr, &removed));
  if (!removed) return false;
  std::set<PayloadKey> payloads;
  AIH_RETURN_IF_ERROR(Query(c,
                            "DELETE FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2 AND kind = $3"
                            " RETURNING tenant_id, payload_id",
                            {tenant_id, id, static_cast<int64_t>(OutboxKind::kChanges)}, CollectPayloads(&payloads)));
  AIH_RETURN_IF_ERROR(DropOrphanPayloads(c, payloads));
  if (farewell) AIH_RETURN_IF_ERROR(InsertEntry(c, *farewell));
  return true;
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
            " $16, $17, $18, 1, $19, $20) ON CONFLICT DO NOTHING",
        {s.tenant_id, s.id, s.app_id, s.creator_id, int64_t{s.delegated}, s.user_id, s.resource, s.filter,
         int64_t{s.change_types}, s.notification_url, s.lifecycle_notification_url, s.client_state,
         int64_t{s.include_resource_data}, s.encryption_certificate, s.encryption_certificate_id, s.expiration_ms,
         s.created_ms, s.reauthorization_notified_ms, s.latest_supported_tls_version, s.notification_url_app_id},
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
    auto changed = ApplyPatch(c, tenant_id, id, patch, std::nullopt);
    if (!changed.ok()) return changed.status();
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
  bool removed = false;
  Status s = db_.Transaction([&](Connection& c) {
    auto deleted = DeleteSubscription(c, tenant_id, id, std::nullopt, farewell);
    if (!deleted.ok()) return deleted.status();
    removed = *deleted;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return removed ? Status::Ok() : NoSuchSubscription(id);
}

Result<bool> PostgresSubscriptions::UpdateIfUnchanged(const std::string& tenant_id, const std::string& id,
                                                      int64_t version, const SubscriptionPatch& patch,
                                                      const std::optional<OutboxEntry>& event) {
  bool won = false;
  // Two servers updating at once contend on the row lock; the second then re-reads the row, finds the
  // version moved on, and changes nothing (READ COMMITTED's re-check of the WHERE clause).
  Status s = db_.Transaction([&](Connection& c) {
    auto changed = ApplyPatch(c, tenant_id, id, patch, version);
    if (!changed.ok()) return changed.status();
    won = *changed;
    if (won && event) return InsertEntry(c, *event);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return won;
}

Result<bool> PostgresSubscriptions::RemoveIfUnchanged(const std::string& tenant_id, const std::string& id,
                                                      int64_t version, const std::optional<OutboxEntry>& farewell) {
  bool won = false;
  Status s = db_.Transaction([&](Connection& c) {
    auto deleted = DeleteSubscription(c, tenant_id, id, version, farewell);
    if (!deleted.ok()) return deleted.status();
    won = *deleted;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return won;
}

Status PostgresSubscriptions::Enqueue(const std::vector<OutboxEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  return db_.Transaction([&](Connection& c) {
    std::map<std::string, int64_t> known;
    for (const OutboxEntry& e : entries) AIH_RETURN_IF_ERROR(InsertEntry(c, e, &known));
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
  // One transaction: the claimed entries' row locks keep their payloads from being settled away
  // before they are read.
  Status s = db_.Transaction([&](Connection& c) {
    out.clear();
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
            "o.entry_id, o.tenant_id, o.subscription_id, o.kind, o.url, o.payload_id, o.items, o.enqueued_ms,"
            " o.attempts, o.next_attempt_ms, o.once_key",
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
    std::set<PayloadKey> payloads;  // of the entries removed: deleted too once nothing carries them
    for (const Settlement& st : settlements) {
      switch (st.outcome) {
        case Settlement::Outcome::kDelivered:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3 RETURNING tenant_id, payload_id",
                                    {st.entry_id, st.tenant_id, st.subscription_id}, CollectPayloads(&payloads)));
          break;
        case Settlement::Outcome::kRetry:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = $4,"
                                    " claimed_by = NULL WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3 AND claimed_by = $5",
                                    {st.entry_id, st.tenant_id, st.subscription_id, st.next_attempt_ms, consumer}));
          break;
        case Settlement::Outcome::kDropped: {
          bool dropped = false;
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                    " AND subscription_id = $3 AND claimed_by = $4 RETURNING tenant_id, payload_id",
                                    {st.entry_id, st.tenant_id, st.subscription_id, consumer}, [&](const Row& row) {
                                      dropped = true;
                                      payloads.emplace(row.String(0), row.Int(1));
                                    }));
          if (dropped && st.replacement) AIH_RETURN_IF_ERROR(InsertEntry(c, *st.replacement));
          break;
        }
      }
    }
    return DropOrphanPayloads(c, payloads);
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

Result<int64_t> PostgresSubscriptions::OutboxDepth() {
  int64_t depth = 0;
  Status s = db_.Run([&](Connection& c) {
    auto rows = c.Query("SELECT count(*)::int8 FROM notification_outbox");
    if (!rows.ok()) return rows.status();
    depth = rows->Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return depth;
}

}  // namespace aih::store::postgres
