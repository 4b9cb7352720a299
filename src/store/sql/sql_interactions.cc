#include "store/sql/sql_interactions.h"

#include <initializer_list>
#include <optional>

#include "store/page_sql.h"
#include "store/sql/sql_deletion.h"
#include "store/sql/sql_search_facets.h"

namespace aih::store::sql {
namespace {

// Whether one of `keys` is text the engine cannot hold, and so names nothing (Dialect::CanHold).
bool Unstorable(const Dialect& d, std::initializer_list<const std::string*> keys) {
  for (const std::string* k : keys) {
    if (!d.CanHold(*k)) return true;
  }
  return false;
}

}  // namespace

Result<std::string> SqlInteractions::GetColumn(const char* column, const std::string& tenant_id,
                                               const std::string& user_id, const std::string& id) {
  std::optional<std::string> value;
  if (!Unstorable(sql_.dialect(), {&tenant_id, &user_id, &id})) {
    AIH_RETURN_IF_ERROR(sql_.Read([&](Session& c) {
      value.reset();
      return c.Query(std::string("SELECT ") + column +
                         " FROM interactions WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
                     {tenant_id, user_id, id}, [&](const Row& row) { value = row.String(0); });
    }));
  }
  if (!value) return InteractionNotFound(user_id, id);
  return std::move(*value);
}

Result<std::string> SqlInteractions::Get(const std::string& tenant_id, const std::string& user_id,
                                         const std::string& id) {
  return GetColumn("json", tenant_id, user_id, id);
}

Result<std::string> SqlInteractions::GetAppClass(const std::string& tenant_id, const std::string& user_id,
                                                 const std::string& id) {
  return GetColumn("app_class", tenant_id, user_id, id);
}

Result<int64_t> SqlInteractions::Count(const PageQuery& query) {
  int64_t n = 0;
  AIH_RETURN_IF_ERROR(sql_.Read([&](Session& c) {
    auto from_matches = ReadsFromMatches(c, query);
    if (!from_matches.ok()) return from_matches.status();
    const PageSql page = BuildPageSql(query, /*count_only=*/true, c.dialect(), *from_matches);
    auto count = c.Count(page.sql, page.params);
    if (!count.ok()) return count.status();
    n = *count;
    return Status::Ok();
  }));
  return n;
}

Result<SearchFacets> SqlInteractions::Facets(const PageQuery& query) { return CountSearchFacets(sql_, query); }

Result<DeletionResult> SqlInteractions::Delete(const Deletion& deletion) {
  bool unstorable =
      Unstorable(sql_.dialect(), {&deletion.tenant_id, &deletion.user_id, &deletion.id, &deletion.session_id});
  for (const UserItemKey& k : deletion.keys) unstorable = unstorable || Unstorable(sql_.dialect(), {&k.user_id, &k.id});
  if (unstorable) return DeletionResult{};
  DeletionResult result;
  AIH_RETURN_IF_ERROR(sql_.Transaction([&](Session& c) {
    auto done = DeleteInteractions(c, deletion);
    if (!done.ok()) return done.status();
    result = *done;
    return Status::Ok();
  }));
  return result;
}

}  // namespace aih::store::sql
