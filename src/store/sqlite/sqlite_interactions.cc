#include "store/sqlite/sqlite_interactions.h"

#include "store/change_feed.h"
#include "store/page_sql.h"
#include "store/sql/sql_log.h"
#include "store/sql/sql_subscriptions.h"
#include "store/sqlite/prefix_terms.h"
#include "store/sqlite/search_rarity.h"
#include "store/sqlite/search_windows.h"
#include "store/sqlite/session.h"

namespace aih::store::sqlite {
namespace {

// Smaller pages are not read ahead: their request's own overhead dominates, and a thread hand-off
// would cost about what it saves.
constexpr int kReadAheadMinRows = 100;

// A change to record once the batch's items are written (change_feed.h).
struct PendingChange {
  const std::string* tenant_id;
  const std::string* user_id;
  const std::string* interaction_id;
  ChangeType type;
  int64_t ticks;
};

constexpr size_t kMaxChangeRows = 64;  // statements of 64, 32, ... 1 rows: few, each prepared once

// The INSERT of `rows` (a power of two up to kMaxChangeRows) change rows, built once.
const std::string& InsertChangesSql(size_t rows) {
  static const std::vector<std::string> sql = [] {
    std::vector<std::string> out(kMaxChangeRows + 1);
    for (size_t n = 1; n <= kMaxChangeRows; n *= 2) {
      std::string& s = out[n];
      s = "INSERT INTO changes (tenant_id, user_id, interaction_id, change_type, created_ticks) VALUES ";
      for (size_t r = 0; r < n; ++r) {
        s += r ? ", (" : "(";
        for (int col = 1; col <= 5; ++col) s += (col > 1 ? ", " : "") + sql::SqliteDialect().Parameter(static_cast<int>(r * 5) + col);
        s += ")";
      }
    }
    return out;
  }();
  return sql[rows];
}

// Records `changes` in order, many rows per INSERT: the AUTOINCREMENT bookkeeping of `changes`
// (which keeps seq from ever being reused) then costs once per statement instead of once per row,
// where it cost the single writer as much as the row itself.
Status AppendChanges(Connection& c, const std::vector<PendingChange>& changes) {
  for (size_t at = 0; at < changes.size();) {
    size_t rows = kMaxChangeRows;
    while (rows > changes.size() - at) rows /= 2;
    const std::string& sql = InsertChangesSql(rows);
    auto stmt = c.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    for (size_t r = 0; r < rows; ++r) {
      const PendingChange& change = changes[at + r];
      const int p = static_cast<int>(r * 5);
      stmt->Bind(p + 1, std::string_view(*change.tenant_id));
      stmt->Bind(p + 2, std::string_view(*change.user_id));
      stmt->Bind(p + 3, std::string_view(*change.interaction_id));
      stmt->Bind(p + 4, static_cast<int64_t>(change.type));
      stmt->Bind(p + 5, change.ticks);
    }
    AIH_RETURN_IF_ERROR(stmt->Run());
    at += rows;
  }
  return Status::Ok();
}

// Enters the row just inserted into the search index. Done here, not by a trigger (schema.cc,
// migration 16): FTS5 then keeps the batch's terms in memory and writes them as one segment at commit.
Status IndexNewItem(Connection& c, const std::string& document) {
  if (document.empty()) return Status::Ok();  // no terms: nothing to find it by (the triggers agree)
  auto stmt = c.Prepare("INSERT INTO interaction_search (rowid, search_terms) VALUES (?1, ?2)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(sqlite3_last_insert_rowid(c.handle())));
  stmt->Bind(2, std::string_view(document));
  return stmt->Run();
}

// Binds an interaction row's values to ?1 .. ?15, in the order of the INSERT's columns: `item` at
// `version`, stored as `json` with its SHA-256 `sha256`.
void BindRow(Statement& stmt, const ItemToWrite& item, int64_t version, std::string_view json, std::string_view sha256) {
  const model::Interaction& in = item.interaction;
  stmt.Bind(1, std::string_view(item.tenant_id));
  stmt.Bind(2, std::string_view(item.user_id));
  stmt.Bind(3, std::string_view(in.id));
  stmt.Bind(4, in.created.ticks);
  stmt.Bind(5, std::string_view(in.app_class));
  stmt.Bind(6, std::string_view(model::ToString(in.interaction_type)));
  stmt.Bind(7, in.conversation_type);
  stmt.Bind(8, in.locale);
  stmt.Bind(9, in.session_id);
  stmt.Bind(10, in.request_id);
  stmt.Bind(11, static_cast<int64_t>(item.content_hash));
  stmt.Bind(12, version);
  stmt.BindBlob(13, json);
  stmt.Bind(14, std::string_view(item.search_document));  // the FTS5 index's external content
  stmt.BindBlob(15, sha256);
}

// Stores one item; the caller's transaction makes the whole batch atomic. Its change is added to
// `changes` (when not null) and its log leaf to `leaves`, for the caller to record.
Status WriteOne(Connection& c, const ItemToWrite& item, std::vector<PendingChange>* changes,
                std::vector<integrity::LogLeaf>* leaves, ItemOutcome* outcome) {
  const model::Interaction& in = item.interaction;
  // The common case, a new item, is a single insert.
  auto insert = c.Prepare(
      "INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
      " conversation_type, locale, session_id, request_id, content_hash, version, json, search_terms, content_sha256)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
      " ON CONFLICT (tenant_id, user_id, id) DO NOTHING");
  if (!insert.ok()) return insert.status();
  std::string sha256 = integrity::Sha256(item.json);
  BindRow(*insert, item, item.version, item.json, sha256);
  AIH_RETURN_IF_ERROR(insert->Run());
  if (c.Changes() == 1) {
    AIH_RETURN_IF_ERROR(IndexNewItem(c, item.search_document));
    *outcome = ItemOutcome{WriteResult::kStored, EtagFor(in.id, item.version)};
    if (changes) changes->push_back({&item.tenant_id, &item.user_id, &in.id, ChangeType::kCreated, in.created.ticks});
    leaves->push_back(LeafOfWrite(item, WriteResult::kStored, item.version, std::move(sha256)));
    return Status::Ok();
  }

  // The key exists: unchanged if the content is the same, otherwise a new version.
  auto existing = c.Prepare(
      "SELECT content_hash, version FROM interactions WHERE tenant_id = ?1 AND user_id = ?2 AND id = ?3");
  if (!existing.ok()) return existing.status();
  existing->Bind(1, std::string_view(item.tenant_id));
  existing->Bind(2, std::string_view(item.user_id));
  existing->Bind(3, std::string_view(in.id));
  Status status;
  if (!existing->Step(&status)) {
    return status.ok() ? Status::Internal("an interaction vanished inside its own transaction") : status;
  }
  Rewrite rewrite = RewriteOf(item, static_cast<uint64_t>(existing->Int(0)), existing->Int(1));
  *outcome = rewrite.outcome;
  if (rewrite.outcome.result == WriteResult::kUnchanged) return Status::Ok();
  auto update = c.Prepare(
      "UPDATE interactions SET created_ticks = ?4, app_class = ?5, interaction_type = ?6,"
      " conversation_type = ?7, locale = ?8, session_id = ?9, request_id = ?10, content_hash = ?11,"
      " version = ?12, json = ?13, search_terms = ?14, content_sha256 = ?15"
      " WHERE tenant_id = ?1 AND user_id = ?2 AND id = ?3");
  if (!update.ok()) return update.status();
  sha256 = integrity::Sha256(rewrite.json);
  BindRow(*update, item, rewrite.version, rewrite.json, sha256);
  AIH_RETURN_IF_ERROR(update->Run());
  if (changes) changes->push_back({&item.tenant_id, &item.user_id, &in.id, ChangeType::kUpdated, in.created.ticks});
  leaves->push_back(LeafOfWrite(item, WriteResult::kUpdated, rewrite.version, std::move(sha256)));
  return Status::Ok();
}

}  // namespace

Status SqliteInteractions::WriteBatch(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) {
  // Validated before it came here, the batch fails only when the database does: no savepoint of its
  // own (sql::Undo). It may then run twice: each run starts from scratch.
  return db_.Write([&](Connection& c) {
    outcomes->assign(items.size(), ItemOutcome{});
    return OnConnection(c, [&](sql::Session& s) -> Status {
      sql::TenantsWantingChanges watched;
      std::vector<PendingChange> changes;
      std::vector<integrity::LogLeaf> leaves;  // appended to the log once for the batch
      for (size_t i = 0; i < items.size(); ++i) {
        AIH_ASSIGN_OR_RETURN(const bool wants, watched.Wants(s, items[i].tenant_id));
        AIH_RETURN_IF_ERROR(WriteOne(c, items[i], wants ? &changes : nullptr, &leaves, &(*outcomes)[i]));
      }
      AIH_RETURN_IF_ERROR(AppendChanges(c, changes));
      return sql::AppendToLog(s, leaves);
    });
  }, sql::Undo::kWithGroup);
}

Result<bool> SqliteInteractions::ReadsFromMatches(sql::Session& c, const PageQuery& query) {
  if (!query.search) return false;
  return IsRareSearch(c, *query.search);
}

Status SqliteInteractions::Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) {
  bool from_matches = false;
  if (query.search) {
    auto conn = db_.Read();
    if (!conn.ok()) return conn.status();
    // One snapshot for the terms of the search's prefixes (read once: a prefix of many terms costs a
    // seek each), telling rare from frequent, and the windows, which must see exactly those terms.
    ReadSnapshot snapshot(**conn);
    AIH_RETURN_IF_ERROR(snapshot.Begin());
    PrefixTerms prefix_terms;
    AIH_RETURN_IF_ERROR(OnConnection(**conn, [&](sql::Session& c) {
      AIH_ASSIGN_OR_RETURN(prefix_terms, ReadPrefixTerms(c, *query.search));
      AIH_ASSIGN_OR_RETURN(from_matches, IsRareSearch(c, *query.search, prefix_terms));
      return Status::Ok();
    }));
    // Not read ahead: the next page's windows depend on where this one ends.
    if (!from_matches && HasFullText(*query.search)) {
      return ReadSearchPageByWindows(**conn, query, prefix_terms, emit);
    }
  }
  PageSql page = BuildPageSql(query, /*count_only=*/false, sql::SqliteDialect(), from_matches);
  // Where the rows the caller took end: where the next page starts, if the caller stopped before the
  // last row (its page is full; or it failed, and the read ahead is wasted).
  odata::CursorPosition last;
  bool took_any = false, stopped = false;
  auto follow = [&](const PageRow& row) {
    if (!emit(row)) {
      stopped = true;
      return false;
    }
    took_any = true;
    last.ticks = row.ticks;
    last.id = row.id;
    last.user_id = row.user_id;
    return true;
  };
  // Only a client already paging (this page continues a cursor) is likely to ask for the next one.
  const bool paging = query.after.has_value();
  Status status;
  if (auto claimed = paging ? read_ahead_.Claim(page) : nullptr) {
    status = claimed->Emit(follow);
  } else {
    status = ReadPage(page, follow);
  }
  if (status.ok() && paging && stopped && took_any && query.limit >= kReadAheadMinRows) {
    PageQuery next = query;
    next.after = std::move(last);
    read_ahead_.Start(BuildPageSql(next, /*count_only=*/false, sql::SqliteDialect(), from_matches));
  }
  return status;
}

Status SqliteInteractions::ReadPage(const PageSql& page, const std::function<bool(const PageRow&)>& emit) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return ReadPageRows(**conn, page, emit);
}

}  // namespace aih::store::sqlite
