#include "store/sql/sql_erasures.h"

#include <algorithm>

#include "store/sql/sql_deletion.h"

namespace aih::store::sql {
namespace {

// The columns ReadRow reads, first in a SELECT.
constexpr const char* kColumns = "SELECT user_id, id, content_hash, erased_ms, reason, actor";

Erasure ReadRow(const std::string& tenant_id, const Row& row) {
  return Erasure{tenant_id,  row.String(0), row.String(1), static_cast<uint64_t>(row.Int(2)),
                 row.Int(3), row.String(4), row.String(5)};
}


}  // namespace

Result<std::vector<Erasure>> SqlErasures::Find(const std::string& tenant_id, const std::vector<UserItemKey>& keys) {
  std::vector<UserItemKey> asked;
  for (const UserItemKey& k : keys) {
    if (db_.dialect().CanHold(k.user_id) && db_.dialect().CanHold(k.id)) asked.push_back(k);
  }
  std::vector<Erasure> found;
  Status s = db_.Read([&](Session& c) {
    found.clear();
    for (size_t at = 0; at < asked.size(); at += kKeysPerStatement) {
      Args args{tenant_id};
      std::string where;
      for (size_t i = at; i < std::min(asked.size(), at + kKeysPerStatement); ++i) {
        args.emplace_back(asked[i].user_id);
        args.emplace_back(asked[i].id);
        where += (i > at ? " OR " : "") + std::string("(user_id = $") + std::to_string(args.size() - 1) +
                 " AND id = $" + std::to_string(args.size()) + ")";
      }
      AIH_RETURN_IF_ERROR(c.Query(std::string(kColumns) + " FROM erasures WHERE tenant_id = $1 AND (" + where + ")", args,
                                  [&](const Row& row) { found.push_back(ReadRow(tenant_id, row)); }));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<Erasure>> AllErasures(Session& s) {
  std::vector<Erasure> all;
  AIH_RETURN_IF_ERROR(s.Query(std::string(kColumns) + ", tenant_id FROM erasures", {}, [&](const Row& row) {
    all.push_back(ReadRow(row.String(6), row));
  }));
  return all;
}

Status RecordErasuresAgain(Session& s, const std::vector<Erasure>& erasures) {
  for (const Erasure& e : erasures) {
    AIH_RETURN_IF_ERROR(s.Query(
        "INSERT INTO erasures (tenant_id, user_id, id, content_hash, erased_ms, reason, actor)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, user_id, id) DO UPDATE SET"
        " content_hash = excluded.content_hash, erased_ms = excluded.erased_ms, reason = excluded.reason,"
        " actor = excluded.actor WHERE excluded.erased_ms > erasures.erased_ms",
        {e.tenant_id, e.user_id, e.id, static_cast<int64_t>(e.content_hash), e.erased_ms, e.reason, e.actor}));
  }
  return Status::Ok();
}

Result<std::vector<Erasure>> SqlErasures::List(const std::string& tenant_id, const std::string& user_id, int limit) {
  std::vector<Erasure> found;
  Status s = db_.Read([&](Session& c) {
    found.clear();
    Args args{tenant_id, int64_t{limit}};
    std::string from = " FROM erasures WHERE tenant_id = $1";
    if (!user_id.empty()) {
      args.emplace_back(user_id);
      from += " AND user_id = $3";
    }
    return c.Query(std::string(kColumns) + from + " ORDER BY erased_ms DESC, user_id, id LIMIT $2", args,
                   [&](const Row& row) { found.push_back(ReadRow(tenant_id, row)); });
  });
  if (!s.ok()) return s;
  return found;
}

}  // namespace aih::store::sql
