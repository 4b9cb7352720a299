#include "store/sql/sql_deletion.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "store/change_feed.h"
#include "model/interaction_writer.h"
#include "store/interaction_store.h"
#include "store/sql/sql_audit_log.h"
#include "store/search_sql.h"
#include "store/sql/sql_log.h"

namespace aih::store::sql {
namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string P(size_t n) { return "$" + std::to_string(n); }

model::InteractionType TypeOf(std::string_view text) {
  if (text == "userPrompt") return model::InteractionType::kUserPrompt;
  if (text == "aiResponse") return model::InteractionType::kAiResponse;
  return model::InteractionType::kUnknownFutureValue;
}

model::OptString Optional(const Row& row, int col) {
  if (row.IsNull(col)) return std::nullopt;
  return row.String(col);
}

}  // namespace

const char* const kItemFactColumns =
    "id, created_ticks, app_class, interaction_type, conversation_type, locale, session_id, request_id, user_id";

model::Interaction ReadItemFacts(const Row& row) {
  model::Interaction item;
  item.id = row.String(0);
  item.created.ticks = row.Int(1);
  item.app_class = row.String(2);
  item.interaction_type = TypeOf(row.Text(3));
  item.conversation_type = Optional(row, 4);
  item.locale = Optional(row, 5);
  item.session_id = Optional(row, 6);
  item.request_id = Optional(row, 7);
  return item;
}

namespace {

// The condition (after "tenant_id = $1 AND ") selecting a scope of one user; its values are
// appended to `args`.
std::string ScopeCondition(const Deletion& d, Args& args) {
  args.emplace_back(d.user_id);
  std::string where = "user_id = " + P(args.size());
  if (d.scope == Deletion::Scope::kOne) {
    args.emplace_back(d.id);
    where += " AND id = " + P(args.size());
  } else if (d.scope == Deletion::Scope::kSession) {
    args.emplace_back(d.session_id);
    where += " AND session_id = " + P(args.size());
  }
  return where;
}

// The condition selecting keys[from, from + n), bound as one parameter appended to `args`
// (Dialect::JsonPairs): the same statement whatever the keys, prepared once, each pair looked up in
// the key index (tenant_id, user_id, id) (SQLite's planner told so by the dialect's by_key).
std::string KeysCondition(const Dialect& dialect, const std::vector<UserItemKey>& keys, size_t from, size_t n,
                          Args& args) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(n);
  for (size_t i = from; i < from + n; ++i) pairs.emplace_back(keys[i].user_id, keys[i].id);
  args.emplace_back(JsonPairArray(pairs));
  return "(user_id, id) IN (" + dialect.JsonPairs(P(args.size())) + ")";
}

// Each selection of the deletion as a condition and its arguments ($1 is the tenant): one for a
// scope of one user, one per kKeysPerStatement keys of a batch.
std::vector<std::pair<std::string, Args>> Selections(const Dialect& dialect, const Deletion& d,
                                                     const std::vector<UserItemKey>& keys) {
  std::vector<std::pair<std::string, Args>> out;
  if (d.scope != Deletion::Scope::kKeys) {
    Args args{d.tenant_id};
    std::string where = ScopeCondition(d, args);
    out.emplace_back(std::move(where), std::move(args));
    return out;
  }
  for (size_t at = 0; at < keys.size(); at += kKeysPerStatement) {
    Args args{d.tenant_id};
    std::string where = KeysCondition(dialect, keys, at, std::min(kKeysPerStatement, keys.size() - at), args);
    out.emplace_back(std::move(where), std::move(args));
  }
  return out;
}

