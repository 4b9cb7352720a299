// HoldStore: the eDiscovery cases and legal holds of each tenant (legal_hold.h).
//
// Writes are transactions that serialise, per tenant, with every deletion (deletion.h): a hold and a
// deletion of the same item at the same instant are ordered, one before the other. Holds are never
// deleted: a released hold stays on file with the instant it was released.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "store/legal_hold.h"

namespace aih::store {

class HoldStore {
 public:
  virtual ~HoldStore() = default;

  // kConflict if the case id is taken in the tenant.
  virtual Status CreateCase(const LegalCase& legal_case) = 0;
  virtual Result<LegalCase> GetCase(const std::string& tenant_id, const std::string& case_id) = 0;
  virtual Result<std::vector<LegalCase>> ListCases(const std::string& tenant_id) = 0;

  // kNotFound if its case does not exist; kConflict if the hold id is taken. The caller has
  // validated the users (of this tenant) and the query.
  virtual Status CreateHold(const LegalHold& hold) = 0;
  virtual Result<LegalHold> GetHold(const std::string& tenant_id, const std::string& hold_id) = 0;
  // The holds of one case (or of every case when `case_id` is empty), oldest first.
  virtual Result<std::vector<LegalHold>> ListHolds(const std::string& tenant_id, const std::string& case_id,
                                                   bool active_only) = 0;
  // Marks an active hold released at `now_ms` (releasing a released hold changes nothing) and
  // returns it. kNotFound if there is no such hold.
  virtual Result<LegalHold> ReleaseHold(const std::string& tenant_id, const std::string& hold_id, int64_t now_ms) = 0;

  // The active holds that cover one stored interaction. kNotFound if it is not stored.
  virtual Result<std::vector<LegalHold>> HoldsCovering(const std::string& tenant_id, const std::string& user_id,
                                                       const std::string& id) = 0;
};

}  // namespace aih::store
