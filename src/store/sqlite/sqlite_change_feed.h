// SqliteChangeFeed: ChangeFeed on the embedded SQLite database (see change_feed.h).
#pragma once

#include "store/change_feed.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteChangeFeed final : public ChangeFeed {
 public:
  explicit SqliteChangeFeed(Database& db) : db_(db) {}

  Result<std::vector<Change>> ReadAfter(int64_t after_seq, int limit) override;
  Status Acknowledge(const std::string& consumer, int64_t seq) override;
  Result<int64_t> Position(const std::string& consumer) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sqlite