// Removes the rows `where` selects: first their `deleted` changes, their leaves for the verifiable
// log (added to `leaves`: what each deleted version was, its hash and never its content) and (but for
// retention) their erasure records, then the rows themselves.
// `keyed`: `where` selects by a list of keys (KeysCondition).
//
// The rows recorded must be exactly the rows deleted. A deletion takes the log's turn only after it
// deletes (DeleteInteractions), so on PostgreSQL a writer may commit an item between two statements
// of this deletion; each statement would see it or not by its own snapshot, and the item would be
// deleted without its leaf or recorded without being deleted. There the four are one statement.
Status Remove(Session& c, const Deletion& d, const std::string& where, bool keyed, Args args, int64_t now_ms,
              DeletionResult* result, std::vector<integrity::LogLeaf>* leaves) {
  const std::string from = " FROM interactions" + std::string(keyed ? c.dialect().by_key : "") +
                           " WHERE tenant_id = $1 AND " + where;
  const std::string change_type = std::to_string(static_cast<int>(ChangeType::kDeleted));
  const bool erasing = d.reason != Deletion::Reason::kRetention;
  Args recorded = args;  // `where`'s, then the erasure's time, reason and actor
  recorded.emplace_back(now_ms);
  recorded.emplace_back(std::string(ToString(d.reason)));
  recorded.emplace_back(d.actor);
  const size_t n = recorded.size();
  const std::string erasures =
      "INSERT INTO erasures (tenant_id, user_id, id, content_hash, erased_ms, reason, actor)"
      " SELECT tenant_id, user_id, id, content_hash, " + P(n - 2) + ", " + P(n - 1) + ", " + P(n);
  const std::string erasures_conflict =
      " ON CONFLICT (tenant_id, user_id, id) DO UPDATE SET content_hash = excluded.content_hash,"
      " erased_ms = excluded.erased_ms, reason = excluded.reason, actor = excluded.actor";
  // The SHA-256 the row keeps of its JSON; the JSON itself only for a row written before it kept one.
  auto leaf = [&](const Row& row) {
    std::string item_id = row.String(1);
    const int64_t version = row.Int(2);
    leaves->push_back({integrity::LeafKind::kDeleted, d.tenant_id, row.String(0), item_id, version,
                       EtagFor(item_id, version), row.IsNull(3) ? integrity::Sha256(row.Text(4)) : row.String(3)});
    ++result->deleted;
  };
  if (c.dialect().modifying_with) {
    return c.Query("WITH gone AS (DELETE" + from +
                       " RETURNING tenant_id, user_id, id, version, content_sha256, content_hash, created_ticks,"
                       " CASE WHEN content_sha256 IS NULL THEN json END AS old_json),"
                       " changed AS (INSERT INTO changes (tenant_id, user_id, interaction_id, change_type, created_ticks)"
                       " SELECT tenant_id, user_id, id, " + change_type + ", created_ticks FROM gone ORDER BY created_ticks, id)" +
                       (erasing ? ", erased AS (" + erasures + " FROM gone" + erasures_conflict + ")" : "") +
                       " SELECT user_id, id, version, content_sha256, old_json FROM gone ORDER BY created_ticks, id",
                   erasing ? recorded : args, leaf);
  }
  AIH_RETURN_IF_ERROR(c.Query("SELECT user_id, id, version, content_sha256, CASE WHEN content_sha256 IS NULL THEN json END" +
                                  from + " ORDER BY created_ticks, id",
                              args, leaf));
  AIH_RETURN_IF_ERROR(c.Query("INSERT INTO changes (tenant_id, user_id, interaction_id, change_type, created_ticks)"
                              " SELECT tenant_id, user_id, id, " + change_type + ", created_ticks" + from +
                                  " ORDER BY created_ticks, id",
                              args));
  if (erasing) {
    AIH_RETURN_IF_ERROR(c.Query(erasures + from + erasures_conflict, recorded));
  }
  return c.Query("DELETE" + from, args);
}

