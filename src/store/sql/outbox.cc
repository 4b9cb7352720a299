#include "store/sql/outbox.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/hex.h"
#include "integrity/log_leaf.h"

namespace aih::store::sql {
namespace {

// A payload is keyed by (tenant, payload id), as every tenant-owned row.
using PayloadKey = std::pair<std::string, int64_t>;
// Payload ids by tenant: each tenant's are read or deleted in one statement.
using PayloadIds = std::map<std::string, std::vector<int64_t>>;

PayloadIds ByTenant(const std::set<PayloadKey>& keys) {
  PayloadIds out;
  for (const auto& [tenant, id] : keys) out[tenant].push_back(id);  // ascending: the set's order
  return out;
}

// The id of `e.payload` among the tenant's payloads, storing it if it is new; `known` caches by
// digest within one transaction (a fan-out enqueues one payload for many subscriptions). The upsert
// takes the payload row's lock until commit, so DropOrphanPayloads (which locks before it looks)
// cannot delete a payload that an entry of this still-uncommitted transaction is about to carry; and
// if such a delete wins the lock first, the upsert finds no row and inserts the payload again.
Result<int64_t> PayloadIdOf(Session& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  const std::string digest = Hex(integrity::Sha256(e.payload));  // hex text: compared as text everywhere
  const std::string key = e.tenant_id + '\0' + digest;
  if (auto it = known->find(key); it != known->end()) return it->second;
  int64_t id = 0;
  AIH_RETURN_IF_ERROR(c.Query(
      "INSERT INTO notification_payloads (tenant_id, digest, payload) VALUES ($1, $2, $3)"
      " ON CONFLICT (tenant_id, digest) DO UPDATE SET digest = excluded.digest RETURNING payload_id",
      {e.tenant_id, digest, Blob{e.payload}}, [&](const Row& row) { id = row.Int(0); }));
  known->emplace(key, id);
  return id;
}

// Stores one entry (entry_id assigned, attempts 0), unless it has a once_key that an entry of its
// subscription still waiting carries. `known` caches payload ids within the transaction.
Status InsertOutboxEntry(Session& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  if (!e.once_key.empty()) {
    // Enqueues of the same once_key take turns until commit, so the look below sees what the
    // previous one stored (the partial unique index is the backstop).
    AIH_RETURN_IF_ERROR(c.SerialiseOn("aihistory outbox once " + e.tenant_id + "/" + e.subscription_id + "/" + e.once_key));
    auto waiting = c.Exists(
        "SELECT 1 FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2 AND once_key = $3",
        {e.tenant_id, e.subscription_id, e.once_key});
    if (!waiting.ok()) return waiting.status();
    if (*waiting) return Status::Ok();
  }
  auto payload_id = PayloadIdOf(c, e, known);
  if (!payload_id.ok()) return payload_id.status();
  return c.Query(
      "INSERT INTO notification_outbox (tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms,"
      " attempts, next_attempt_ms, once_key) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
      {e.tenant_id, e.subscription_id, static_cast<int64_t>(e.kind), e.url, *payload_id, int64_t{e.items},
       e.enqueued_ms, e.next_attempt_ms, e.once_key.empty() ? Value(Null{}) : Value(e.once_key)});
}

// Fills entries[i].payload from keys[i], reading each distinct payload once, a tenant's in one
// statement.
Status FillPayloads(Session& c, std::vector<OutboxEntry>& entries, const std::vector<PayloadKey>& keys) {
  std::map<PayloadKey, std::string> payloads;
  for (const auto& [tenant, ids] : ByTenant(std::set<PayloadKey>(keys.begin(), keys.end()))) {
    AIH_RETURN_IF_ERROR(c.Query(
        "SELECT payload_id, payload FROM notification_payloads WHERE tenant_id = $1"
        " AND payload_id IN (SELECT CAST(value AS bigint) FROM (" + c.dialect().JsonValues("$2") + ") ids)",
        {tenant, JsonArray(ids)}, [&, t = &tenant](const Row& row) { payloads[{*t, row.Int(0)}] = row.String(1); }));
  }
  for (size_t i = 0; i < entries.size(); ++i) entries[i].payload = payloads[keys[i]];
  return Status::Ok();
}

// Deletes the payloads among `keys` that no entry carries any more. Each payload's row is locked
// first, in key order (no deadlock between two settlers), and only then, in a statement of its own
// (so with a snapshot taken after the lock), are its entries counted: an enqueue that took the
// payload's lock before us has committed its entry by then, and one that comes after waits for us.
Status DropOrphanPayloads(Session& c, const std::set<PayloadKey>& keys) {
  for (const auto& [tenant, ids] : ByTenant(keys)) {
    const std::string listed =
        " WHERE tenant_id = $1 AND payload_id IN (SELECT CAST(value AS bigint) FROM (" + c.dialect().JsonValues("$2") + ") ids)";
    const Args args{tenant, JsonArray(ids)};
    if (!c.dialect().lock_rows.empty()) {
      AIH_RETURN_IF_ERROR(c.Query("SELECT payload_id FROM notification_payloads" + listed + " ORDER BY payload_id" +
                                      std::string(c.dialect().lock_rows),
                                  args));
    }
    AIH_RETURN_IF_ERROR(c.Query("DELETE FROM notification_payloads" + listed +
                                    " AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.payload_id ="
                                    " notification_payloads.payload_id AND o.tenant_id = notification_payloads.tenant_id)",
                                args));
  }
  return Status::Ok();
}

// Collects (tenant, payload id) from rows of "RETURNING tenant_id, payload_id".
RowFn CollectPayloads(std::set<PayloadKey>* keys) {
  return [keys](const Row& row) { keys->emplace(row.String(0), row.Int(1)); };
}

}  // namespace

OutboxEntry OutboxEntryOf(const Row& row) {
  OutboxEntry e;
  e.entry_id = row.Int(0);
  e.tenant_id = row.String(1);
  e.subscription_id = row.String(2);
  e.kind = static_cast<OutboxKind>(row.Int(3));
  e.url = row.String(4);
  e.items = static_cast<int>(row.Int(6));
  e.enqueued_ms = row.Int(7);
  e.attempts = static_cast<int>(row.Int(8));
  e.next_attempt_ms = row.Int(9);
  if (!row.IsNull(10)) e.once_key = row.String(10);
  return e;
}

Status Outbox::Insert(Session& c, const std::vector<OutboxEntry>& entries) {
  std::map<std::string, int64_t> known;
  for (const OutboxEntry& e : entries) AIH_RETURN_IF_ERROR(InsertOutboxEntry(c, e, &known));
  return Status::Ok();
}

Status Outbox::DropChangeBatches(Session& c, const std::string& tenant_id, const std::string& subscription_id) {
  std::set<PayloadKey> payloads;
  AIH_RETURN_IF_ERROR(c.Query(
      "DELETE FROM notification_outbox WHERE tenant_id = $1 AND subscription_id = $2 AND kind = $3"
      " RETURNING tenant_id, payload_id",
      {tenant_id, subscription_id, static_cast<int64_t>(OutboxKind::kChanges)}, CollectPayloads(&payloads)));
  return DropOrphanPayloads(c, payloads);
}

Result<std::vector<OutboxEntry>> Outbox::ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                                  int per_subscription, int limit,
                                                  const std::vector<std::string>& skip) {
  std::vector<OutboxEntry> out;
  const std::string skipped = JsonArray(skip);
  // One transaction: the claimed entries' row locks keep their payloads from being settled away
  // before they are read.
  Status s = db_.Transaction([&](Session& c) {
    out.clear();
    std::vector<PayloadKey> keys;
    // The window numbers each subscription's due entries, so one busy subscription cannot take the
    // whole claim from the others. (A window rules out SKIP LOCKED: a concurrent claimer waits on the
    // row locks instead, and the re-checked `next_attempt_ms <= now` then skips what it just leased.)
    AIH_RETURN_IF_ERROR(c.Query(
        "UPDATE notification_outbox AS o SET claimed_by = $1, next_attempt_ms = $2 + $3"
        " FROM (SELECT tenant_id AS pick_tenant, entry_id AS pick_entry FROM ("
        "   SELECT tenant_id, entry_id, row_number() OVER (PARTITION BY tenant_id, subscription_id"
        "                                                  ORDER BY entry_id) AS n"
        "   FROM notification_outbox WHERE next_attempt_ms <= $2 AND subscription_id NOT IN (" +
            c.dialect().JsonValues("$4") +
            ") ) due WHERE n <= $5 ORDER BY entry_id LIMIT $6) AS pick"
            " WHERE o.tenant_id = pick.pick_tenant AND o.entry_id = pick.pick_entry AND o.next_attempt_ms <= $2"
            " RETURNING entry_id, tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms, attempts,"
            " next_attempt_ms, once_key",
        {consumer, now_ms, lease_ms, skipped, int64_t{per_subscription}, int64_t{limit}}, [&](const Row& row) {
          out.push_back(OutboxEntryOf(row));
          keys.emplace_back(out.back().tenant_id, row.Int(5));
        }));
    return FillPayloads(c, out, keys);
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) { return a.entry_id < b.entry_id; });
  return out;
}

