#include "store/sqlite/read_pool.h"

namespace aih::store::sqlite {

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_, /*read_only=*/true, statements_, vfs_);
  if (!conn.ok()) return conn.status();
  return Lease(this, std::move(*conn));
}

void ReadPool::Return(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < 64) idle_.push_back(std::move(conn));
}

}  // namespace aih::store::sqlite
