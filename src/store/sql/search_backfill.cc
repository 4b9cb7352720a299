#include "store/sql/search_backfill.h"

#include <string>
#include <vector>

#include "base/log.h"
#include "model/interaction_reader.h"
#include "store/search_document.h"

namespace aih::store::sql {
namespace {

struct Unsearched {
  std::string tenant_id, user_id, id, json;
};

}  // namespace

Result<int64_t> IndexUnsearched(Database& db, int batch) {
  // PostgreSQL keeps the search document as a tsvector (search_document.h), SQLite as its text.
  const bool postgres = db.dialect().full_text == FullTextEngine::kPostgres;
  int64_t indexed = 0;
  Unsearched last;  // the key the next batch starts after
  bool first = true;
  while (true) {
    std::vector<Unsearched> rows;
    AIH_RETURN_IF_ERROR(db.Read([&](Session& s) {
      rows.clear();
      const std::string after = first ? "" : " AND (tenant_id, user_id, id) > ($1, $2, $3)";
      Args args;
      if (!first) args = {last.tenant_id, last.user_id, last.id};
      return s.Query("SELECT tenant_id, user_id, id, json FROM interactions WHERE search_terms IS NULL" + after +
                         " ORDER BY tenant_id, user_id, id LIMIT " + std::to_string(batch),
                     args, [&](const Row& r) { rows.push_back({r.String(0), r.String(1), r.String(2), r.String(3)}); });
    }));
    if (rows.empty()) break;
    AIH_RETURN_IF_ERROR(db.GroupWrite([&](Session& s) {
      for (const Unsearched& row : rows) {
        auto item = model::ReadStoredItem(row.json);
        // A row this version cannot read is left unsearchable rather than stopping the store.
        const std::string document = item.ok() ? SearchDocument(item->interaction) : std::string();
        AIH_RETURN_IF_ERROR(s.Query(
            std::string("UPDATE interactions SET search_terms = ") + (postgres ? "$4::tsvector" : "$4") +
                " WHERE tenant_id = $1 AND user_id = $2 AND id = $3 AND search_terms IS NULL",
            {row.tenant_id, row.user_id, row.id, postgres ? TsvectorLiteral(document) : document}));
      }
      return Status::Ok();
    }));
    indexed += static_cast<int64_t>(rows.size());
    last = std::move(rows.back());
    first = false;
  }
  if (indexed > 0) log::Info("search_backfill").Int("interactions", indexed);
  return indexed;
}

}  // namespace aih::store::sql
