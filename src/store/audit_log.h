// AuditLog: the record of who read, exported, changed or deleted what (issue #15, item 5), kept in
// the store beside what it is about.
//
// Append-only: an entry, once appended, is never changed, and nothing but the log's own retention
// (Expire) removes one; no API or command edits or deletes entries (both engines' schemas refuse an
// UPDATE of audit_log with a trigger, too). Each entry gets a sequence number, increasing in the
// order the entries commit: appends serialise on one key (the dialect's serialise_key; SQLite's
// single writer does it anyway), so a reader paging by sequence number while others append never
// skips an entry (a later page may only show entries that committed after the previous one was read).
//
// Where entries come from, and how durable each kind is, is store/audit_trail.h's.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "odata/audit_filter.h"

namespace aih::store {

// Who acted.
enum class AuditActor {
  kAdminKey,   // the admin API's key (or a request that failed to present it: `anonymous`)
  kAnonymous,  // no valid credential: a failed admin authentication
  kApp,        // an application's token (actor_id: its client id)
  kUser,       // a user's delegated token (actor_id: the user's object id)
  kSystem,     // the service itself (retention, the audit log's own retention)
  kOperator,   // the command line, on the store directly (actor_id: the command)
};
const char* ToString(AuditActor actor);  // "adminKey", "anonymous", "app", "user", "system", "operator"

struct AuditEntry {
  int64_t seq = 0;         // set by the store when appended; increasing in commit order
  int64_t time_ms = 0;     // when it happened (unix milliseconds, the recorder's clock)
  std::string tenant_id;   // "" for what belongs to no tenant (applications, failed authentications)
  AuditActor actor_kind = AuditActor::kSystem;
  std::string actor_id;
  std::string action;      // e.g. "tenants.create", "interactions.export", "interactions.retention"
  std::string target;      // what it acted on: a request path, a user id, a subscription id
  std::string request_id;  // the HTTP request's id, "" when none
  bool success = true;
  int status = 0;          // the HTTP status answered, 0 when not a request
  int64_t count = 0;       // items returned, deleted, ...
  std::string details;     // a JSON object (before/after, filter, search, ...); "{}" when nothing
};

// Which entries a page reads, oldest first.
struct AuditQuery {
  std::string tenant_id;     // "": every tenant's (and the tenantless ones); else only this tenant's
  odata::AuditFilter filter;
  int64_t after_seq = 0;     // strictly after this sequence number
  int limit = 100;           // rows to read (callers ask for top + 1)
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Appends `entries` in one durable transaction (entries' seq is ignored and assigned).
  virtual Status Append(const std::vector<AuditEntry>& entries) = 0;

  // Calls `emit` for each entry of the page in sequence order; stops early when it returns false.
  virtual Status Page(const AuditQuery& query, const std::function<bool(const AuditEntry&)>& emit) = 0;

  // The log's own retention: removes at most `limit` entries older than `before_ms` (oldest first)
  // and returns how many it removed. The only way an entry leaves the log.
  virtual Result<int64_t> Expire(int64_t before_ms, int limit) = 0;
};

// An AuditLog that keeps nothing: every call answers kUnavailable (a store that has no audit log).
AuditLog& NoAuditLog();

}  // namespace aih::store