// The deletion's audit entry (audit_log.h), appended in the deletion's own transaction: a deletion
// is on record if and only if it committed. A retention batch that deleted nothing is not news.
Status RecordDeletion(Session& c, const Deletion& d, const DeletionResult& result, int64_t now_ms) {
  if (d.reason == Deletion::Reason::kRetention && result.deleted == 0 && result.held == 0) return Status::Ok();
  AuditEntry e;
  e.time_ms = now_ms;
  e.tenant_id = d.tenant_id;
  e.actor_kind = d.reason == Deletion::Reason::kRetention ? AuditActor::kSystem
                 : d.actor == "cli"                       ? AuditActor::kOperator
                                                          : AuditActor::kAdminKey;
  e.actor_id = d.actor;
  e.request_id = d.request_id;
  e.action = d.reason == Deletion::Reason::kRetention ? "interactions.retention"
             : d.reason == Deletion::Reason::kErasure ? "interactions.erase"
                                                      : "interactions.delete";
  e.count = result.deleted;
  e.details = "{\"reason\":";
  model::AppendJsonString(e.details, ToString(d.reason));
  e.details += ",\"scope\":";
  switch (d.scope) {
    case Deletion::Scope::kOne: e.details += "\"interaction\""; e.target = d.user_id + "/" + d.id; break;
    case Deletion::Scope::kSession: e.details += "\"session\""; e.target = d.user_id + "/sessions/" + d.session_id; break;
    case Deletion::Scope::kUser: e.details += "\"user\""; e.target = d.user_id; break;
    case Deletion::Scope::kKeys: e.details += "\"batch\""; e.target = std::to_string(d.keys.size()) + " items"; break;
  }
  e.details += ",\"deleted\":" + std::to_string(result.deleted) + ",\"held\":" + std::to_string(result.held) + "}";
  return AppendAudit(c, {e});
}

}  // namespace

Result<std::set<std::pair<std::string, std::string>>> SearchMatches(Session& c, const odata::Search& search,
                                                                     const std::string& where, Args args,
                                                                     bool keyed) {
  const std::string condition = SearchCondition(search, c.dialect().full_text, [&](std::string value) {
    args.emplace_back(std::move(value));
    return P(args.size());
  });
  std::set<std::pair<std::string, std::string>> matches;
  AIH_RETURN_IF_ERROR(c.Query("SELECT user_id, id FROM interactions" + std::string(keyed ? c.dialect().by_key : "") +
                                  " WHERE tenant_id = $1 AND " + where + " AND " + condition,
                              args, [&](const Row& row) { matches.emplace(row.String(0), row.String(1)); }));
  return matches;
}

Status SerialiseWithHolds(Session& c, const std::string& tenant_id) {
  return c.SerialiseOn("aihistory holds " + tenant_id);
}

Result<std::vector<LegalHold>> ReadHolds(Session& c, const std::string& tenant_id, const std::string& case_id,
                                         const std::string& hold_id, bool active_only) {
  Args args{tenant_id};
  std::string where = " WHERE h.tenant_id = $1";
  if (active_only) where += " AND h.status = 'active'";
  if (!case_id.empty()) {
    args.emplace_back(case_id);
    where += " AND h.case_id = " + P(args.size());
  }
  if (!hold_id.empty()) {
    args.emplace_back(hold_id);
    where += " AND h.hold_id = " + P(args.size());
  }
  std::vector<LegalHold> holds;
  std::map<std::string, size_t> index;
  AIH_RETURN_IF_ERROR(c.Query(
      "SELECT hold_id, case_id, display_name, content_query, start_ticks, end_ticks, status, created_ms, released_ms,"
      " content_search"
      " FROM legal_holds h" + where + " ORDER BY created_ms, hold_id",
      args, [&](const Row& row) {
        LegalHold h;
        h.tenant_id = tenant_id;
        h.id = row.String(0);
        h.case_id = row.String(1);
        h.display_name = row.String(2);
        h.content_query = row.String(3);
        h.start_ticks = row.Int(4);
        h.end_ticks = row.Int(5);
        h.active = row.Text(6) == "active";
        h.created_ms = row.Int(7);
        h.released_ms = row.Int(8);
        h.content_search = row.String(9);
        index.emplace(h.id, holds.size());
        holds.push_back(std::move(h));
      }));
  if (holds.empty()) return holds;
  AIH_RETURN_IF_ERROR(c.Query(
      "SELECT u.hold_id, u.user_id FROM legal_hold_users u JOIN legal_holds h"
      " ON h.tenant_id = u.tenant_id AND h.hold_id = u.hold_id" + where,
      args, [&](const Row& row) {
        auto it = index.find(row.String(0));
        if (it != index.end()) holds[it->second].user_ids.push_back(row.String(1));
      }));
  // Sorted here, by bytes: HoldCoverage searches them, and an engine's collation may order otherwise.
  for (LegalHold& h : holds) std::sort(h.user_ids.begin(), h.user_ids.end());
  return holds;
}

