// SqliteChangeFeed: ChangeFeed on the embedded SQLite database (see change_feed.h).
//
// Claims, completions and releases are jobs of the single WriteQueue, so concurrent claimers are
// serialised and never share a change; leases are timed by this machine's clock.
#pragma once

#include "store/change_feed.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteChangeFeed final : public ChangeFeed {
 public:
  explicit SqliteChangeFeed(Database& db) : db_(db) {}

  Result<std::vector<Change>> Claim(const std::string& consumer, int limit, std::chrono::milliseconds lease) override;
  Result<int64_t> Complete(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<int64_t> Release(const std::string& consumer, const std::vector<int64_t>& seqs) override;
  Result<std::vector<Change>> Peek(int limit) override;

 private:
  Result<int64_t> Update(const std::string& sql, const std::string& consumer, const std::vector<int64_t>& seqs);

  Database& db_;
};

}  // namespace aih::store::sqlite
