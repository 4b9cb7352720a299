// SqliteChangeFeed: ChangeFeed on the embedded SQLite database (see change_feed.h). Claims,
// completions and releases are jobs of the single WriteQueue, so concurrent claimers are serialised
// and never share a change.
#pragma once

#include "store/change_feed.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteChangeFeed final : public ChangeFeed {
 public:
  explicit SqliteChangeFeed(Database& db) : db_(db) {}

  // One UPDATE ... RETURNING of the oldest unleased rows; the lease is timed by this machine's clock.
  Result<std::vector<Change>> Claim(const std::string& consumer, int limit, std::chrono::milliseconds lease) override;
  // The seqs are bound as one JSON array (json_each), as in Release.
  Result<int64_t> Complete(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<int64_t> Release(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<std::vector<Change>> Peek(int limit) override;

 private:
  // Runs `sql` (?1 the consumer, ?2 the seqs as a JSON array) as one job; the rows it changed.
  Result<int64_t> Update(const std::string& sql, const std::string& consumer, const std::vector<int64_t>& seqs);

  Database& db_;
};

}  // namespace aih::store::sqlite
