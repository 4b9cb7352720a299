#include "store/postgres/postgres_interactions.h"

#include <unordered_map>

#include "store/change_feed.h"
#include "store/page_sql.h"
#include "store/postgres/search_window.h"
#include "store/postgres/session.h"
#include "store/search_document.h"
#include "store/sql/sql_log.h"
#include "store/sql/sql_subscriptions.h"

namespace aih::store::postgres {
namespace {

// One string per (tenant, user, id): PostgreSQL text cannot hold NUL, so it separates unambiguously.
std::string KeyOf(const std::string& tenant, const std::string& user, const std::string& id) {
  std::string key;
  key.reserve(tenant.size() + user.size() + id.size() + 2);
  key.append(tenant).push_back('\0');
  key.append(user).push_back('\0');
  key.append(id);
  return key;
}

std::string KeyOf(const ItemToWrite& item) { return KeyOf(item.tenant_id, item.user_id, item.interaction.id); }

// Splits a batch into rounds in which each key appears at most once, keeping item order. A key sent
// twice in one batch is then written twice in sequence (stored, then unchanged or updated) exactly
// as SQLite's item-by-item loop does, while each round is still a few set-based statements.
std::vector<std::vector<size_t>> Rounds(const std::vector<ItemToWrite>& items) {
  std::vector<std::vector<size_t>> rounds(1);
  std::unordered_map<std::string, size_t> seen;  // key -> occurrences so far
  for (size_t i = 0; i < items.size(); ++i) {
    size_t round = seen[KeyOf(items[i])]++;
    if (round >= rounds.size()) rounds.resize(round + 1);
    rounds[round].push_back(i);
  }
  return rounds;
}

// The columns of a set of interaction rows, one binary array each.
struct RowArrays {
  BinaryArray tenant{kText}, user{kText}, id{kText}, ticks{kInt8}, app_class{kText}, type{kText},
      conversation_type{kText}, locale{kText}, session_id{kText}, request_id{kText}, hash{kInt8},
      version{kInt8}, json{kText}, search_terms{kText}, sha256{kBytea};

  void Add(const ItemToWrite& item, int64_t row_version, std::string_view row_json, std::string_view row_sha256) {
    const model::Interaction& in = item.interaction;
    tenant.Add(item.tenant_id);
    user.Add(item.user_id);
    id.Add(in.id);
    ticks.Add(in.created.ticks);
    app_class.Add(in.app_class);
    type.Add(std::string_view(model::ToString(in.interaction_type)));
    conversation_type.Add(in.conversation_type);
    locale.Add(in.locale);
    session_id.Add(in.session_id);
    request_id.Add(in.request_id);
    hash.Add(static_cast<int64_t>(item.content_hash));
    version.Add(row_version);
    json.Add(row_json);
    search_terms.Add(TsvectorLiteral(item.search_document));
    sha256.Add(row_sha256);
  }

