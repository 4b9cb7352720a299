// StatementCache: the prepared statements of one database connection, bounded, least recently used
// first out.
//
// Every distinct SQL text (a `$filter` shape makes its own) is prepared once and reused; without a
// bound a client sending ever new shapes would grow the server without limit. Past `capacity`
// entries the least recently used entry that is not in use is evicted: the engine's `release`
// finalizes it (SQLite) or DEALLOCATEs it (PostgreSQL), and the shared eviction counter counts it.
// An entry in use (a SQLite statement still borrowed) is never evicted; if every entry is in use
// the cache is briefly over its capacity and shrinks at the next insertion.
//
// Not thread-safe: a connection, and so its cache, is used by one thread at a time. The counters
// may be shared by every connection of a store (atomic).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace aih::store {

// What the caches of a store's connections did, for metrics.
struct StatementCacheStats {
  std::atomic<uint64_t> evictions{0};
};

struct StatementCacheLimits {
  static constexpr size_t kDefaultCapacity = 256;
  size_t capacity = kDefaultCapacity;              // statements per connection; at least 1
  std::shared_ptr<StatementCacheStats> stats;      // may be null
};

template <typename Handle>
class StatementCache {
 public:
  explicit StatementCache(StatementCacheLimits limits) : limits_(std::move(limits)) {
    if (limits_.capacity == 0) limits_.capacity = 1;
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The entry for `key`, now the most recently used; null when absent.
  Handle* Find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->second;
  }

  // Makes room for one more entry: evicts least recently used entries while the cache is full,
  // skipping those `in_use` says are borrowed, and hands each to `release`. Returns the first
  // failure of `release` (its entry is gone all the same).
  template <typename InUse, typename Release>
  auto MakeRoom(InUse in_use, Release release) -> decltype(release(std::declval<Handle&>())) {
    decltype(release(std::declval<Handle&>())) result{};
    auto it = entries_.end();
    while (entries_.size() >= limits_.capacity && it != entries_.begin()) {
      --it;
      if (in_use(it->second)) continue;
      auto victim = it++;
      auto outcome = release(victim->second);
      if (!outcome.ok() && result.ok()) result = std::move(outcome);
      index_.erase(std::string_view(victim->first));
      entries_.erase(victim);
      if (limits_.stats) limits_.stats->evictions.fetch_add(1, std::memory_order_relaxed);
    }
    return result;
  }

  // Adds `key` (absent) as the most recently used entry. Call MakeRoom first.
  Handle& Add(std::string key, Handle handle) {
    entries_.emplace_front(std::move(key), std::move(handle));
    index_.emplace(std::string_view(entries_.front().first), entries_.begin());
    return entries_.front().second;
  }

  template <typename F>
  void ForEach(F f) {
    for (auto& [key, handle] : entries_) f(handle);
  }

  size_t size() const { return entries_.size(); }
  size_t capacity() const { return limits_.capacity; }

 private:
  using Entries = std::list<std::pair<std::string, Handle>>;  // most recently used first
  StatementCacheLimits limits_;
  Entries entries_;
  std::unordered_map<std::string_view, typename Entries::iterator> index_;  // views into entries_
};

}  // namespace aih::store
