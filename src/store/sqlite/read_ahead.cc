#include "store/sqlite/read_ahead.h"

#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/query.h"

namespace aih::store::sqlite {
namespace {

constexpr size_t kBatchRows = 32;       // rows handed over at once: one wake-up per batch, not per row
constexpr int kVersionCheckRows = 256;  // how often an unclaimed read asks whether it is stale yet

// Rows read, owning their bytes: PageRow's views are only valid while the statement is on the row.
struct Batch {
  struct Row {
    size_t json, json_size, user, user_size, id, id_size;
    int64_t ticks;
  };
  std::string bytes;
  std::vector<Row> rows;

  void Add(const PageRow& row) {
    Row r{bytes.size(), row.json.size(), 0, row.user_id.size(), 0, row.id.size(), row.ticks};
    bytes += row.json;
    r.user = bytes.size();
    bytes += row.user_id;
    r.id = bytes.size();
    bytes += row.id;
    rows.push_back(r);
  }
  PageRow At(const Row& r) const {
    std::string_view all(bytes);
    return PageRow{all.substr(r.json, r.json_size), all.substr(r.user, r.user_size), all.substr(r.id, r.id_size),
                   r.ticks};
  }
};

}  // namespace

struct ReadAhead::Read {
  explicit Read(PageSql s) : sql(std::move(s)), created(std::chrono::steady_clock::now()) {}

  const PageSql sql;
  const std::chrono::steady_clock::time_point created;
  std::atomic<bool> cancelled{false};  // stop reading: dropped, or the claimant has had enough
  std::atomic<bool> claimed{false};

  std::mutex mu;
  std::condition_variable more;
  bool started = false;       // data_version is known and the snapshot is about to begin
  int64_t data_version = 0;   // before the read's snapshot began
  std::deque<Batch> batches;  // read, not yet taken by the claimant
  bool done = false;          // no more batches will come
  Status status;

  void Publish(Batch& batch, bool last, Status final_status = Status::Ok()) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!batch.rows.empty()) batches.push_back(std::move(batch));
      if (last) {
        done = true;
        status = std::move(final_status);
      }
    }
    batch = Batch();
    more.notify_all();
  }
};

class ReadAhead::ClaimedRead final : public ReadAhead::Claimed {
 public:
  explicit ClaimedRead(std::shared_ptr<Read> read) : read_(std::move(read)) {}
  ~ClaimedRead() override { read_->cancelled = true; }

  Status Emit(const std::function<bool(const PageRow&)>& emit) override {
    for (;;) {
      std::deque<Batch> taken;
      bool done = false;
      Status status;
      {
        std::unique_lock<std::mutex> lock(read_->mu);
        read_->more.wait(lock, [&] { return !read_->batches.empty() || read_->done; });
        taken.swap(read_->batches);
        done = read_->done;  // set only with the last batch: nothing can follow what was taken
        status = read_->status;
      }
      for (const Batch& batch : taken) {
        for (const Batch::Row& row : batch.rows) {
          if (!emit(batch.At(row))) return Status::Ok();
        }
      }
      if (done) return status;
    }
  }

 private:
  std::shared_ptr<Read> read_;
};

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& read : reads_) read->cancelled = true;
  }
  wake_.notify_all();
  idle_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReadAhead::Start(PageSql next) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return;
  DropExpiredLocked(std::chrono::steady_clock::now());
  auto read = std::make_shared<Read>(std::move(next));
  reads_.push_back(read);
  queue_.push_back(read);
  while (reads_.size() > kMaxReads) {
    auto oldest = reads_.front();
    oldest->cancelled = true;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), oldest), queue_.end());
    reads_.pop_front();
  }
  ++counts_.started;
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  wake_.notify_one();
}

