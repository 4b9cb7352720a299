// The group commit's jobs (sql/group_commit.h RunJobs), on SQLite's single writer: a job that may
// fail alone runs in a savepoint of its own and a failing one is undone alone; but when a job's
// failure ends the whole transaction (SQLite rolls it back itself on a full disk or an I/O error), the
// undo fails and every job of the group fails with that job's failure. No later job may then commit by
// itself: once the transaction is gone, its "SAVEPOINT" would open a new one and its "RELEASE"
// commit it, acknowledged as failed yet stored. A job that fails only with the database (the
// interaction write) has no savepoint; should it fail, the group runs again, each job apart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <stdlib.h>

#include "store/sqlite/connection.h"
#include "store/sqlite/write_queue.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;
using store::sqlite::Connection;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aih-group-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/g.db";
    auto conn = Connection::Open(path_, /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (v TEXT)").ok());
    queue_ = std::make_unique<store::sqlite::WriteQueue>(std::move(*conn));
  }
  void TearDown() override {
    queue_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `jobs` as one group: a job submitted first holds the writer until all are queued. `undo`:
  // each job's, kAlone for those it does not name.
  std::vector<Status> RunAsOneGroup(std::vector<store::sqlite::WriteQueue::Job> jobs,
                                    std::vector<store::sql::Undo> undo = {}) {
    undo.resize(jobs.size(), store::sql::Undo::kAlone);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread holder([&] { (void)queue_->Submit([released](Connection&) { released.wait(); return Status::Ok(); }); });
    std::this_thread::sleep_for(50ms);  // the holder's group is running
    std::vector<std::future<Status>> results;
    for (size_t i = 0; i < jobs.size(); ++i) {
      results.push_back(std::async(std::launch::async, [this, job = jobs[i], u = undo[i]] { return queue_->Submit(job, u); }));
      std::this_thread::sleep_for(50ms);  // queued in this order
    }
    release.set_value();
    holder.join();
    std::vector<Status> out;
    for (auto& r : results) out.push_back(r.get());
    return out;
  }

  int64_t Rows() {
    auto conn = Connection::Open(path_, /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    auto stmt = (*conn)->Prepare("SELECT count(*) FROM t");
    Status status;
    EXPECT_TRUE(stmt.ok() && stmt->Step(&status));
    return stmt->Int(0);
  }

  std::string dir_, path_;
  std::unique_ptr<store::sqlite::WriteQueue> queue_;
};

store::sqlite::WriteQueue::Job Insert() {
  return [](Connection& c) { return c.Exec("INSERT INTO t VALUES ('x')"); };
}

TEST_F(GroupCommitTest, AFailingJobIsUndoneAloneAndTheOthersCommit) {
  const auto results = RunAsOneGroup({Insert(), [](Connection& c) {
                                        (void)c.Exec("INSERT INTO t VALUES ('undone')");
                                        return Status::BadRequest("refused");
                                      },
                                      Insert()});
  EXPECT_TRUE(results[0].ok()) << results[0].message();
  EXPECT_EQ(results[1].code(), Code::kBadRequest);
  EXPECT_TRUE(results[2].ok()) << results[2].message();
  EXPECT_EQ(Rows(), 2);
}

TEST_F(GroupCommitTest, AFailureThatEndsTheTransactionFailsTheWholeGroupAndStoresNothing) {
  const auto results = RunAsOneGroup({Insert(), [](Connection& c) {
                                        (void)c.Exec("ROLLBACK");  // as SQLite does itself on a full disk
                                        return Status::StorageFull("the disk is full");
                                      },
                                      Insert()});
  for (const Status& r : results) EXPECT_EQ(r.code(), Code::kStorageFull) << r.message();
  EXPECT_EQ(Rows(), 0) << "a job acknowledged as failed was stored";
}

// Whether the job runs in a savepoint named "job" of its own: rolling back to it (undoing nothing yet)
// works only then.
store::sqlite::WriteQueue::Job ProbeSavepoint(bool* own) {
  return [own](Connection& c) {
    *own = c.Exec("ROLLBACK TO SAVEPOINT job").ok();
    return c.Exec("INSERT INTO t VALUES ('probe')");
  };
}

TEST_F(GroupCommitTest, OnlyAJobThatMayFailAloneHasASavepointOfItsOwn) {
  bool with_group_own = true, alone_own = false;
  const auto results = RunAsOneGroup({ProbeSavepoint(&with_group_own), ProbeSavepoint(&alone_own)},
                                     {store::sql::Undo::kWithGroup, store::sql::Undo::kAlone});
  for (const Status& r : results) EXPECT_TRUE(r.ok()) << r.message();
  EXPECT_FALSE(with_group_own) << "the interaction write's job ran in a savepoint (FTS5 then writes its terms per job)";
  EXPECT_TRUE(alone_own);
  EXPECT_EQ(Rows(), 2);
}

TEST_F(GroupCommitTest, AJobWithoutASavepointThatFailsRunsTheGroupAgainEachJobApart) {
  std::atomic<int> first_runs = 0;
  bool own_when_run_again = false;
  const auto results = RunAsOneGroup(
      {[&first_runs](Connection& c) {
         ++first_runs;
         return c.Exec("INSERT INTO t VALUES ('x')");
       },
       [](Connection& c) {
         (void)c.Exec("INSERT INTO t VALUES ('undone')");
         return Status::Internal("failed with the database");
       },
       ProbeSavepoint(&own_when_run_again)},
      {store::sql::Undo::kWithGroup, store::sql::Undo::kWithGroup, store::sql::Undo::kWithGroup});
  EXPECT_TRUE(results[0].ok()) << results[0].message();
  EXPECT_EQ(results[1].code(), Code::kInternal);
  EXPECT_TRUE(results[2].ok()) << results[2].message();
  EXPECT_EQ(first_runs, 2) << "the group ran again from its first job";
  EXPECT_TRUE(own_when_run_again) << "run again, every job has a savepoint of its own";
  EXPECT_EQ(Rows(), 2) << "the failed job's row, or a job's first run, was stored";
}

}  // namespace
}  // namespace aih::testing