  Params ToParams() && {
    Params p;
    for (BinaryArray* a : {&tenant, &user, &id, &ticks, &app_class, &type, &conversation_type, &locale,
                           &session_id, &request_id, &hash, &version, &json, &search_terms, &sha256}) {
      p.Array(std::move(*a));
    }
    return p;
  }
};

// $1..$15 are RowArrays' columns, in order (the search terms arrive as tsvector literals).
constexpr const char* kRows =
    "unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[],"
    " $9::text[], $10::text[], $11::int8[], $12::int8[], $13::text[], $14::text[]::tsvector[], $15::bytea[])"
    " AS r(tenant_id, user_id, id, created_ticks, app_class, interaction_type, conversation_type, locale,"
    " session_id, request_id, content_hash, version, json, search_terms, content_sha256)";

// What the log records of an item's write: the version stored and the SHA-256 of its JSON.
struct Logged {
  int64_t version = 0;
  std::string sha256;
};

// Writes the items of one round (distinct keys), recording each outcome, the change it makes and
// what the log records of it.
Status WriteRound(Connection& c, const std::vector<ItemToWrite>& items, const std::vector<size_t>& round,
                  std::vector<ItemOutcome>* outcomes, std::vector<std::optional<ChangeType>>* changes,
                  std::vector<Logged>* logged) {
  // 1. Insert them all; the keys that already exist are left alone and reported back as absent.
  RowArrays rows;
  std::vector<std::string> sha256(items.size());  // of each stored JSON, by item
  for (size_t i : round) {
    sha256[i] = integrity::Sha256(items[i].json);
    rows.Add(items[i], items[i].version, items[i].json, sha256[i]);
  }
  auto inserted = c.Query(
      std::string("INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
                  " conversation_type, locale, session_id, request_id, content_hash, version, json, search_terms,"
                  " content_sha256) SELECT * FROM ") + kRows +
          " ON CONFLICT (tenant_id, user_id, id) DO NOTHING RETURNING tenant_id, user_id, id",
      std::move(rows).ToParams());
  if (!inserted.ok()) return inserted.status();
  std::unordered_map<std::string, size_t> pending;  // key -> item, for the keys that existed
  for (size_t i : round) pending.emplace(KeyOf(items[i]), i);
  for (int r = 0; r < inserted->size(); ++r) {
    auto it = pending.find(KeyOf(std::string(inserted->Text(r, 0)), std::string(inserted->Text(r, 1)),
                                 std::string(inserted->Text(r, 2))));
    if (it == pending.end()) return Status::Internal("PostgreSQL inserted an interaction that was not sent");
    const ItemToWrite& stored = items[it->second];
    (*outcomes)[it->second] = ItemOutcome{WriteResult::kStored, EtagFor(stored.interaction.id, stored.version)};
    (*changes)[it->second] = ChangeType::kCreated;
    (*logged)[it->second] = Logged{stored.version, std::move(sha256[it->second])};
    pending.erase(it);
  }
  if (pending.empty()) return Status::Ok();

  // 2. The existing ones: lock them (another server may be updating them too) and compare hashes.
  BinaryArray tenants(kText), users(kText), ids(kText);
  for (auto& [key, i] : pending) {
    tenants.Add(items[i].tenant_id);
    users.Add(items[i].user_id);
    ids.Add(items[i].interaction.id);
  }
  Params keys;
  keys.Array(std::move(tenants)).Array(std::move(users)).Array(std::move(ids));
  auto existing = c.Query(
      "SELECT i.tenant_id, i.user_id, i.id, i.content_hash, i.version FROM interactions i"
      " JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(tenant_id, user_id, id)"
      " ON i.tenant_id = k.tenant_id AND i.user_id = k.user_id AND i.id = k.id FOR UPDATE OF i",
      keys);
  if (!existing.ok()) return existing.status();
  RowArrays updates;
  int updated = 0;
  for (int r = 0; r < existing->size(); ++r) {
    auto it = pending.find(KeyOf(std::string(existing->Text(r, 0)), std::string(existing->Text(r, 1)),
                                 std::string(existing->Text(r, 2))));
    if (it == pending.end()) continue;
    const ItemToWrite& item = items[it->second];
    Rewrite rewrite = RewriteOf(item, static_cast<uint64_t>(existing->Int(r, 3)), existing->Int(r, 4));
    (*outcomes)[it->second] = rewrite.outcome;
    if (rewrite.outcome.result == WriteResult::kUpdated) {
      (*logged)[it->second] = Logged{rewrite.version, integrity::Sha256(rewrite.json)};
      updates.Add(item, rewrite.version, rewrite.json, (*logged)[it->second].sha256);
      (*changes)[it->second] = ChangeType::kUpdated;
      ++updated;
    }
    pending.erase(it);
  }
  if (!pending.empty()) {
    // Only a concurrent delete between our insert and our lock gets here: let the caller retry.
    return Status::Unavailable("an interaction was deleted while being written; retry the write");
  }
  if (updated == 0) return Status::Ok();
  auto update = c.Query(
      std::string("UPDATE interactions i SET created_ticks = r.created_ticks, app_class = r.app_class,"
                  " interaction_type = r.interaction_type, conversation_type = r.conversation_type,"
                  " locale = r.locale, session_id = r.session_id, request_id = r.request_id,"
                  " content_hash = r.content_hash, version = r.version, json = r.json,"
                  " search_terms = r.search_terms, content_sha256 = r.content_sha256 FROM ") +
          kRows + " WHERE i.tenant_id = r.tenant_id AND i.user_id = r.user_id AND i.id = r.id",
      std::move(updates).ToParams());
  return update.ok() ? Status::Ok() : update.status();
}

// Appends the change rows of a batch, in item order.
Status AppendChanges(Connection& c, const std::vector<ItemToWrite>& items,
                     const std::vector<std::optional<ChangeType>>& changes) {
  BinaryArray tenants(kText), users(kText), ids(kText), types(kInt8), ticks(kInt8);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!changes[i]) continue;
    tenants.Add(items[i].tenant_id);
    users.Add(items[i].user_id);
    ids.Add(items[i].interaction.id);
    types.Add(static_cast<int64_t>(*changes[i]));
    ticks.Add(items[i].interaction.created.ticks);
  }
  if (tenants.size() == 0) return Status::Ok();
  Params p;
  p.Array(std::move(tenants)).Array(std::move(users)).Array(std::move(ids)).Array(std::move(types)).Array(std::move(ticks));
  auto r = c.Query(
      "INSERT INTO changes (tenant_id, user_id, interaction_id, change_type, created_ticks)"
      " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[])",
      p);
  return r.ok() ? Status::Ok() : r.status();
}

}  // namespace