std::unique_ptr<ReadAhead::Claimed> ReadAhead::Claim(const PageSql& page) {
  std::shared_ptr<Read> read;
  {
    std::lock_guard<std::mutex> lock(mu_);
    DropExpiredLocked(std::chrono::steady_clock::now());
    auto it = std::find_if(reads_.begin(), reads_.end(), [&](const std::shared_ptr<Read>& r) {
      return r->sql.sql == page.sql && r->sql.params == page.params;
    });
    if (it == reads_.end()) return nullptr;
    read = *it;
    reads_.erase(it);
    queue_.erase(std::remove(queue_.begin(), queue_.end(), read), queue_.end());
  }
  int64_t began_at = 0;
  {
    std::lock_guard<std::mutex> lock(read->mu);
    if (!read->started) {  // still queued: reading it now is no faster than the caller doing so
      read->cancelled = true;
      return nullptr;
    }
    began_at = read->data_version;
  }
  auto now = DataVersion();
  if (!now.ok() || *now != began_at) {
    read->cancelled = true;
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_.stale;
    return nullptr;
  }
  read->claimed = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_.claimed;
  }
  return std::make_unique<ClaimedRead>(std::move(read));
}

ReadAhead::Counts ReadAhead::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void ReadAhead::WaitUntilIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return stopping_ || (queue_.empty() && !busy_); });
}

void ReadAhead::Run() {
  for (;;) {
    std::shared_ptr<Read> read;
    {
      std::unique_lock<std::mutex> lock(mu_);
      busy_ = false;
      idle_.notify_all();
      while (!stopping_ && queue_.empty()) {
        if (wake_.wait_for(lock, kUnclaimedLimit) == std::cv_status::timeout) {
          DropExpiredLocked(std::chrono::steady_clock::now());  // an idle server keeps no stale pages
        }
      }
      if (stopping_) return;
      read = queue_.front();
      queue_.pop_front();
      busy_ = true;
    }
    Execute(*read);
  }
}

void ReadAhead::Execute(Read& read) {
  Batch batch;
  if (read.cancelled) return read.Publish(batch, true);
  // The version before the snapshot begins (at the first step): a commit in between only makes the
  // read look stale, never a stale read look current.
  auto version = DataVersion();
  if (!version.ok()) return read.Publish(batch, true, version.status());
  {
    std::lock_guard<std::mutex> lock(read.mu);
    read.started = true;
    read.data_version = *version;
  }
  auto conn = db_.Read();
  if (!conn.ok()) return read.Publish(batch, true, conn.status());
  auto stmt = (*conn)->Prepare(read.sql.sql);
  if (!stmt.ok()) return read.Publish(batch, true, stmt.status());
  BindAll(*stmt, read.sql.params);
  Status status;
  for (int rows = 1; !read.cancelled && stmt->Step(&status); ++rows) {
    batch.Add(PageRow{stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Int(3)});
    if (batch.rows.size() == kBatchRows) read.Publish(batch, false);
    if (rows % kVersionCheckRows == 0 && !read.claimed) {
      auto current = DataVersion();
      if (!current.ok() || *current != *version) read.cancelled = true;  // nobody will claim it now
    }
  }
  read.Publish(batch, true, status);
}

Result<int64_t> ReadAhead::DataVersion() {
  std::lock_guard<std::mutex> lock(monitor_mu_);
  if (!monitor_) {
    auto opened = Connection::Open(db_.path, /*read_only=*/true);
    if (!opened.ok()) return opened.status();
    monitor_ = std::move(*opened);
  }
  auto stmt = monitor_->Prepare("PRAGMA data_version");
  if (!stmt.ok()) return stmt.status();
  Status status;
  if (!stmt->Step(&status)) return status.ok() ? Status::Internal("PRAGMA data_version returned no row") : status;
  return stmt->Int(0);
}

void ReadAhead::DropExpiredLocked(std::chrono::steady_clock::time_point now) {
  while (!reads_.empty() && now - reads_.front()->created > kUnclaimedLimit) {
    auto expired = reads_.front();
    expired->cancelled = true;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), expired), queue_.end());
    reads_.pop_front();
  }
}

}  // namespace aih::store::sqlite
