// CheckStore (store.h): the on-demand check behind `aihistory check`, per engine.
#include <filesystem>
#include <string>

#include "store/postgres/connection.h"
#include "store/postgres/schema.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/store_check.h"
#include "store/store.h"
#include "store/store_location.h"

namespace aih::store {
namespace {

std::string VersionProblem(int version, int latest) {
  if (version == 0) return "the database holds no aihistory schema (never migrated)";
  if (version > latest) {
    return "the schema is at version " + std::to_string(version) + ", newer than this aihistory (" +
           std::to_string(latest) + "): check it with the aihistory that wrote it";
  }
  return "";
}

Result<StoreCheckReport> CheckSqlite(const StoreLocation& at) {
  StoreCheckReport report;
  const std::string path = at.DatabaseFile();
  if (!std::filesystem::exists(path)) {
    report.problems.push_back("there is no store at " + path);
    return report;
  }
  if (Status file = sqlite::CheckStoreFile(path); !file.ok()) {
    report.problems.push_back(file.message());
    return report;
  }
  auto conn = sqlite::Connection::Open(path, /*read_only=*/true);
  if (!conn.ok()) return conn.status();
  auto version = sqlite::CheckSchemaIsOurs(**conn, path);
  if (!version.ok()) {
    report.problems.push_back(version.status().message());
    return report;
  }
  report.schema_version = *version;
  if (std::string p = VersionProblem(report.schema_version, sqlite::LatestSchemaVersion()); !p.empty()) {
    report.problems.push_back(p);
  }
  auto integrity = sqlite::CheckIntegrity(**conn, /*full=*/true);
  if (!integrity.ok()) return integrity.status();
  for (std::string& problem : integrity->problems) report.problems.push_back(std::move(problem));
  report.checked.push_back("the file is an aihistory SQLite store");
  report.checked.push_back("PRAGMA integrity_check: every page, b-tree and index");
  return report;
}

Result<StoreCheckReport> CheckPostgres(const std::string& url) {
  StoreCheckReport report;
  auto conn = postgres::Connection::Open(url);
  if (!conn.ok()) return conn.status();
  auto version = postgres::CurrentSchemaVersion(**conn);
  if (!version.ok()) return version.status();
  report.schema_version = *version;
  if (std::string p = VersionProblem(*version, postgres::LatestSchemaVersion()); !p.empty()) {
    report.problems.push_back(p);
    return report;
  }
  report.checked.push_back("the schema version");
  // PostgreSQL checksums its pages itself (when the cluster has data checksums on); amcheck, when
  // an administrator installed it, verifies the b-tree indexes against their structure.
  auto amcheck = (*conn)->Query(
      "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
      " WHERE e.extname = 'amcheck'");
  if (!amcheck.ok()) return amcheck.status();
  if (amcheck->size() == 0) {
    report.notes.push_back("the amcheck extension is not installed in this database: its indexes were not "
                           "verified (an administrator enables it with CREATE EXTENSION amcheck)");
    return report;
  }
  const std::string check_function = std::string(amcheck->Text(0, 0)) + ".bt_index_check";  // wherever it lives
  auto indexes = (*conn)->Query(
      "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
      " JOIN pg_am a ON a.oid = c.relam"
      " WHERE c.relnamespace = current_schema()::regnamespace AND a.amname = 'btree' ORDER BY 1");
  if (!indexes.ok()) return indexes.status();
  for (int i = 0; i < indexes->size(); ++i) {
    const std::string index(indexes->Text(i, 0));
    postgres::Params p;
    p.Text(std::string_view(index));
    auto checked = (*conn)->Query("SELECT " + check_function + "($1::regclass, true)", p);
    if (checked.ok()) continue;
    // XX001 data_corrupted, XX002 index_corrupted: a finding. Anything else: the check cannot run.
    if ((*conn)->last_sqlstate().rfind("XX00", 0) != 0) return checked.status().WithContext("amcheck of " + index);
    report.problems.push_back("index " + index + ": " + checked.status().message());
  }
  report.checked.push_back("amcheck's bt_index_check of every index, with the heap");
  return report;
}

}  // namespace

Result<StoreCheckReport> CheckStore(const std::string& location) {
  const StoreLocation at = StoreLocation::Parse(location);
  if (at.postgres) return CheckPostgres(at.url);
  if (at.directory.empty()) return Status::BadRequest("--store needs a data directory or a postgresql:// URL");
  return CheckSqlite(at);
}

}  // namespace aih::store
