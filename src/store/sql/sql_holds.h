// SqlHolds: HoldStore written once over the SQL seam (see hold_store.h, database.h).
// Every write is one Transaction serialised with the tenant's deletions (sql_deletion.h).
// Thread-safe: it holds nothing but the Database.
#pragma once

#include "store/hold_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlHolds final : public HoldStore {
 public:
  explicit SqlHolds(Database& db) : db_(db) {}

  Status CreateCase(const LegalCase& legal_case) override;
  Result<LegalCase> GetCase(const std::string& tenant_id, const std::string& case_id) override;
  Result<std::vector<LegalCase>> ListCases(const std::string& tenant_id) override;
  Status CreateHold(const LegalHold& hold) override;
  Result<LegalHold> GetHold(const std::string& tenant_id, const std::string& hold_id) override;
  Result<std::vector<LegalHold>> ListHolds(const std::string& tenant_id, const std::string& case_id,
                                           bool active_only) override;
  Result<LegalHold> ReleaseHold(const std::string& tenant_id, const std::string& hold_id, int64_t now_ms) override;
  Result<std::vector<LegalHold>> HoldsCovering(const std::string& tenant_id, const std::string& user_id,
                                               const std::string& id) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
