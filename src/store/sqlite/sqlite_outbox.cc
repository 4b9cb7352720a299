#include "store/sqlite/sqlite_outbox.h"

#include <openssl/sha.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <variant>

#include "store/sqlite/query.h"
#include "store/sqlite/session.h"

namespace aih::store::sqlite {
namespace {

constexpr const char* kEntryColumns =
    "entry_id, tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms, attempts, next_attempt_ms,"
    " once_key";

// An entry without its payload; the payload id goes to *payload_id.
OutboxEntry ReadEntry(const Statement& row, int64_t* payload_id) {
  OutboxEntry e;
  e.entry_id = row.Int(0);
  e.tenant_id = row.Text(1);
  e.subscription_id = row.Text(2);
  e.kind = static_cast<OutboxKind>(row.Int(3));
  e.url = row.Text(4);
  *payload_id = row.Int(5);
  e.items = static_cast<int>(row.Int(6));
  e.enqueued_ms = row.Int(7);
  e.attempts = static_cast<int>(row.Int(8));
  e.next_attempt_ms = row.Int(9);
  if (!row.IsNull(10)) e.once_key = row.Text(10);
  return e;
}

// The id of `payload` in the tenant's payloads, storing it if it is new. `known` caches by digest
// within one transaction (a fan-out enqueues the same payload for many subscriptions).
Result<int64_t> PayloadId(Connection& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(e.payload.data()), e.payload.size(), d);
  static const char* kHex = "0123456789abcdef";
  std::string digest;  // as hex text: compared as text in every statement
  for (unsigned char byte : d) {
    digest += kHex[byte >> 4];
    digest += kHex[byte & 15];
  }
  const std::string key = e.tenant_id + '\0' + digest;
  if (auto it = known->find(key); it != known->end()) return it->second;
  auto insert = c.Prepare(
      "INSERT INTO notification_payloads (tenant_id, digest, payload) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (tenant_id, digest) DO NOTHING");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, std::string_view(e.tenant_id));
  insert->Bind(2, std::string_view(digest));
  insert->BindBlob(3, e.payload);
  AIH_RETURN_IF_ERROR(insert->Run());
  int64_t id = 0;
  AIH_RETURN_IF_ERROR(Query(c, "SELECT payload_id FROM notification_payloads WHERE tenant_id = ?1 AND digest = ?2",
                            Args{e.tenant_id, digest}, [&](const Statement& row) { id = row.Int(0); }));
  known->emplace(key, id);
  return id;
}

Status InsertEntry(Connection& c, const OutboxEntry& e, std::map<std::string, int64_t>* known) {
  if (!e.once_key.empty()) {
    // One writer at a time (the WriteQueue): nothing can come between this look and the insert.
    bool waiting = false;
    AIH_RETURN_IF_ERROR(Query(c,
                              "SELECT 1 FROM notification_outbox WHERE tenant_id = ?1 AND subscription_id = ?2"
                              " AND once_key = ?3",
                              Args{e.tenant_id, e.subscription_id, e.once_key},
                              [&](const Statement&) { waiting = true; }));
    if (waiting) return Status::Ok();
  }
  auto payload_id = PayloadId(c, e, known);
  if (!payload_id.ok()) return payload_id.status();
  auto stmt = c.Prepare(
      "INSERT INTO notification_outbox (tenant_id, subscription_id, kind, url, payload_id, items, enqueued_ms,"
      " attempts, next_attempt_ms, once_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, std::string_view(e.tenant_id));
  stmt->Bind(2, std::string_view(e.subscription_id));
  stmt->Bind(3, static_cast<int64_t>(e.kind));
  stmt->Bind(4, std::string_view(e.url));
  stmt->Bind(5, *payload_id);
  stmt->Bind(6, static_cast<int64_t>(e.items));
  stmt->Bind(7, e.enqueued_ms);
  stmt->Bind(8, e.next_attempt_ms);
  if (e.once_key.empty()) {
    stmt->BindNull(9);
  } else {
    stmt->Bind(9, std::string_view(e.once_key));
  }
  return stmt->Run();
}

Status InsertEntry(Connection& c, const OutboxEntry& e) {
  std::map<std::string, int64_t> known;
  return InsertEntry(c, e, &known);
}

// Fills entries[i].payload from payload_ids[i], reading each distinct payload once.
Status FillPayloads(Connection& c, std::vector<OutboxEntry>& entries, const std::vector<int64_t>& payload_ids) {
  std::map<int64_t, std::string> payloads;
  for (int64_t id : payload_ids) payloads.emplace(id, std::string());
  for (auto& [id, payload] : payloads) {
    AIH_RETURN_IF_ERROR(Query(c, "SELECT payload FROM notification_payloads WHERE payload_id = ?1", Args{id},
                              [&](const Statement& row) { payload = row.Text(0); }));
  }
  for (size_t i = 0; i < entries.size(); ++i) entries[i].payload = payloads[payload_ids[i]];
  return Status::Ok();
}

// Deletes the payloads among `ids` that no entry carries any more.
Status DropOrphanPayloads(Connection& c, const std::set<int64_t>& ids) {
  for (int64_t id : ids) {
    AIH_RETURN_IF_ERROR(Query(c,
                              "DELETE FROM notification_payloads WHERE payload_id = ?1"
                              " AND NOT EXISTS (SELECT 1 FROM notification_outbox WHERE payload_id = ?1)",
                              Args{id}));
  }
  return Status::Ok();
}

// A JSON array of strings, bound as one parameter and read back with json_each.
std::string JsonList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      if (static_cast<unsigned char>(ch) >= 0x20) out += ch;
    }
    out += '"';
  }
  return out + "]";
}

}  // namespace

