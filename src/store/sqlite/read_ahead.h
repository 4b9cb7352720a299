// ReadAhead: the next page of an export, read while the client is still receiving this one.
//
// A client paging through an export asks for page N+1 only after the last byte of page N; the
// server then spends a round trip and the request's own setup before it reads a row. On the 2-core
// benchmark machine that wait was about a tenth of every $top=1000 page, with a core idle.
// So when a page that itself continued a cursor ends with more rows to come, SqliteInteractions
// starts reading the page its nextLink will ask for (the same query after the page's last row) on
// the read-ahead thread, and the Page() call for exactly that query takes over the rows read so far
// and then the rest as they come.
//
// Nothing stale is ever served. A read notes PRAGMA data_version before its snapshot begins and is
// claimed only if no transaction has committed since, from any connection or process: a write, or a
// directory change that alters who may see what, sends the next page to the database afresh. The
// query must match exactly (SQL and every parameter), so a changed filter, $top, or coverage
// decision never claims it either. An unclaimed read is dropped after kUnclaimedLimit; at most
// kMaxReads are kept (the oldest goes first), each holding at most one page of rows. A claimed read
// is never cut short: it either ends where its query ends or fails, so a client can never take a
// short page for the last one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "store/page_sql.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class ReadAhead {
 public:
  static constexpr size_t kMaxReads = 4;
  static constexpr std::chrono::seconds kUnclaimedLimit{5};

  explicit ReadAhead(Database& db) : db_(db) {}
  ~ReadAhead();  // stops the thread; reads in progress are abandoned

  // Starts reading `next` in the background.
  void Start(PageSql next);

  // A read started for exactly `page`, now the caller's; dropping it stops the reading.
  class Claimed {
   public:
    virtual ~Claimed() = default;
    // Calls `emit` for each row, in order, waiting for rows not yet read; stops when `emit` returns
    // false. The status of the read.
    virtual Status Emit(const std::function<bool(const PageRow&)>& emit) = 0;
  };
  // The read started for exactly `page`; null when there is none, when it has not begun or has
  // failed, or when the database has changed since it began (the caller then reads the page itself).
  std::unique_ptr<Claimed> Claim(const PageSql& page);

  // What happened to the reads started so far (for tests and diagnostics).
  struct Counts {
    int started = 0;
    int claimed = 0;
    int stale = 0;    // not claimed: the database had changed
    int dropped = 0;  // not claimed: unclaimed too long, pushed out by newer reads, not begun, failed
  };
  Counts counts() const;
  // Waits until every read started so far has been read or dropped (for tests).
  void WaitUntilIdle();

 private:
  struct Read;
  class ClaimedRead;

  void Run();                                  // the read-ahead thread
  void Execute(Read& read);                    // reads one page into `read`
  Result<int64_t> DataVersion();               // PRAGMA data_version on monitor_
  void DropLocked(std::shared_ptr<Read> read);  // abandons and forgets an unclaimed read
  void DropExpiredLocked(std::chrono::steady_clock::time_point now);

  Database& db_;
  // data_version values are comparable only on one connection: this one, which asks nothing else
  // and is never left in a transaction.
  std::mutex monitor_mu_;
  std::unique_ptr<Connection> monitor_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::shared_ptr<Read>> reads_;  // oldest first; started, running or done
  std::deque<std::shared_ptr<Read>> queue_;  // not yet started by the thread
  Counts counts_;
  bool busy_ = false;  // the thread is reading
  bool stopping_ = false;
  std::atomic<bool> shutting_down_{false};  // stopping_, for the thread while it reads
  std::thread thread_;  // started by the first Start
};

}  // namespace aih::store::sqlite
