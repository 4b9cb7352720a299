#include "store/sqlite/read_ahead.h"

#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/session.h"

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

  // Who the read is for. Only an open read may be claimed or abandoned, by compare-and-swap, so a
  // read that a claimant took is never abandoned under it (it would end short, and look complete).
  enum class Owner { kOpen, kClaimed, kAbandoned };

  const PageSql sql;
  const std::chrono::steady_clock::time_point created;
  std::atomic<Owner> owner{Owner::kOpen};
  std::atomic<bool> enough{false};  // the claimant has stopped taking rows

  std::mutex mu;
  std::condition_variable more;
  bool started = false;       // data_version is known and the snapshot is about to begin
  int64_t data_version = 0;   // before the read's snapshot began
  std::deque<Batch> batches;  // read, not yet taken by the claimant
  bool done = false;          // no more batches will come
  Status status;

  // Abandons an open read; a claimed one stays its claimant's.
  void Abandon() {
    Owner expected = Owner::kOpen;
    owner.compare_exchange_strong(expected, Owner::kAbandoned);
  }
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
  ~ClaimedRead() override { read_->enough = true; }

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
  shutting_down_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    while (!reads_.empty()) DropLocked(reads_.front());
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
  while (reads_.size() > kMaxReads) DropLocked(reads_.front());
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
    reads_.erase(it);  // this call's now: nobody else drops or claims it
    queue_.erase(std::remove(queue_.begin(), queue_.end(), read), queue_.end());
  }
  auto tally = [&](int Counts::*outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    ++(counts_.*outcome);
  };
  bool begun = false, failed = false;
  int64_t began_at = 0;
  {
    std::lock_guard<std::mutex> lock(read->mu);
    begun = read->started;
    failed = read->done && !read->status.ok();
    began_at = read->data_version;
  }
  if (read->owner == Read::Owner::kAbandoned) {
    tally(&Counts::stale);  // it abandoned itself: the database changed while it was being read
    return nullptr;
  }
  // Not begun: reading it now is no faster than the caller doing so. Failed: the caller tries itself.
  if (!begun || failed) {
    read->Abandon();
    tally(&Counts::dropped);
    return nullptr;
  }
  Read::Owner expected = Read::Owner::kOpen;
  if (!read->owner.compare_exchange_strong(expected, Read::Owner::kClaimed)) {
    tally(&Counts::stale);  // it abandoned itself: the database changed while it was being read
    return nullptr;
  }
  auto now = DataVersion();
  if (!now.ok() || *now != began_at) {
    read->enough = true;
    tally(&Counts::stale);
    return nullptr;
  }
  tally(&Counts::claimed);
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
        if (reads_.empty()) {
          wake_.wait(lock);
        } else if (wake_.wait_for(lock, kUnclaimedLimit) == std::cv_status::timeout) {
          DropExpiredLocked(std::chrono::steady_clock::now());  // an idle server keeps no old pages
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
  const Status abandoned = Status::Unavailable("the page read ahead was abandoned");
  if (read.owner != Read::Owner::kOpen || shutting_down_) return read.Publish(batch, true, abandoned);
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
  bool cut_short = false;
  int rows = 0;
  Status status = ReadPageRows(**conn, read.sql, [&](const PageRow& row) {
    if (read.enough) return false;
    if (read.owner == Read::Owner::kAbandoned || shutting_down_) {
      cut_short = true;
      return false;
    }
    batch.Add(row);
    if (batch.rows.size() == kBatchRows) read.Publish(batch, false);
    if (++rows % kVersionCheckRows == 0 && read.owner == Read::Owner::kOpen) {
      auto current = DataVersion();
      if (!current.ok() || *current != *version) read.Abandon();  // unless a claimant got there first
    }
    return true;
  });
  // Only an unclaimed read (or one claimed as the server stops) is cut short: its claimant, if any,
  // must see a failure rather than a short page.
  if (status.ok() && cut_short) status = abandoned;
  read.Publish(batch, true, status);
}

Result<int64_t> ReadAhead::DataVersion() {
  std::lock_guard<std::mutex> lock(monitor_mu_);
  if (!monitor_) {
    auto opened = Connection::Open(db_.path, /*read_only=*/true, {}, db_.vfs);
    if (!opened.ok()) return opened.status();
    monitor_ = std::move(*opened);
  }
  auto stmt = monitor_->Prepare("PRAGMA data_version");
  if (!stmt.ok()) return stmt.status();
  Status status;
  if (!stmt->Step(&status)) return status.ok() ? Status::Internal("PRAGMA data_version returned no row") : status;
  return stmt->Int(0);
}

void ReadAhead::DropLocked(std::shared_ptr<Read> read) {  // by value: callers pass reads_.front()
  read->Abandon();
  queue_.erase(std::remove(queue_.begin(), queue_.end(), read), queue_.end());
  reads_.erase(std::remove(reads_.begin(), reads_.end(), read), reads_.end());
  ++counts_.dropped;
}

void ReadAhead::DropExpiredLocked(std::chrono::steady_clock::time_point now) {
  while (!reads_.empty() && now - reads_.front()->created > kUnclaimedLimit) DropLocked(reads_.front());
}

}  // namespace aih::store::sqlite