Status SqliteOutbox::Insert(sql::Session& session, const std::vector<OutboxEntry>& entries) {
  std::map<std::string, int64_t> known;
  for (const OutboxEntry& e : entries) AIH_RETURN_IF_ERROR(InsertEntry(ConnectionOf(session), e, &known));
  return Status::Ok();
}

Status SqliteOutbox::DropChangeBatches(sql::Session& session, const std::string& tenant_id,
                                       const std::string& subscription_id) {
  Connection& c = ConnectionOf(session);
  std::set<int64_t> payloads;
  AIH_RETURN_IF_ERROR(Query(c,
                            "DELETE FROM notification_outbox WHERE tenant_id = ?1 AND subscription_id = ?2 AND kind = ?3"
                            " RETURNING payload_id",
                            Args{tenant_id, subscription_id, static_cast<int64_t>(OutboxKind::kChanges)},
                            [&](const Statement& row) { payloads.insert(row.Int(0)); }));
  return DropOrphanPayloads(c, payloads);
}

Result<std::vector<OutboxEntry>> SqliteOutbox::ClaimDue(const std::string& consumer, int64_t now_ms,
                                                              int64_t lease_ms, int per_subscription, int limit,
                                                              const std::vector<std::string>& skip) {
  std::vector<OutboxEntry> out;
  const std::string skip_list = JsonList(skip);
  Status s = db_.Write([&](Connection& c) {
    out.clear();
    std::vector<int64_t> payload_ids;
    // The window numbers each subscription's due entries, so one busy subscription cannot take
    // the whole claim from the others.
    AIH_RETURN_IF_ERROR(Query(c,
                 std::string("UPDATE notification_outbox SET claimed_by = ?1, next_attempt_ms = ?2 + ?3"
                             " WHERE entry_id IN (SELECT entry_id FROM ("
                             "   SELECT entry_id, ROW_NUMBER() OVER (PARTITION BY tenant_id, subscription_id"
                             "                                       ORDER BY entry_id) AS n"
                             "   FROM notification_outbox WHERE next_attempt_ms <= ?2"
                             "   AND subscription_id NOT IN (SELECT value FROM json_each(?4)))"
                             " WHERE n <= ?5 ORDER BY entry_id LIMIT ?6) RETURNING ") +
                     kEntryColumns,
                 Args{consumer, now_ms, lease_ms, skip_list, int64_t{per_subscription}, int64_t{limit}},
                 [&](const Statement& row) {
                   payload_ids.emplace_back();
                   out.push_back(ReadEntry(row, &payload_ids.back()));
                 }));
    return FillPayloads(c, out, payload_ids);
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) { return a.entry_id < b.entry_id; });
  return out;
}

Status SqliteOutbox::Settle(const std::string& consumer, const std::vector<Settlement>& settlements) {
  if (settlements.empty()) return Status::Ok();
  return db_.Write([&](Connection& c) {
    std::set<int64_t> payloads;  // of the entries removed: deleted too once nothing carries them
    auto collect = [&](const Statement& row) { payloads.insert(row.Int(0)); };
    for (const Settlement& st : settlements) {
      switch (st.outcome) {
        case Settlement::Outcome::kDelivered:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = ?1 AND tenant_id = ?2"
                                    " AND subscription_id = ?3 RETURNING payload_id",
                                    Args{st.entry_id, st.tenant_id, st.subscription_id}, collect));
          break;
        case Settlement::Outcome::kRetry:
          AIH_RETURN_IF_ERROR(Query(c,
                                    "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = ?4,"
                                    " claimed_by = NULL WHERE entry_id = ?1 AND tenant_id = ?2"
                                    " AND subscription_id = ?3 AND claimed_by = ?5",
                                    Args{st.entry_id, st.tenant_id, st.subscription_id, st.next_attempt_ms, consumer}));
          break;
        case Settlement::Outcome::kDropped: {
          bool dropped = false;
          AIH_RETURN_IF_ERROR(Query(c,
                                    "DELETE FROM notification_outbox WHERE entry_id = ?1 AND tenant_id = ?2"
                                    " AND subscription_id = ?3 AND claimed_by = ?4 RETURNING payload_id",
                                    Args{st.entry_id, st.tenant_id, st.subscription_id, consumer},
                                    [&](const Statement& row) {
                                      dropped = true;
                                      collect(row);
                                    }));
          if (dropped && st.replacement) AIH_RETURN_IF_ERROR(InsertEntry(c, *st.replacement));
          break;
        }
      }
    }
    return DropOrphanPayloads(c, payloads);
  });
}

}  // namespace aih::store::sqlite
