#include "store/sql/sql_search_facets.h"

#include <algorithm>
#include <map>

#include "store/page_sql.h"

namespace aih::store::sql {

Result<SearchFacets> CountSearchFacets(Database& db, const PageQuery& query) {
  const bool from_matches =
      db.dialect().full_text == FullTextEngine::kFts5 && query.search && Fts5DrivingQuery(*query.search).has_value();
  PageSql count = BuildPageSql(query, /*count_only=*/true, db.dialect(), from_matches);
  // The page's count, grouped: every condition of the export's own query, so the figures add up to
  // what the export of the same search returns.
  const std::string select_count = "SELECT count(*) FROM";
  std::string grouped = "SELECT user_id, app_class, count(*) FROM" + count.sql.substr(select_count.size()) +
                        " GROUP BY user_id, app_class";
  const Args& args = count.params;
  SearchFacets facets;
  AIH_RETURN_IF_ERROR(db.Read([&](Session& s) {
    std::map<std::string, int64_t> users, apps;
    facets = SearchFacets{};
    AIH_RETURN_IF_ERROR(s.Query(grouped, args, [&](const Row& r) {
      const int64_t n = r.Int(2);
      users[r.String(0)] += n;
      apps[r.String(1)] += n;
      facets.total += n;
    }));
    auto sorted = [](const std::map<std::string, int64_t>& counts) {
      std::vector<SearchFacets::Bucket> out;
      for (const auto& [key, n] : counts) out.push_back({key, n});
      std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
      return out;
    };
    facets.users = sorted(users);
    facets.app_classes = sorted(apps);
    return Status::Ok();
  }));
  return facets;
}

}  // namespace aih::store::sql
