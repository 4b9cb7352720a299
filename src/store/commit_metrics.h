// The group commit's metrics, for both engines' write queues: how many writes (requests) shared
// each commit (aihistory_commit_group_writes) and how long each group's transaction took from its
// BEGIN to its COMMIT's return, fsync included (aihistory_commit_duration_seconds).
//
// Thread-safe; a few relaxed atomic adds per commit.
#pragma once

#include <chrono>
#include <cstddef>

namespace aih::store {

void RecordCommit(size_t writes, std::chrono::steady_clock::duration took);
// Registers both (empty), so that a scrape shows them before the first commit.
void DeclareCommitMetrics();

}  // namespace aih::store
