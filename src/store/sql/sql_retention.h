// SqlRetention: RetentionStore written once over the SQL seam (see retention_store.h).
// The lease is one row per tenant, taken by an UPDATE/INSERT that only succeeds when the row is free,
// expired or already the caller's, so two servers never both hold it.
// Thread-safe: it holds nothing but the Database.
#pragma once

#include "store/retention_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlRetention final : public RetentionStore {
 public:
  explicit SqlRetention(Database& db) : db_(db) {}

  Status CreatePolicy(const RetentionPolicy& policy) override;
  Result<std::vector<RetentionPolicy>> ListPolicies(const std::string& tenant_id) override;
  Status DeletePolicy(const std::string& tenant_id, const std::string& policy_id) override;
  Result<std::vector<RetentionCandidate>> Candidates(const std::string& tenant_id, int64_t before_ticks,
                                                     const RetentionCandidate& after, int limit) override;
  Result<bool> AcquireLease(const std::string& tenant_id, const std::string& holder, int64_t now_ms,
                            int64_t ttl_ms) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
