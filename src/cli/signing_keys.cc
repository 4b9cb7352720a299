// `aihistory admin signing-keys rotate|list`: the token issuer's RSA keys, kept in the store.
//
// Rotation goes through the same KeyRing as `serve`, with the same options, so the new key is
// published (in the JWKS) before any server signs with it and the old key keeps verifying until every
// token it signed has expired. Servers pick the rotation up at their next refresh. Nothing here prints
// private key material. Exit codes: 0 done, 2 the store could not be opened or written.
#include <algorithm>
#include <ctime>
#include <iostream>

#include "auth/key_ring.h"
#include "auth/stored_key_repository.h"
#include "base/utc_time.h"
#include "cli/commands.h"
#include "store/store.h"

namespace aih::cli {
namespace {

int Fail(const Status& s) {
  std::cerr << "aihistory admin signing-keys: " << s.message() << std::endl;
  return 2;
}

int List(store::Store& store) {
  auto rows = store.signing_keys().List();
  if (!rows.ok()) return Fail(rows.status());
  if (rows->empty()) {
    std::cout << "no signing keys yet: `aihistory serve` makes the first one" << std::endl;
    return 0;
  }
  for (const store::SigningKeyRow& row : *rows) {
    std::cout << row.kid << "  created " << FormatUtc(row.created_at) << "  "
              << (row.retire_after == 0 ? "active" : "retired, verifies until " + FormatUtc(row.retire_after)) << std::endl;
  }
  return 0;
}

int Rotate(store::Store& store) {
  auth::StoredKeyRepository repository(store.signing_keys());
  const auth::KeyRingOptions options;  // serve's: the publish delay and retire times depend on them
  const int64_t now = std::time(nullptr);
  auto before = store.signing_keys().List();
  if (!before.ok()) return Fail(before.status());
  auto ring = auth::KeyRing::Open(repository, options, now);
  if (!ring.ok()) return Fail(ring.status());
  if (!before->empty()) {
    Status rotated = (*ring)->Rotate(now);
    if (!rotated.ok()) return Fail(rotated);
  }
  auto after = store.signing_keys().List();
  if (!after.ok()) return Fail(after.status());
  for (const store::SigningKeyRow& row : *after) {
    if (row.retire_after != 0) continue;
    std::cout << "new signing key " << row.kid << ": published now; servers sign with it from "
              << FormatUtc(row.created_at + options.refresh_interval_seconds + options.clock_skew_seconds) << std::endl;
  }
  for (const store::SigningKeyRow& row : *after) {
    const bool was_active = std::any_of(before->begin(), before->end(), [&](const store::SigningKeyRow& old) {
      return old.kid == row.kid && old.retire_after == 0;
    });
    if (was_active && row.retire_after != 0) {
      std::cout << "previous key " << row.kid << " verifies until " << FormatUtc(row.retire_after) << std::endl;
    }
  }
  return 0;
}

}  // namespace

int RunSigningKeys(const SigningKeysOptions& o) {
  auto store = store::OpenStore(o.store, store::OpenMode::kMustExist);
  if (!store.ok()) return Fail(store.status());
  if (o.verb == "list") return List(**store);
  if (o.verb == "rotate") return Rotate(**store);
  return Fail(Status::BadRequest("unknown verb '" + o.verb + "'; use rotate or list"));
}

}  // namespace aih::cli
