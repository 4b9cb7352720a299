#include "store/sqlite/sqlite_signing_keys.h"

#include <optional>

namespace aih::store::sqlite {
namespace {

// The active key's kid, or nullopt when there is none.
Result<std::optional<std::string>> ActiveKid(Connection& c) {
  auto stmt = c.Prepare("SELECT kid FROM signing_keys WHERE retire_after = 0");
  if (!stmt.ok()) return stmt.status();
  std::optional<std::string> kid;
  Status status;
  while (stmt->Step(&status)) kid = std::string(stmt->Text(0));
  if (!status.ok()) return status;
  return kid;
}

}  // namespace

Result<std::vector<SigningKeyRow>> SqliteSigningKeys::List() {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  auto stmt = (*conn)->Prepare("SELECT kid, private_pem, created_at, retire_after FROM signing_keys");
  if (!stmt.ok()) return stmt.status();
  std::vector<SigningKeyRow> rows;
  Status status;
  while (stmt->Step(&status)) {
    rows.push_back({std::string(stmt->Text(0)), std::string(stmt->Text(1)), stmt->Int(2), stmt->Int(3)});
  }
  if (!status.ok()) return status;
  return rows;
}

Status SqliteSigningKeys::Rotate(const SigningKeyRow& key, std::string_view previous_kid,
                                 int64_t previous_retire_after) {
  if (key.retire_after != 0) return Status::BadRequest("a newly active signing key must have retire_after 0");
  if (!previous_kid.empty() && previous_retire_after <= 0) {
    return Status::BadRequest("the replaced signing key needs a retire time");
  }
  return db_.Write([&](Connection& c) -> Status {
    auto active = ActiveKid(c);
    if (!active.ok()) return active.status();
    const std::string active_kid = active->value_or("");
    if (active_kid != previous_kid) {
      return Status::Conflict("the active signing key is '" + active_kid + "', not '" + std::string(previous_kid) +
                              "': another server rotated first");
    }
    auto exists = c.Prepare("SELECT 1 FROM signing_keys WHERE kid = ?1");
    if (!exists.ok()) return exists.status();
    exists->Bind(1, std::string_view(key.kid));
    Status status;
    const bool stored = exists->Step(&status);
    AIH_RETURN_IF_ERROR(status);
    if (stored) return Status::Conflict("a signing key with kid '" + key.kid + "' is already stored");
    if (!previous_kid.empty()) {
      auto retire = c.Prepare("UPDATE signing_keys SET retire_after = ?2 WHERE kid = ?1 AND retire_after = 0");
      if (!retire.ok()) return retire.status();
      retire->Bind(1, previous_kid);
      retire->Bind(2, previous_retire_after);
      AIH_RETURN_IF_ERROR(retire->Run());
    }
    auto insert = c.Prepare(
        "INSERT INTO signing_keys (kid, private_pem, created_at, retire_after) VALUES (?1, ?2, ?3, 0)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, std::string_view(key.kid));
    insert->Bind(2, std::string_view(key.private_pem));
    insert->Bind(3, key.created_at);
    return insert->Run();
  });
}

Status SqliteSigningKeys::Delete(std::string_view kid) {
  return db_.Write([&](Connection& c) -> Status {
    auto remove = c.Prepare("DELETE FROM signing_keys WHERE kid = ?1 AND retire_after <> 0");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, kid);
    return remove->Run();
  });
}

}  // namespace aih::store::sqlite
