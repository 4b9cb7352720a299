// SqlSigningKeys: SigningKeyStore written once over the SQL seam (see signing_key_store.h).
//
// Rotate's compare-and-set is one atomic UPDATE of the active row (WHERE kid = previous AND
// retire_after = 0): a second server rotating at once waits for the first's row lock, then finds
// the key already retired and changes nothing (kConflict). With no active key yet there is no row
// to update; the partial unique index on the active key then turns the second insert into
// kConflict. No advisory lock and no SELECT ... FOR UPDATE, so it holds on every engine.
// Thread-safe: it holds nothing but the Database.
#pragma once

#include "store/signing_key_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlSigningKeys final : public SigningKeyStore {
 public:
  explicit SqlSigningKeys(Database& db) : db_(db) {}

  Result<std::vector<SigningKeyRow>> List() override;
  Status Rotate(const SigningKeyRow& key, std::string_view previous_kid, int64_t previous_retire_after) override;
  Status Delete(std::string_view kid) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
