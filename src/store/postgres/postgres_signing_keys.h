// PostgresSigningKeys: SigningKeyStore on PostgreSQL (see signing_key_store.h), shared by every server.
//
// Rotate locks the active key's row (SELECT ... FOR UPDATE) before replacing it, so a second server
// rotating at once waits, then finds the key it meant to replace already retired: kConflict. When
// there is no active key yet there is no row to lock; the partial unique index on the active key
// then turns the second insert into kConflict.
#pragma once

#include "store/postgres/database.h"
#include "store/signing_key_store.h"

namespace aih::store::postgres {

class PostgresSigningKeys final : public SigningKeyStore {
 public:
  explicit PostgresSigningKeys(Database& db) : db_(db) {}

  Result<std::vector<SigningKeyRow>> List() override;
  Status Rotate(const SigningKeyRow& key, std::string_view previous_kid, int64_t previous_retire_after) override;
  Status Delete(std::string_view kid) override;

 private:
  Database& db_;
};

}  // namespace aih::store::postgres
