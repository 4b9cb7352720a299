// SqliteSigningKeys: SigningKeyStore on the embedded SQLite database (see signing_key_store.h).
//
// Rotate and Delete are jobs of the shared WriteQueue, whose transactions begin IMMEDIATE: the
// compare-and-set on the active key holds even between processes sharing the database file. A
// partial unique index also makes a second active key impossible, whatever a writer does.
#pragma once

#include "store/signing_key_store.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteSigningKeys final : public SigningKeyStore {
 public:
  explicit SqliteSigningKeys(Database& db) : db_(db) {}

  Result<std::vector<SigningKeyRow>> List() override;
  Status Rotate(const SigningKeyRow& key, std::string_view previous_kid, int64_t previous_retire_after) override;
  Status Delete(std::string_view kid) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sqlite
