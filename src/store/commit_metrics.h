// The group commit's metrics, for both engines' write queues: how many writes (requests) shared
// each commit (aihistory_commit_group_writes) and how long each group's transaction took from its
// BEGIN to its COMMIT's return, fsync included (aihistory_commit_duration_seconds); and how many write
// requests each interaction batch combined (aihistory_write_combined_requests, write_combiner.h).
//
// Thread-safe; a few relaxed atomic adds per commit.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace aih::store {

void RecordCommit(size_t writes, std::chrono::steady_clock::duration took);
// Registers them (empty), so that a scrape shows them before the first commit.
void DeclareCommitMetrics();

// A batch of the write combiner of `requests` write requests (1: written alone).
void RecordCombinedWrites(size_t requests);
// The batches recorded so far, in this process, that combined more than one request (for tests).
uint64_t BatchesCombiningSeveralWrites();

}  // namespace aih::store
