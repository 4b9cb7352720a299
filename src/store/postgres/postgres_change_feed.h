// PostgresChangeFeed: ChangeFeed on PostgreSQL (see change_feed.h), shared by every server.
#pragma once

#include "store/change_feed.h"
#include "store/postgres/database.h"

namespace aih::store::postgres {

class PostgresChangeFeed final : public ChangeFeed {
 public:
  explicit PostgresChangeFeed(Database& db) : db_(db) {}

  // One UPDATE of the oldest unleased rows picked with FOR UPDATE SKIP LOCKED, committed at once:
  // concurrent claimers skip each other's rows instead of waiting, and a committed lease
  // (claimed_by, lease_until on the database's clock) hides the rows from later claims until it
  // expires. (SKIP LOCKED is what distributed engines differ on: docs/scale-out.md.)
  Result<std::vector<Change>> Claim(const std::string& consumer, int limit, std::chrono::milliseconds lease) override;
  // The seqs are sent as one binary int8 array (= ANY), as in Release.
  Result<int64_t> Complete(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<int64_t> Release(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<std::vector<Change>> Peek(int limit) override;

 private:
  // Runs `sql` ($1 the consumer, $2 the seqs) on a pooled connection; the rows it changed.
  Result<int64_t> Update(const std::string& sql, const std::string& consumer, const std::vector<int64_t>& seqs);

  Database& db_;
};

}  // namespace aih::store::postgres
