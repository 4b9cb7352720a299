// The DDL of the migrations both engines run alike but for spelling (types, collations, how a table
// is stored, how the database numbers a key): written once here, each engine spelling it with its
// DdlSpelling (its schema.cc). An engine's schema.cc keeps its list of migrations, in its own order
// and with its own version numbers (an existing database's version must keep meaning what it
// meant), made of these and of what is its own (the interactions' first table, the change feed, the
// search index, the outbox's payloads and the audit log's trigger). A released migration is never
// edited: tests/store/schema_dump_test.cc proves a fresh store of either engine still gets exactly
// the schema it always got.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::store::sql {

// How an engine spells what differs in DDL; a template writes each as {name}.
struct DdlSpelling {
  std::string_view id;          // {id}: text keys compare byte by byte (TEXT; text COLLATE "C")
  std::string_view text;        // {text}
  std::string_view int64;       // {int}
  std::string_view int16;       // {int16}
  std::string_view boolean;     // {bool}
  std::string_view bytes;       // {bytes}
  std::string_view auto_key;    // {auto_key}: an integer primary key the database numbers
  std::string_view serial_key;  // {serial_key}: one numbered in insert order, never reused
  std::string_view clustered;   // {clustered}, after a table's ")": stored in its primary key's order
  std::string_view search_terms;  // {search_terms}: a search document as the full-text index reads it
};

// `ddl` with each {name} replaced by `d`'s spelling of it.
std::string SpellDdl(const DdlSpelling& d, std::string_view ddl);

// kInternal when the database is at a `version` newer than `latest`, this binary's: it must not
// touch it.
Status RefuseNewerSchema(int version, int latest);

// How an engine runs one migration: the statement that begins its transaction, and the one that
// records in that transaction that the database is now at `version`.
struct MigrationSpelling {
  const char* engine;  // as the log names it
  const char* begin;
  std::string (*record_version)(int version);
};

// Brings a database at version `from` up to `target` (at most the last of `migrations`, whose index
// 0 is version 1), each migration in a transaction of its own with the record of its version, so
// that a database is always at exactly one version; refuses a database newer than this binary.
// `exec` runs SQL on the engine's connection. An existing store's upgrade is logged step by step.
// Both engines number their migrations alike: one an engine does not need is a no-op there, so a
// release reports one schema version on either (tests/store/schema_parity_test.cc).
Status ApplyMigrations(const std::function<Status(const std::string&)>& exec, const std::vector<std::string>& migrations,
                       int from, int target, const MigrationSpelling& spelling);

// The shared migrations' templates (the SQLite version, then the PostgreSQL one, in the comment).
namespace ddl {
extern const char* const kDirectory;         // 2, 2: the directory (store/directory_store.h)
extern const char* const kSigningKeys;       // 4, 3: the token issuer's keys
extern const char* const kSubscriptions;     // 5, 4: subscriptions (the outbox beside them is the engine's)
extern const char* const kUserAccess;        // 6, 5: per-user grants of AiEnterpriseInteraction.Read.User
extern const char* const kOnceKeys;          // 7, 6: lifecycle transitions that exactly one server wins
extern const char* const kTlsVersion;        // 8, 8: what Graph's subscriptions also keep (2026)
extern const char* const kSearchTerms;       // 9, 9: the search document (the index over it is the engine's)
extern const char* const kFilterIndexes;     // 10, 10: queries that cost what they return
extern const char* const kVerifiableLog;     // 11, 11: the verifiable log
extern const char* const kHoldsAndErasures;  // 12, 12: legal holds and erasures
extern const char* const kRetention;         // 13, 13: retention policies and the sweep's lease
extern const char* const kAuditLog;          // 14, 14: the audit log (its append-only trigger is the engine's)
extern const char* const kSlimLog;           // 15, 15: the log's leaves, slimmer
extern const char* const kHoldSearch;        // 17, 17: a legal hold's content search
}  // namespace ddl

}  // namespace aih::store::sql