namespace {

// Deletes what `d` selects but its held items (or refuses: kConflict), adding the log's leaves of
// the deleted versions to `leaves`; neither the log nor the audit log yet.
Status RemoveSelected(Session& c, const Deletion& d, int64_t now_ms, DeletionResult* out,
                      std::vector<integrity::LogLeaf>* out_leaves) {
  DeletionResult& result = *out;
  std::vector<integrity::LogLeaf>& leaves = *out_leaves;
  auto holds = ReadHolds(c, d.tenant_id, "", "", /*active_only=*/true);
  if (!holds.ok()) return holds.status();

  // Only the holds that name a user this deletion touches can cover anything it selects.
  std::set<std::string> users;
  if (d.scope == Deletion::Scope::kKeys) {
    for (const UserItemKey& k : d.keys) users.insert(k.user_id);
  } else {
    users.insert(d.user_id);
  }
  std::vector<HoldCoverage> coverage;
  for (const LegalHold& hold : *holds) {
    const bool touches = std::any_of(hold.user_ids.begin(), hold.user_ids.end(),
                                     [&](const std::string& u) { return users.count(u) > 0; });
    if (!touches) continue;
    auto covering = HoldCoverage::For(hold);
    if (!covering.ok()) return covering.status();
    coverage.push_back(std::move(*covering));
  }

  if (coverage.empty()) {  // nothing held: whole selections at once
    for (auto& [where, args] : Selections(c.dialect(), d, d.keys)) {
      AIH_RETURN_IF_ERROR(
          Remove(c, d, where, d.scope == Deletion::Scope::kKeys, std::move(args), now_ms, &result, &leaves));
    }
    return Status::Ok();
  }

  // Some may be held: read the selected items (locking them against a concurrent update), judge each.
  std::vector<UserItemKey> doomed;
  std::optional<Status> refused;
  for (auto& [where, args] : Selections(c.dialect(), d, d.keys)) {
    // What each hold's search matches among this selection (the full-text index, not the rows).
    std::vector<std::set<std::pair<std::string, std::string>>> searched(coverage.size());
    for (size_t h = 0; h < coverage.size(); ++h) {
      if (coverage[h].search() == nullptr) continue;
      auto matches = SearchMatches(c, *coverage[h].search(), where, args, d.scope == Deletion::Scope::kKeys);
      if (!matches.ok()) return matches.status();
      searched[h] = std::move(*matches);
    }
    AIH_RETURN_IF_ERROR(c.Query(
        std::string("SELECT ") + kItemFactColumns + " FROM interactions" +
            std::string(d.scope == Deletion::Scope::kKeys ? c.dialect().by_key : "") + " WHERE tenant_id = $1 AND " + where +
            " ORDER BY created_ticks, id" + std::string(c.dialect().lock_rows),
        args, [&](const Row& row) {
          std::string user_id = row.String(8);
          model::Interaction item = ReadItemFacts(row);
          for (size_t h = 0; h < coverage.size(); ++h) {
            const HoldCoverage& hold = coverage[h];
            if (!hold.Covers(user_id, item, searched[h].count({user_id, item.id}) > 0)) continue;
            if (!refused) refused = HeldBy(hold.hold(), user_id, item.id);
            ++result.held;
            return;
          }
          doomed.push_back({std::move(user_id), std::move(item.id)});
        }));
  }
  if (refused && d.on_hold == Deletion::OnHold::kRefuse) return *refused;
  Deletion batch = d;
  batch.scope = Deletion::Scope::kKeys;
  for (auto& [where, args] : Selections(c.dialect(), batch, doomed)) {
    AIH_RETURN_IF_ERROR(Remove(c, d, where, /*keyed=*/true, std::move(args), now_ms, &result, &leaves));
  }
  return Status::Ok();
}

}  // namespace

