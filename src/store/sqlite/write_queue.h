// WriteQueue: every write to the SQLite database goes through one thread, with group commit.
//
// Callers Submit() a job (a function that writes through the connection) and block until the
// transaction that contains it is committed and fsynced. The writer thread takes every job waiting
// at that moment, runs each inside its own SAVEPOINT (so a failing job is rolled back alone), then
// commits them all at once: many concurrent requests share one fsync. One writer also means SQLite
// never answers SQLITE_BUSY to a writer of ours.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "base/status.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

class WriteQueue {
 public:
  using Job = std::function<Status(Connection&)>;

  explicit WriteQueue(std::unique_ptr<Connection> conn);
  ~WriteQueue();  // finishes queued jobs, then stops

  // Runs `job` in the next group transaction; returns its Status once durable (or failed).
  Status Submit(Job job);

 private:
  struct Pending {
    Job job;
    std::promise<Status> done;
  };
  void Run();

  std::unique_ptr<Connection> conn_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aih::store::sqlite