Status Outbox::Settle(const std::string& consumer, const std::vector<Settlement>& settlements) {
  if (settlements.empty()) return Status::Ok();
  return db_.Transaction([&](Session& c) {
    std::set<PayloadKey> payloads;  // of the entries removed: deleted too once nothing carries them
    for (const Settlement& st : settlements) {
      switch (st.outcome) {
        case Settlement::Outcome::kDelivered:
          AIH_RETURN_IF_ERROR(c.Query("DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                      " AND subscription_id = $3 RETURNING tenant_id, payload_id",
                                      {st.entry_id, st.tenant_id, st.subscription_id}, CollectPayloads(&payloads)));
          break;
        case Settlement::Outcome::kRetry:
          AIH_RETURN_IF_ERROR(c.Query("UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = $4,"
                                      " claimed_by = NULL WHERE entry_id = $1 AND tenant_id = $2"
                                      " AND subscription_id = $3 AND claimed_by = $5",
                                      {st.entry_id, st.tenant_id, st.subscription_id, st.next_attempt_ms, consumer}));
          break;
        case Settlement::Outcome::kDropped: {
          bool dropped = false;
          AIH_RETURN_IF_ERROR(c.Query("DELETE FROM notification_outbox WHERE entry_id = $1 AND tenant_id = $2"
                                      " AND subscription_id = $3 AND claimed_by = $4 RETURNING tenant_id, payload_id",
                                      {st.entry_id, st.tenant_id, st.subscription_id, consumer}, [&](const Row& row) {
                                        dropped = true;
                                        payloads.emplace(row.String(0), row.Int(1));
                                      }));
          if (dropped && st.replacement) {
            std::map<std::string, int64_t> known;
            AIH_RETURN_IF_ERROR(InsertOutboxEntry(c, *st.replacement, &known));
          }
          break;
        }
      }
    }
    return DropOrphanPayloads(c, payloads);
  });
}

}  // namespace aih::store::sql
