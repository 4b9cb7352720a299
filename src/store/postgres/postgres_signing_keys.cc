#include "store/postgres/postgres_signing_keys.h"

namespace aih::store::postgres {

Result<std::vector<SigningKeyRow>> PostgresSigningKeys::List() {
  std::vector<SigningKeyRow> out;
  Status s = db_.Run([&](Connection& c) {
    auto rows = c.Query("SELECT kid, private_pem, created_at, retire_after FROM signing_keys");
    if (!rows.ok()) return rows.status();
    out.clear();
    for (int r = 0; r < rows->size(); ++r) {
      out.push_back({std::string(rows->Text(r, 0)), std::string(rows->Text(r, 1)), rows->Int(r, 2), rows->Int(r, 3)});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status PostgresSigningKeys::Rotate(const SigningKeyRow& key, std::string_view previous_kid,
                                   int64_t previous_retire_after) {
  if (key.retire_after != 0) return Status::BadRequest("a newly active signing key must have retire_after 0");
  if (!previous_kid.empty() && previous_retire_after <= 0) {
    return Status::BadRequest("the replaced signing key needs a retire time");
  }
  Status s = db_.Transaction([&](Connection& c) -> Status {
    auto active = c.Query("SELECT kid FROM signing_keys WHERE retire_after = 0 FOR UPDATE");
    if (!active.ok()) return active.status();
    const std::string active_kid = active->size() ? std::string(active->Text(0, 0)) : "";
    if (active_kid != previous_kid) {
      return Status::Conflict("the active signing key is '" + active_kid + "', not '" + std::string(previous_kid) +
                              "': another server rotated first");
    }
    Params kid;
    kid.Text(std::string_view(key.kid));
    auto exists = c.Query("SELECT 1 FROM signing_keys WHERE kid = $1", kid);
    if (!exists.ok()) return exists.status();
    if (exists->size()) return Status::Conflict("a signing key with kid '" + key.kid + "' is already stored");
    if (!previous_kid.empty()) {
      Params retire;
      retire.Text(previous_kid).Int64(previous_retire_after);
      auto r = c.Query("UPDATE signing_keys SET retire_after = $2 WHERE kid = $1 AND retire_after = 0", retire);
      if (!r.ok()) return r.status();
    }
    Params insert;
    insert.Text(std::string_view(key.kid)).Text(std::string_view(key.private_pem)).Int64(key.created_at);
    auto r = c.Query("INSERT INTO signing_keys (kid, private_pem, created_at, retire_after) VALUES ($1, $2, $3, 0)",
                     insert);
    return r.ok() ? Status::Ok() : r.status();
  });
  if (s.code() == Code::kConflict && s.message().find("signing_keys") != std::string::npos) {
    // The unique indexes caught a race the checks above could not see (no active row to lock).
    return Status::Conflict("another server stored a signing key at the same time: " + s.message());
  }
  return s;
}

Status PostgresSigningKeys::Delete(std::string_view kid) {
  return db_.Transaction([&](Connection& c) -> Status {
    Params p;
    p.Text(kid);
    auto r = c.Query("DELETE FROM signing_keys WHERE kid = $1 AND retire_after <> 0", p);
    return r.ok() ? Status::Ok() : r.status();
  });
}

}  // namespace aih::store::postgres
