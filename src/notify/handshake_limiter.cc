#include "notify/handshake_limiter.h"

namespace aih::notify {

HandshakeLimiter::Slot::~Slot() {
  if (limiter_ != nullptr) limiter_->Release(tenant_, app_);
}

Result<HandshakeLimiter::Slot> HandshakeLimiter::TryAcquire(const std::string& tenant_id, const std::string& app_id) {
  std::lock_guard lock(mu_);
  const auto app_key = std::make_pair(tenant_id, app_id);
  auto app = per_app_.find(app_key);
  if (app != per_app_.end() && app->second >= limits_.per_app) {
    return Status(Code::kTooManyRequests, "this application already has " + std::to_string(limits_.per_app) +
                                   " subscription validation handshakes in progress in this tenant, the most it may "
                                   "have at once; retry after the Retry-After delay");
  }
  auto tenant = per_tenant_.find(tenant_id);
  if (tenant != per_tenant_.end() && tenant->second >= limits_.per_tenant) {
    return Status(Code::kTooManyRequests, "this tenant already has " + std::to_string(limits_.per_tenant) +
                                   " subscription validation handshakes in progress, the most it may have at once; "
                                   "retry after the Retry-After delay");
  }
  if (total_ >= limits_.total) {
    return Status::Unavailable("the server is running as many subscription validation handshakes as it allows (" +
                               std::to_string(limits_.total) + "); retry after the Retry-After delay");
  }
  ++total_;
  ++per_tenant_[tenant_id];
  ++per_app_[app_key];
  return Slot(this, tenant_id, app_id);
}

void HandshakeLimiter::Release(const std::string& tenant_id, const std::string& app_id) {
  std::lock_guard lock(mu_);
  --total_;
  if (--per_tenant_[tenant_id] == 0) per_tenant_.erase(tenant_id);
  const auto app_key = std::make_pair(tenant_id, app_id);
  if (--per_app_[app_key] == 0) per_app_.erase(app_key);
}

}  // namespace aih::notify