Status PostgresInteractions::WriteBatch(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) {
  if (items.empty()) {
    outcomes->clear();
    return Status::Ok();
  }
  const auto rounds = Rounds(items);
  std::vector<std::string> tenants;
  for (const ItemToWrite& item : items) tenants.push_back(item.tenant_id);
  // Validated before it came here, the batch fails only when the database does: no savepoint of its
  // own (sql::Undo).
  return db_.Write([&](Connection& c) {
    // Run again after a deadlock, or apart after another job's failure: start from scratch each time.
    outcomes->assign(items.size(), ItemOutcome{});
    std::vector<std::optional<ChangeType>> changes(items.size());
    std::vector<Logged> logged(items.size());
    // The tenants' turns to append to their logs come before any interaction row is locked
    // (sql/sql_log.h): the group took them, with every other job's, before running this one
    // (db_.Write's log_tenants); taken again here (a no-op then) for a run after a rollback, which
    // gave them up. The leaves are appended once for the batch, in item order.
    AIH_RETURN_IF_ERROR(OnConnection(c, [&](sql::Session& s) { return sql::LockLogs(s, tenants); }));
    for (const auto& round : rounds) AIH_RETURN_IF_ERROR(WriteRound(c, items, round, outcomes, &changes, &logged));
    std::vector<integrity::LogLeaf> leaves;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!changes[i]) continue;
      leaves.push_back(LeafOfWrite(items[i], *changes[i] == ChangeType::kCreated ? WriteResult::kStored : WriteResult::kUpdated,
                                   logged[i].version, std::move(logged[i].sha256)));
    }
    AIH_RETURN_IF_ERROR(OnConnection(c, [&](sql::Session& s) { return sql::AppendToLog(s, leaves); }));
    // Changes are recorded only for tenants with a subscription (change_feed.h).
    AIH_RETURN_IF_ERROR(OnConnection(c, [&](sql::Session& s) -> Status {
      sql::TenantsWantingChanges watched;
      for (size_t i = 0; i < items.size(); ++i) {
        if (!changes[i]) continue;
        AIH_ASSIGN_OR_RETURN(const bool wants, watched.Wants(s, items[i].tenant_id));
        if (!wants) changes[i].reset();
      }
      return Status::Ok();
    }));
    return AppendChanges(c, items, changes);
  }, tenants, sql::Undo::kWithGroup);
}

Status PostgresInteractions::Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) {
  if (ReadsSearchByWindow(query)) return ReadSearchPage(db_, query, emit);
  PageSql page = BuildPageSql(query, /*count_only=*/false, sql::PostgresDialect());
  std::optional<Rows> rows;
  Status s = db_.Run([&](Connection& c) {
    AIH_ASSIGN_OR_RETURN(const Params params, ParamsOf(page.params));
    auto result = c.Query(page.sql, params);
    if (!result.ok()) return result.status();
    rows.emplace(std::move(*result));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // The page is bounded (limit) and already here: the connection went back to the pool before the
  // rows go to a client that may read slowly.
  for (int r = 0; r < rows->size(); ++r) {
    PageRow row{rows->Text(r, 0), rows->Text(r, 1), rows->Text(r, 2), rows->Int(r, 3)};
    if (!emit(row)) break;
  }
  return Status::Ok();
}

}  // namespace aih::store::postgres
