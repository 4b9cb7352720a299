#include "store/sql/sql_signing_keys.h"

namespace aih::store::sql {
namespace {

// The active key's kid, or "" when there is none.
Result<std::string> ActiveKid(Session& c) {
  std::string kid;
  Status s =
      c.Query("SELECT kid FROM signing_keys WHERE retire_after = 0", {}, [&](const Row& row) { kid = row.String(0); });
  if (!s.ok()) return s;
  return kid;
}

}  // namespace

Result<std::vector<SigningKeyRow>> SqlSigningKeys::List() {
  std::vector<SigningKeyRow> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query("SELECT kid, private_pem, created_at, retire_after FROM signing_keys", {}, [&](const Row& row) {
      out.push_back({row.String(0), row.String(1), row.Int(2), row.Int(3)});
    });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlSigningKeys::Rotate(const SigningKeyRow& key, std::string_view previous_kid, int64_t previous_retire_after) {
  if (key.retire_after != 0) return Status::BadRequest("a newly active signing key must have retire_after 0");
  if (!previous_kid.empty() && previous_retire_after <= 0) {
    return Status::BadRequest("the replaced signing key needs a retire time");
  }
  const std::string previous(previous_kid);
  Status s = db_.Transaction([&](Session& c) -> Status {
    int64_t retired = 0;
    if (!previous.empty()) {
      AIH_RETURN_IF_ERROR(c.Query("UPDATE signing_keys SET retire_after = $2 WHERE kid = $1 AND retire_after = 0",
                                  {previous, previous_retire_after}, nullptr, &retired));
    }
    if (previous.empty() || retired == 0) {
      auto active = ActiveKid(c);
      if (!active.ok()) return active.status();
      if (*active != previous) {
        return Status::Conflict("the active signing key is '" + *active + "', not '" + previous +
                                "': another server rotated first");
      }
    }
    auto stored = c.Exists("SELECT 1 FROM signing_keys WHERE kid = $1", {key.kid});
    if (!stored.ok()) return stored.status();
    if (*stored) return Status::Conflict("a signing key with kid '" + key.kid + "' is already stored");
    return c.Query("INSERT INTO signing_keys (kid, private_pem, created_at, retire_after) VALUES ($1, $2, $3, 0)",
                   {key.kid, key.private_pem, key.created_at});
  });
  if (s.code() == Code::kConflict && s.message().find("signing_keys") != std::string::npos) {
    // The unique indexes caught a race the checks above could not see (no active row to update).
    return Status::Conflict("another server stored a signing key at the same time: " + s.message());
  }
  return s;
}

Status SqlSigningKeys::Delete(std::string_view kid) {
  return db_.Transaction([&](Session& c) {
    return c.Query("DELETE FROM signing_keys WHERE kid = $1 AND retire_after <> 0", {std::string(kid)});
  });
}

}  // namespace aih::store::sql
