#include "store/postgres/database.h"

#include "store/postgres/schema.h"

namespace aih::store::postgres {

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, const Options& options) {
  {
    auto conn = Connection::Open(url);
    if (!conn.ok()) return conn.status();
    if (!options.create) {
      auto version = CurrentSchemaVersion(**conn);
      if (!version.ok()) return version.status();
      if (*version == 0) {
        return Status::NotFound("the PostgreSQL database " + (*conn)->where() + " holds no aihistory store (no "
                                "aihistory schema): check --store or AIH_STORE; `aihistory serve`, `demo-setup` and "
                                "`seed` create one");
      }
    }
    AIH_RETURN_IF_ERROR(Migrate(**conn));
  }
  return std::unique_ptr<Database>(new Database(url, options));
}

Status Database::Run(const Work& work) {
  Status s = RunLeased(work);
  if (s.code() == Code::kStorageFull) storage_.RecordFull(s.message());
  return s;
}

Status Database::Transaction(const Work& work) {
  Status s = RunInTransaction(work);
  if (s.code() == Code::kStorageFull) storage_.RecordFull(s.message());
  return s;
}

Status Database::RunLeased(const Work& work) {
  Status s;
  auto lease = pool_.AcquireAndRun(work, &s);
  return lease.ok() ? s : lease.status();
}

Status Database::RunInTransaction(const Work& work) {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool_.AcquireAndBegin();
    if (!lease.ok()) return lease.status();
    Connection& c = **lease;
    Status s = work(c);
    if (s.ok()) {
      s = c.Exec("COMMIT");
      if (s.ok()) return s;
      if (c.broken()) {
        return Status::Unavailable("lost the PostgreSQL connection during commit, so the change may or may not "
                                   "be stored: check, then retry (" + s.message() + ")");
      }
    }
    if (c.broken()) return s;
    const bool again = IsRetryable(c.last_sqlstate()) && attempt < kRetryableAttempts;
    if (c.in_transaction()) c.Exec("ROLLBACK");
    if (!again) return s;
  }
}

}  // namespace aih::store::postgres
