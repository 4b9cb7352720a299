// SqlChangeFeed: the change feed (change_feed.h) written once over the SQL seam, but for the claim:
// how concurrent claimers skip each other's rows, and whose clock times a lease, are what engines
// differ on (docs/scale-out.md), so the engine gives its claim statement.
// Thread-safe: it holds nothing but its database.
#pragma once

#include <string>

#include "store/change_feed.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlChangeFeed final : public ChangeFeed {
 public:
  // The columns a claim returns, in this order.
  static constexpr const char* kColumns = "seq, tenant_id, user_id, interaction_id, change_type, created_ticks";

  // `claim`: one statement that leases to $1 (the consumer) for $2 milliseconds up to $3 changes
  // nobody holds or whose lease has expired, lowest seq first, returning their kColumns.
  SqlChangeFeed(Database& db, std::string claim) : db_(db), claim_(std::move(claim)) {}

  Result<std::vector<Change>> Claim(const std::string& consumer, int limit, std::chrono::milliseconds lease) override;
  // The seqs are bound as one JSON array (Dialect::JsonValues), as in Release.
  Result<int64_t> Complete(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<int64_t> Release(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<std::vector<Change>> Peek(int limit) override;

 private:
  // Runs `sql` ($1 the consumer, $2 the seqs as a JSON array) as one statement; the rows it changed.
  Result<int64_t> Update(const std::string& sql, const std::string& consumer, const std::vector<int64_t>& seqs);

  Database& db_;
  const std::string claim_;
};

}  // namespace aih::store::sql
