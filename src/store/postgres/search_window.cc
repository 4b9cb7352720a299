#include "store/postgres/search_window.h"

#include <optional>
#include <string>
#include <vector>

#include "store/page_sql.h"
#include "store/postgres/query.h"
#include "store/search_sql.h"

namespace aih::store::postgres {
namespace {

// The rows of a page, copied out of the result: the connection goes back to the pool before they go
// to a client that may read slowly.
struct PageRowCopy {
  std::string json, user_id, id;
  int64_t created_ticks = 0;
};

Status ReadRows(Connection& c, const PageSql& page, std::vector<PageRowCopy>* out) {
  auto result = c.Query(page.sql, ToParams(page.params));
  if (!result.ok()) return result.status();
  for (int r = 0; r < result->size(); ++r) {
    out->push_back({std::string(result->Text(r, 0)), std::string(result->Text(r, 1)), std::string(result->Text(r, 2)),
                    result->Int(r, 3)});
  }
  return Status::Ok();
}

}  // namespace

bool ReadsSearchByWindow(const PageQuery& query) {
  // The driving query is the part of the search that every result matches, as a full-text match: the
  // GIN index can then list the candidates. (Named for FTS5, the structure is the same.)
  return query.search && !query.filter && Fts5DrivingQuery(*query.search).has_value();
}

Status ReadSearchPage(Database& db, const PageQuery& query, const std::function<bool(const PageRow&)>& emit) {
  std::vector<PageRowCopy> rows;
  Status s = db.Transaction([&](Connection& c) {
    rows.clear();
    AIH_RETURN_IF_ERROR(c.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    AIH_RETURN_IF_ERROR(
        ReadRows(c, BuildNewestRowsPageSql(query, kNewestRows, Placeholder, FullTextEngine::kPostgres), &rows));
    if (static_cast<int>(rows.size()) >= query.limit) return Status::Ok();
    // Where the newest rows end: none when the history from the page's start holds no more.
    const PageSql end_sql = BuildNewestRowsEndSql(query, kNewestRows, Placeholder);
    auto end = c.Query(end_sql.sql, ToParams(end_sql.params));
    if (!end.ok()) return end.status();
    if (end->size() == 0) return Status::Ok();
    PageQuery rest = query;
    odata::CursorPosition last;
    last.ticks = end->Int(0, 0);
    last.id = std::string(end->Text(0, 1));
    last.user_id = std::string(end->Text(0, 2));
    rest.after = last;
    rest.limit = query.limit - static_cast<int>(rows.size());
    return ReadRows(c, BuildPageSql(rest, /*count_only=*/false, Placeholder, FullTextEngine::kPostgres,
                                    /*from_matches=*/true),
                    &rows);
  });
  if (!s.ok()) return s;
  for (const PageRowCopy& r : rows) {
    if (!emit(PageRow{r.json, r.user_id, r.id, r.created_ticks})) break;
  }
  return Status::Ok();
}

}  // namespace aih::store::postgres
