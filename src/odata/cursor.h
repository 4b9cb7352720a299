// Cursor: the signed keyset position carried in `$skiptoken` (decision 2 of DESIGN.md).
//
// A cursor records the last item a page returned, (createdDateTime ticks, id, owner user id), and
// binds it to the tenant, the scope of the export (one user or the whole tenant), the query
// fingerprint and an expiry. It is serialised and signed with HMAC-SHA256 under a server secret and
// written as base64url (no '+', '/', '=' that clients could mangle). Open() refuses, with
// kBadRequest, a token that is truncated, altered, expired, or minted for another tenant, scope or
// query, without saying which secret part failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::odata {

struct CursorPosition {
  int64_t ticks = 0;
  std::string id;
  std::string user_id;  // the owner of the last item (tie-breaker for tenant-wide export)
  // The query's @odata.count, computed once on its first page and carried to the next ones, so that
  // paging with $count=true costs one count, not one per page. Absent when none was asked for.
  std::optional<int64_t> count = std::nullopt;
};

struct CursorBinding {
  std::string tenant_id;
  std::string scope;        // the user id for a per-user export, "*" for tenant-wide
  std::string fingerprint;  // QueryOptions::Fingerprint()
};

class CursorSigner {
 public:
  // `secret` is at least 32 bytes of key material (shorter throws std::invalid_argument: a weak
  // key is a configuration error to stop at startup); `lifetime_seconds` bounds how long a token
  // works. Every server sharing a database must share the secret, or tokens fail across servers.
  CursorSigner(std::string secret, int64_t lifetime_seconds = 24 * 3600);

  // A token of about 100 + |id| + |user_id| base64url characters.
  std::string Seal(const CursorPosition& position, const CursorBinding& binding) const;
  // The position sealed in `token`, or kBadRequest with one message whatever the fault.
  Result<CursorPosition> Open(std::string_view token, const CursorBinding& binding) const;

 private:
  std::string secret_;
  int64_t lifetime_seconds_;
};

}  // namespace aih::odata