Result<DeletionResult> DeleteInteractions(Session& c, const Deletion& d) {
  if (d.scope == Deletion::Scope::kKeys && d.keys.size() > Deletion::kMaxKeys) {
    return Status::BadRequest("a deletion batch holds at most " + std::to_string(Deletion::kMaxKeys) + " keys, not " +
                              std::to_string(d.keys.size()));
  }
  const int64_t now_ms = d.now_ms != 0 ? d.now_ms : SystemNowMs();
  AIH_RETURN_IF_ERROR(SerialiseWithHolds(c, d.tenant_id));
  DeletionResult result;
  std::vector<integrity::LogLeaf> leaves;
  LogKeys known;  // none: all found in the turn
  if (c.dialect().serialise_key.empty()) {  // one writer at a time: no turn to wait for
    AIH_RETURN_IF_ERROR(RemoveSelected(c, d, now_ms, &result, &leaves));
  } else {
    // The rows first, the log's turn last (sql_log.h "Order"): ingest's group commits, which append
    // to the same log, wait for the turn only while this deletion appends its leaves and commits,
    // not while it deletes. The turn's holder may be a writer of an item deleted here, waiting for
    // that row; so the deletion waits for the turn a moment only. Past it (or should PostgreSQL find
    // the cycle first) it gives its rows back (the savepoint), waits for the turn holding none, and
    // deletes again: a writer never waits longer than that moment, and never deadlocks with it.
    // A batch's log keys are looked up before the turn too (LogKeys), and before its rows are
    // deleted, so that the deletion holds its rows no longer than it must.
    const Dialect& dialect = c.dialect();
    if (d.scope == Deletion::Scope::kKeys) {
      AIH_ASSIGN_OR_RETURN(known, FindLogKeys(c, d.tenant_id, d.keys));
    }
    AIH_RETURN_IF_ERROR(c.Query("SAVEPOINT deletion", {}));
    AIH_RETURN_IF_ERROR(RemoveSelected(c, d, now_ms, &result, &leaves));
    AIH_RETURN_IF_ERROR(c.Query(std::string(dialect.bound_lock_waits), {}));
    if (LockLogs(c, {d.tenant_id}).ok()) {
      AIH_RETURN_IF_ERROR(c.Query(std::string(dialect.unbound_lock_waits), {}));
      AIH_RETURN_IF_ERROR(c.Query("RELEASE SAVEPOINT deletion", {}));
    } else {  // the rollback also ends the bound (SET LOCAL inside the savepoint)
      AIH_RETURN_IF_ERROR(c.Query("ROLLBACK TO SAVEPOINT deletion", {}));
      AIH_RETURN_IF_ERROR(c.Query("RELEASE SAVEPOINT deletion", {}));
      AIH_RETURN_IF_ERROR(LockLogs(c, {d.tenant_id}));
      result = DeletionResult{};
      leaves.clear();
      AIH_RETURN_IF_ERROR(RemoveSelected(c, d, now_ms, &result, &leaves));
    }
  }
  AIH_RETURN_IF_ERROR(AppendToLog(c, leaves, &known));
  AIH_RETURN_IF_ERROR(RecordDeletion(c, d, result, now_ms));
  return result;
}

}  // namespace aih::store::sql
