// SQLite under injected file faults, in SQLite's own fault-simulation style: a workload is run once
// to count its file operations, then once more for every step with a power loss, a failed fsync or
// a full disk at that step. Whatever the step, every batch the store acknowledged is there after
// reopening, and no batch is ever seen in part (base/file_faults.h, store/sqlite/env_vfs.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/env.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

constexpr char kTenant[] = "t";
constexpr char kUser[] = "u";
constexpr int kBatches = 5;
constexpr int kItemsPerBatch = 3;
// The batch that rewrites batch 0's items: all of them get its mark, or none.
constexpr int kUpdateBatch = 3;

std::string ItemId(int batch, int item) {
  const int owner = batch == kUpdateBatch ? 0 : batch;
  return "b" + std::to_string(owner) + "-" + std::to_string(item);
}
std::string Mark(int batch) { return "mark-of-batch-" + std::to_string(batch) + "-"; }

std::vector<store::ItemToWrite> Batch(int batch) {
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < kItemsPerBatch; ++i) {
    model::Interaction in;
    in.id = ItemId(batch, i);
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created = model::Timestamp::FromUnixMillis(1000 + i);
    in.body = model::Body{"text", Mark(batch) + std::string(600, 'x')};  // several pages per batch
    items.push_back(store::PrepareItem(kTenant, kUser, in));
  }
  return items;
}

// What a reader finds of `batch` in `store`: how many of its items carry its mark (-1: a read
// failed, which after a fault is allowed; a wrong answer is not).
int ItemsOfBatchVisible(store::Store& store, int batch) {
  int visible = 0;
  for (int i = 0; i < kItemsPerBatch; ++i) {
    auto json = store.interactions().Get(kTenant, kUser, ItemId(batch, i));
    if (!json.ok() && json.status().code() != Code::kNotFound) return -1;
    if (json.ok() && json->find(Mark(batch)) != std::string::npos) ++visible;
  }
  return visible;
}

// A batch is seen whole or not at all; the update batch's items carry either all the old mark or
// all the new one.
void ExpectNoBatchInPart(store::Store& store, const std::string& when) {
  for (int b = 0; b < kBatches; ++b) {
    const int visible = ItemsOfBatchVisible(store, b);
    if (visible < 0) continue;
    EXPECT_TRUE(visible == 0 || visible == kItemsPerBatch) << when << ": batch " << b << " is seen in part ("
                                                           << visible << " of " << kItemsPerBatch << " items)";
  }
}

struct WorkloadRun {
  bool opened = false;
  std::vector<bool> acknowledged = std::vector<bool>(kBatches, false);
};

// Opens (creating) the store at `dir` through `env` and writes the batches one after another,
// checking after each outcome that nothing is seen in part.
WorkloadRun RunWorkload(const std::string& dir, Env& env, const std::string& when) {
  WorkloadRun run;
  store::StoreOptions options;
  options.env = &env;
  auto store = store::OpenStore(dir, options);
  if (!store.ok()) return run;
  run.opened = true;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<store::ItemOutcome> outcomes;
    run.acknowledged[b] = (*store)->interactions().Write(Batch(b), &outcomes).ok();
    ExpectNoBatchInPart(**store, when + ", after batch " + std::to_string(b));
  }
  return run;
}

std::string IntegrityCheck(const std::string& dir) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2((dir + "/aihistory.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return result;
}

// Reopens `dir` with no faults and checks what `run` left behind.
void ExpectRecovered(const std::string& dir, const WorkloadRun& run, const std::string& when) {
  // A store whose creation the fault interrupted is not there at all (never there in part).
  if (std::filesystem::exists(dir + "/aihistory.db")) {
    EXPECT_EQ(IntegrityCheck(dir), "ok") << when;
  } else {
    EXPECT_FALSE(run.opened) << when << ": a store that opened is gone";
  }
  auto store = store::OpenStore(dir);
  ASSERT_TRUE(store.ok()) << when << ": the store does not reopen: " << store.status().message();
  EXPECT_EQ(*(*store)->SchemaVersion(), store::sqlite::LatestSchemaVersion()) << when;
  ExpectNoBatchInPart(**store, when + ", after reopening");
  for (int b = 0; b < kBatches; ++b) {
    if (!run.acknowledged[b]) continue;
    // An acknowledged batch survives, unless a later acknowledged batch rewrote it.
    const bool rewritten = b == 0 && run.acknowledged[kUpdateBatch];
    if (!rewritten) {
      EXPECT_EQ(ItemsOfBatchVisible(**store, b), kItemsPerBatch) << when << ": acknowledged batch " << b << " lost";
    }
  }
  // And it takes writes again.
  std::vector<store::ItemOutcome> outcomes;
  EXPECT_TRUE((*store)->interactions().Write(Batch(kBatches - 1), &outcomes).ok()) << when;
}

// A fresh directory for one run: in memory when the machine has /dev/shm (a real file system with
// real fsync and locking semantics, minus the wait for a disk, so that hundreds of runs are quick).
std::string FreshDirectory() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) {
    std::string tmpl = "/dev/shm/aih-faults-XXXXXX";
    if (mkdtemp(tmpl.data())) return tmpl;
  }
  return NewStoreLocation("sqlite", "aih-faults");
}

