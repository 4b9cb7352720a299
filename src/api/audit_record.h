// What the API's resources share to make their audit entries (store/audit_log.h; how and when each
// kind is written is store/audit_trail.h's): the request's part of an entry, the caller as its actor,
// and JSON snapshots fit for the log (secrets redacted, size bounded).
// Threading: stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "auth/principal.h"
#include "http/message.h"
#include "store/audit_log.h"

namespace aih::api {

// A snapshot larger than this is recorded as {"truncated":true,"bytes":n}.
inline constexpr size_t kMaxAuditSnapshotBytes = 16 * 1024;

// An entry for `request`: its time is left to the trail, its target is the request's path, its
// request id the server's, its outcome `status` (success below 400).
store::AuditEntry RequestAuditEntry(const http::Request& request, std::string action, std::string tenant_id,
                                    int status);

// The caller as the entry's actor: an application (its client id) or a signed-in user (object id).
void SetAuditActor(store::AuditEntry& entry, const auth::Principal& caller);

// The deployment's admin key as the entry's actor (every /admin route).
void SetAdminKeyActor(store::AuditEntry& entry);

// `json` (a JSON document, or empty for none: null) as it may be kept in the audit log: the value of
// every "secretText" member replaced by "[redacted]", and a document over kMaxAuditSnapshotBytes
// replaced by its size.
std::string AuditSnapshot(std::string_view json);

// One entry as the admin API and `aihistory audit` show it: {"id","createdDateTime","tenantId",
// "actorKind","actorId","action","target","requestId","outcome","status","count","details"}.
void AppendAuditEntryJson(std::string& out, const store::AuditEntry& entry);

}  // namespace aih::api
