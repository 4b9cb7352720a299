#include "store/page_sql.h"

#include <utility>
#include <variant>

#include "odata/filter_sql.h"

namespace aih::store {

namespace {

PageSql Build(const PageQuery& q, const char* select, bool count_only, const sql::Dialect& dialect,
              bool from_matches, const HistoryWindow* window, int newest_rows = 0) {
  const FullTextEngine engine = dialect.full_text;
  PageSql out;
  // Built in place from the string or the integer: moving a whole value made g++ 12 warn
  // (-Wmaybe-uninitialized, a false positive about the string alternative of an integer).
  auto param = [&](auto&& v) {
    out.params.emplace_back(std::forward<decltype(v)>(v));
    return dialect.Parameter(static_cast<int>(out.params.size()));
  };
  const bool per_user = !q.user_id.empty();
  std::string& sql = out.sql;
  // A column compared so that no B-tree index serves it: SQLite's unary +; on PostgreSQL the text
  // concatenated with '' (the same value, but no longer the indexed expression).
  auto hidden = [&](const char* column) {
    if (!from_matches) return std::string(column);
    return engine == FullTextEngine::kPostgres ? "(" + std::string(column) + " || '')" : "+" + std::string(column);
  };
  const char* cmp = q.ascending ? ">" : "<";
  const char* dir = q.ascending ? "ASC" : "DESC";
  auto order_by = [&] {
    std::string o = std::string(" ORDER BY created_ticks ") + dir + ", id " + dir;
    if (!per_user) o += std::string(", user_id ") + dir;
    return o;
  };
  auto after_condition = [&] {
    // Row-value comparison: both engines turn it into an index range, not a filter.
    if (per_user) {
      return std::string(" AND (created_ticks, id) ") + cmp + " (" + param(q.after->ticks) + ", " +
             param(q.after->id) + ")";
    }
    return std::string(" AND (created_ticks, id, user_id) ") + cmp + " (" + param(q.after->ticks) + ", " +
           param(q.after->id) + ", " + param(q.after->user_id) + ")";
  };
  sql = std::string(select) + " FROM ";
  if (newest_rows > 0) {
    // The newest rows of the history from the query's start, as a subquery whose LIMIT the planner
    // cannot push the other conditions through: it walks the time index and stops after them.
    sql += "(SELECT * FROM interactions WHERE tenant_id = " + param(q.tenant_id);
    if (per_user) sql += " AND user_id = " + param(q.user_id);
    if (q.after) sql += after_condition();
    sql += order_by() + " LIMIT " + param(static_cast<int64_t>(newest_rows)) + ") interactions";
  } else {
    sql += "interactions";
  }
  sql += " WHERE " + hidden("tenant_id") + " = " + param(q.tenant_id);
  if (per_user) sql += " AND " + hidden("user_id") + " = " + param(q.user_id);
  if (q.filter) {
    const int base = static_cast<int>(out.params.size());
    odata::SqlFragment f =
        odata::ToSql(*q.filter, odata::SqlColumns{}, [&](int n) { return dialect.Parameter(base + n); });
    sql += " AND " + f.sql;
    for (const odata::SqlParam& v : f.params) std::visit([&](const auto& value) { out.params.emplace_back(value); }, v);
  }
  if (q.search) {
    RowidRanges ranges;
    if (window) {
      for (const auto& [first, last] : window->rowid_ranges) ranges.emplace_back(param(first), param(last));
    }
    sql += " AND " + SearchCondition(*q.search, engine, [&](std::string v) { return param(std::move(v)); }, ranges,
                                     window ? window->prefix_terms : nullptr);
  }
  if (!q.hidden_app_classes.empty()) {
    sql += " AND app_class NOT IN (";
    for (size_t i = 0; i < q.hidden_app_classes.size(); ++i) {
      if (i) sql += ", ";
      sql += param(q.hidden_app_classes[i]);
    }
    sql += ")";
  }
  if (!q.required_service_plan.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM directory_licenses l WHERE l.tenant_id = interactions.tenant_id"
           " AND l.user_id = interactions.user_id AND l.service_plan_id = " +
           param(q.required_service_plan) + ")";
  }
  if (count_only) return out;

  if (q.after && newest_rows == 0) sql += after_condition();
  if (window && !window->to_the_end) {
    // The window's end, inclusive: the rows past it are the next window's.
    const char* back = q.ascending ? "<=" : ">=";
    const odata::CursorPosition& last = window->last;
    if (per_user) {
      sql += std::string(" AND (created_ticks, id) ") + back + " (" + param(last.ticks) + ", " + param(last.id) + ")";
    } else {
      sql += std::string(" AND (created_ticks, id, user_id) ") + back + " (" + param(last.ticks) + ", " +
             param(last.id) + ", " + param(last.user_id) + ")";
    }
  }
  sql += order_by() + " LIMIT " + param(static_cast<int64_t>(q.limit));
  return out;
}

}  // namespace

PageSql BuildPageSql(const PageQuery& q, bool count_only, const sql::Dialect& dialect, bool from_matches,
                     const HistoryWindow* window) {
  return Build(q, count_only ? "SELECT count(*)" : "SELECT json, user_id, id, created_ticks", count_only, dialect,
               from_matches, window);
}

PageSql BuildWindowSql(const PageQuery& query, int rows, const sql::Dialect& dialect) {
  PageQuery q = query;
  q.search = nullptr;
  q.limit = rows;
  return Build(q, "SELECT seq, user_id, id, created_ticks", /*count_only=*/false, dialect,
               /*from_matches=*/false, nullptr);
}

PageSql BuildNewestRowsPageSql(const PageQuery& query, int rows, const sql::Dialect& dialect) {
  return Build(query, "SELECT json, user_id, id, created_ticks", /*count_only=*/false, dialect,
               /*from_matches=*/false, nullptr, rows);
}

PageSql BuildNewestRowsEndSql(const PageQuery& query, int rows, const sql::Dialect& dialect) {
  PageQuery q;
  q.tenant_id = query.tenant_id;
  q.user_id = query.user_id;
  q.after = query.after;
  q.ascending = query.ascending;
  q.limit = 1;
  PageSql out = Build(q, "SELECT created_ticks, id, user_id", /*count_only=*/false, dialect,
                      /*from_matches=*/false, nullptr);
  out.sql += " OFFSET " + std::to_string(rows - 1);
  return out;
}

}  // namespace aih::store
