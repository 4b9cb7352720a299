// SqlErasures: ErasureLog written once over the SQL seam (see erasure_log.h). Reads only: the
// records are written by the deletion path (sql_deletion.h), in the deletion's transaction.
// Thread-safe: it holds nothing but the Database.
#pragma once

#include "store/erasure_log.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlErasures final : public ErasureLog {
 public:
  explicit SqlErasures(Database& db) : db_(db) {}

  Result<std::vector<Erasure>> Find(const std::string& tenant_id, const std::vector<UserItemKey>& keys) override;
  Result<std::vector<Erasure>> List(const std::string& tenant_id, const std::string& user_id, int limit) override;

 private:
  Database& db_;
};

// Every erasure the database on `s` records, of every tenant: what a restore carries over from the
// store it replaces (sqlite/backup.h).
Result<std::vector<Erasure>> AllErasures(Session& s);

// Records `erasures` again, in the caller's transaction (a restore, into the restored database): an
// item erased again since keeps the later record.
Status RecordErasuresAgain(Session& s, const std::vector<Erasure>& erasures);

}  // namespace aih::store::sql
