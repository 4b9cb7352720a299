#include "store/postgres/postgres_outbox.h"

#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>

#include "store/postgres/session.h"

namespace aih::store::postgres {
namespace {

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

}  // namespace

Status PostgresOutbox::Insert(sql::Session& session, const std::vector<OutboxEntry>& entries) {
  std::map<std::string, int64_t> known;
  for (const OutboxEntry& e : entries) AIH_RETURN_IF_ERROR(InsertEntry(ConnectionOf(session), e, &known));
  return Status::Ok();
}

Status PostgresOutbox::DropChangeBatches(sql::Session& session, const std::string& tenant_id,
                                         const std::string& subscription_id) {
  Connection& c = ConnectionOf(session);
  std::set<PayloadKey> payloads;
  AIH_RETURN_IF_ERROR(Query(c,
                            "DELETE FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2 AND kind = $3"
                            " RETURNING tenant_id, payload_id",
                            {tenant_id, subscription_id, static_cast<int64_t>(OutboxKind::kChanges)},
                            CollectPayloads(&payloads)));
  return DropOrphanPayloads(c, payloads);
}

Result<std::vector<OutboxEntry>> PostgresOutbox::ClaimDue(const std::string& consumer, int64_t now_ms,
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

Status PostgresOutbox::Settle(const std::string& consumer, const std::vector<Settlement>& settlements) {
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

}  // namespace aih::store::postgres
