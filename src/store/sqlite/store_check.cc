#include "store/sqlite/store_check.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string_view>
#include <thread>

namespace aih::store::sqlite {
namespace {

constexpr char kSqliteHeader[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

std::string NotAStore(const std::string& path, const std::string& what) {
  return path + " " + what + ", so it is not an aihistory store; it is left untouched. Point --store at the right " +
         "data directory, restore the file from a backup, or move it away to start a new, empty store";
}

// Interrupts the statements of a connection once a deadline has passed, from a thread of its own,
// until it is destroyed. A progress handler would not do: SQLite calls it only between the steps of
// its virtual machine, and quick_check walks every b-tree of the file in one step (a quarter of an
// hour for a 47 GB store); sqlite3_interrupt is seen inside that walk. The interrupt is repeated:
// SQLite forgets one made while no statement was running yet.
class CheckDeadline {
 public:
  CheckDeadline(sqlite3* db, std::chrono::steady_clock::time_point at)
      : thread_([this, db, at] {
          std::unique_lock lock(mu_);
          if (cv_.wait_until(lock, at, [this] { return done_; })) return;
          passed_ = true;
          do sqlite3_interrupt(db);
          while (!cv_.wait_for(lock, std::chrono::milliseconds(1), [this] { return done_; }));
        }) {}
  ~CheckDeadline() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // Whether the deadline passed (and the check was interrupted for it). Call after the check ended.
  bool passed() {
    std::lock_guard lock(mu_);
    return passed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool passed_ = false;
  std::thread thread_;  // last: it starts once the rest is made
};

}  // namespace

Status CheckStoreFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return Status::Ok();
  if (!fs::is_regular_file(status)) return Status::BadRequest(NotAStore(path, "is not a regular file"));
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Unavailable("cannot read " + path + ": " + ec.message());
  if (size == 0) return Status::BadRequest(NotAStore(path, "is empty (0 bytes)"));
  char header[sizeof kSqliteHeader] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read " + path);
  in.read(header, sizeof header);
  if (in.gcount() != static_cast<std::streamsize>(sizeof header) || std::memcmp(header, kSqliteHeader, sizeof header) != 0) {
    return Status::BadRequest(NotAStore(path, "is not a SQLite database"));
  }
  return Status::Ok();
}

Result<int> CheckSchemaIsOurs(Connection& conn, const std::string& path) {
  // A table of ours from the first migration on, and the version our migrations keep.
  auto stmt = conn.Prepare(
      "SELECT (SELECT count(*) FROM sqlite_schema),"
      " (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'interactions'),"
      " (SELECT user_version FROM pragma_user_version)");
  if (!stmt.ok()) return stmt.status().WithContext("reading the schema of " + path);
  Status status;
  if (!stmt->Step(&status)) {
    return status.ok() ? Status::Internal("reading the schema of " + path + " returned nothing") : status;
  }
  const int64_t objects = stmt->Int(0), ours = stmt->Int(1), version = stmt->Int(2);
  if (objects == 0 && version == 0) return 0;  // nothing in it yet: ours to create
  if (ours == 0 || version == 0) {
    return Status::BadRequest(NotAStore(path, "is a SQLite database of something else (no aihistory schema)"));
  }
  return static_cast<int>(version);
}

Result<IntegrityReport> CheckIntegrity(Connection& conn, bool full, std::optional<std::chrono::milliseconds> budget) {
  std::optional<CheckDeadline> deadline;
  if (budget) deadline.emplace(conn.handle(), std::chrono::steady_clock::now() + *budget);
  IntegrityReport report;
  Status status;
  {
    // Not through the statement cache: run once.
    sqlite3_stmt* raw = nullptr;
    const char* sql = full ? "PRAGMA integrity_check(100)" : "PRAGMA quick_check(100)";
    int rc = sqlite3_prepare_v2(conn.handle(), sql, -1, &raw, nullptr);
    if (rc != SQLITE_OK) {
      status = SqliteError(conn.handle(), rc, "cannot run the integrity check");
    } else {
      while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        // A row may hold several lines, under a "*** in database main ***" heading.
        const unsigned char* text = sqlite3_column_text(raw, 0);
        std::string_view rest = text ? reinterpret_cast<const char*>(text) : "";
        while (!rest.empty()) {
          const size_t end = std::min(rest.find('\n'), rest.size());
          const std::string_view line = rest.substr(0, end);
          rest.remove_prefix(std::min(end + 1, rest.size()));
          if (!line.empty() && line != "ok" && !line.starts_with("*** in database")) report.problems.emplace_back(line);
        }
      }
      if (rc == SQLITE_INTERRUPT && deadline && deadline->passed()) {
        report.complete = false;
      } else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        // So damaged that the check itself stops: that is its finding.
        report.problems.push_back(sqlite3_errmsg(conn.handle()));
      } else if (rc != SQLITE_DONE) {
        status = SqliteError(conn.handle(), rc, "the integrity check failed");
      }
    }
    sqlite3_finalize(raw);
  }
  deadline.reset();  // no interrupt reaches the connection's next statement
  if (!status.ok()) return status;
  return report;
}

Status CheckBeforeOpening(const std::string& path, std::chrono::milliseconds budget) {
  AIH_RETURN_IF_ERROR(CheckStoreFile(path));
  if (!std::filesystem::exists(path)) return Status::Ok();
  auto conn = Connection::Open(path, /*read_only=*/true);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(CheckSchemaIsOurs(**conn, path).status());
  const std::string directory = std::filesystem::path(path).parent_path().string();
  auto report = CheckIntegrity(**conn, /*full=*/false, budget);
  if (!report.ok()) return report.status().WithContext("checking " + path);
  if (!report->problems.empty()) {
    return Status::Internal(path + " is damaged (" + report->problems.front() +
                            "); it is not served. `aihistory check --store " + directory +
                            "` lists what is wrong; restore the store from a backup");
  }
  if (!report->complete) {
    std::fprintf(stderr,
                 "aihistory: the check of %s at start stopped after %lld ms without finding damage; "
                 "`aihistory check --store %s` checks all of it\n",
                 path.c_str(), static_cast<long long>(budget.count()), directory.c_str());
  }
  return Status::Ok();
}

}  // namespace aih::store::sqlite
