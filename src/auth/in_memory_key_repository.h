// InMemoryKeyRepository: a KeyRepository that lives and dies with the process.
//
// For tests, and for a single process whose keys need not outlive it: after a restart, tokens issued
// before it no longer verify and clients fetch new ones (they do on a 401). It honours the
// KeyRepository contract exactly, including kConflict on a stale Rotate, so a test can play two
// servers sharing one repository. Thread-safe.
#pragma once

#include <mutex>

#include "auth/key_repository.h"

namespace aih::auth {

class InMemoryKeyRepository : public KeyRepository {
 public:
  Result<std::vector<StoredKey>> Load() override;
  Status Rotate(const StoredKey& key, std::string_view previous_kid, int64_t previous_retire_after) override;
  Status Delete(std::string_view kid) override;

 private:
  std::mutex mu_;
  std::vector<StoredKey> keys_;
};

}  // namespace aih::auth