class SqliteFaults : public ::testing::Test {
 protected:
  // How many operations of `ops` the workload performs without faults.
  int64_t CountSteps(std::initializer_list<FileOp> ops) {
    const std::string dir = FreshDirectory();
    env_.faults().Arm(FileFault::kNone, 0, ops);
    WorkloadRun run = RunWorkload(dir, env_, "counting");
    const int64_t steps = env_.faults().steps();
    EXPECT_TRUE(run.opened);
    for (bool acked : run.acknowledged) EXPECT_TRUE(acked);
    RemoveStoreLocation(dir);
    return steps;
  }

  // Runs the workload with `fault` at each step in turn (of `ops`), and checks the outcome.
  void AtEveryStep(FileFault fault, std::initializer_list<FileOp> ops, const char* name) {
    const int64_t steps = CountSteps(ops);
    ASSERT_GT(steps, 5) << "the workload does too little to test";
    int fired = 0, acknowledged_somewhere = 0;
    for (int64_t step = 1; step <= steps; ++step) {
      const std::string when = std::string(name) + " at step " + std::to_string(step) + " of " + std::to_string(steps);
      const std::string dir = FreshDirectory();
      env_.faults().Arm(fault, step, ops);
      WorkloadRun run = RunWorkload(dir, env_, when);  // the store is closed (destroyed) on return
      fired += env_.faults().fired();
      for (bool acked : run.acknowledged) acknowledged_somewhere += acked;
      env_.faults().Clear();
      ExpectRecovered(dir, run, when);
      RemoveStoreLocation(dir);
      if (HasFailure()) return;  // one step's story is enough
    }
    // The faults really happened, and they really cost writes (or the test proved nothing).
    EXPECT_EQ(fired, steps);
    EXPECT_LT(acknowledged_somewhere, steps * kBatches);
  }

  TestEnv env_;
};

TEST_F(SqliteFaults, PowerLossAtEveryStepKeepsEveryAcknowledgedBatch) {
  AtEveryStep(FileFault::kPowerLoss, {}, "power loss");
}

TEST_F(SqliteFaults, FailedFsyncAtEverySyncKeepsEveryAcknowledgedBatch) {
  AtEveryStep(FileFault::kIoError, {FileOp::kSync}, "failed fsync");
}

TEST_F(SqliteFaults, FullDiskAtEveryWriteKeepsEveryAcknowledgedBatch) {
  AtEveryStep(FileFault::kFull, {FileOp::kWrite, FileOp::kTruncate}, "full disk");
}

TEST_F(SqliteFaults, FullDiskIsReportedAsStorageFullAndPasses) {
  const std::string dir = FreshDirectory();
  store::StoreOptions options;
  options.env = &env_;
  env_.faults().Clear();
  {
    auto store = store::OpenStore(dir, options);
    ASSERT_TRUE(store.ok());
    env_.faults().Arm(FileFault::kFull, 1, {FileOp::kWrite});
    std::vector<store::ItemOutcome> outcomes;
    Status full = (*store)->interactions().Write(Batch(0), &outcomes);
    EXPECT_EQ(full.code(), Code::kStorageFull) << full.message();
    EXPECT_TRUE((*store)->storage().full());
    EXPECT_EQ(ItemsOfBatchVisible(**store, 0), 0);
    // Space comes back: the next write succeeds and clears the condition.
    env_.faults().Clear();
    EXPECT_TRUE((*store)->interactions().Write(Batch(0), &outcomes).ok());
    EXPECT_FALSE((*store)->storage().full());
    EXPECT_EQ(ItemsOfBatchVisible(**store, 0), kItemsPerBatch);
  }
  RemoveStoreLocation(dir);
}

}  // namespace
}  // namespace aih::testing
