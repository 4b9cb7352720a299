// `aihistory backup` and `aihistory restore`: an online, consistent copy of a SQLite store while
// its server keeps serving writes, and bringing such a copy back (store/sqlite/backup.h). A
// PostgreSQL store is backed up with PostgreSQL's own tools (pg_dump, or base backups with WAL
// archiving for point-in-time recovery): docs/operations.md gives the procedure.
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "model/timestamp.h"
#include "store/sqlite/backup.h"
#include "store/store.h"
#include "store/store_location.h"

namespace aih::cli {
namespace {

}  // namespace

int RunBackup(const BackupOptions& o) {
  if (store::StoreLocation::Parse(o.store).postgres) {
    std::cerr << "aihistory backup: a PostgreSQL store is backed up with PostgreSQL's tools: "
                 "pg_dump --format=custom --file=aihistory.dump '<url>' (or a base backup with WAL archiving for "
                 "point-in-time recovery); see docs/operations.md\n";
    return 2;
  }
  if (o.out.empty()) {
    std::cerr << "aihistory backup: give --out FILE\n";
    return 2;
  }
  auto summary = [&] {
    Progress progress("backup: pages copied", 0);
    return store::sqlite::BackupDatabase(store::StoreLocation::Parse(o.store).DatabaseFile(), o.out, [&](int64_t copied, int64_t) {
      progress.Update(static_cast<uint64_t>(copied), static_cast<uint64_t>(copied));
    });
  }();
  if (!summary.ok()) {
    std::cerr << "aihistory backup: " << summary.status().message() << "\n";
    return 2;
  }
  std::cout << "backed up " << o.store << " to " << o.out << ": " << summary->bytes << " bytes, schema version "
            << summary->schema_version << "\n";
  return 0;
}

int RunRestore(const RestoreOptions& o) {
  if (store::StoreLocation::Parse(o.store).postgres) {
    std::cerr << "aihistory restore: a PostgreSQL store is restored with PostgreSQL's tools (pg_restore, or a "
                 "point-in-time recovery); see docs/operations.md\n";
    return 2;
  }
  // What the store erased since the backup was made would come back with it: the operator must know
  // (the right to erasure), and say so.
  auto returning = store::sqlite::ErasedItemsInBackup(o.from, store::StoreLocation::Parse(o.store).DatabaseFile());
  if (!returning.ok()) {
    std::cerr << "aihistory restore: " << returning.status().message() << "\n";
    return 2;
  }
  for (const store::Erasure& e : *returning) {
    std::cerr << (o.allow_erased ? "warning: " : "") << "interaction '" << e.id << "' of user " << e.user_id
              << " (tenant " << e.tenant_id << ") was erased on "
              << model::Timestamp::FromUnixMillis(e.erased_ms).ToString() << " (" << e.reason << " by " << e.actor
              << ") and is in the backup" << (o.allow_erased ? ": restored; erase it again unless that is lawful" : "")
              << "\n";
  }
  if (!returning->empty() && !o.allow_erased) {
    std::cerr << "aihistory restore: the backup holds " << returning->size()
              << " interactions erased since it was made (listed above); nothing was restored. Give --allow-erased "
                 "to restore them anyway, then erase them again with `aihistory admin interactions erase`\n";
    return 1;
  }
  auto summary = store::sqlite::RestoreDatabase(o.from, store::StoreLocation::Parse(o.store).DatabaseFile(), o.force);
  if (!summary.ok()) {
    std::cerr << "aihistory restore: " << summary.status().message() << "\n";
    return 2;
  }
  // Opening the store applies the migrations a backup of an older release needs.
  auto store = store::OpenStore(o.store);
  if (!store.ok()) {
    std::cerr << "aihistory restore: the restored store does not open: " << store.status().message() << "\n";
    return 2;
  }
  auto version = (*store)->SchemaVersion();
  std::cout << "restored " << o.from << " (" << summary->bytes << " bytes, schema version " << summary->schema_version
            << ") into " << o.store << "; schema version now " << (version.ok() ? *version : 0) << "\n";
  return 0;
}

}  // namespace aih::cli
