// HandshakeLimiter: how many subscription validation handshakes may run at once, in all, per tenant
// and per application, so that receivers that are slow or never answer cannot take the request
// workers from everyone else.
//
// A handshake runs on the request's worker and may take up to its timeout (10 s); without a bound,
// forty requests naming a receiver that accepts and stays silent held every worker, and another
// tenant's export waited for them. With a bound, at most `total` workers are ever in handshakes
// (serve keeps it well below the worker count), one tenant holds at most `per_tenant` of them and one
// app `per_app`; a request over a bound is answered at once, not queued. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "base/status.h"

namespace aih::notify {

struct HandshakeLimits {
  int total = 8;
  int per_tenant = 4;
  int per_app = 2;  // one app in one tenant
};

class HandshakeLimiter {
 public:
  // Held while a request's handshakes run; releases its place when destroyed.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : limiter_(std::exchange(other.limiter_, nullptr)), tenant_(std::move(other.tenant_)), app_(std::move(other.app_)) {}
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();

   private:
    friend class HandshakeLimiter;
    Slot(HandshakeLimiter* limiter, std::string tenant, std::string app)
        : limiter_(limiter), tenant_(std::move(tenant)), app_(std::move(app)) {}
    HandshakeLimiter* limiter_;
    std::string tenant_, app_;
  };

  explicit HandshakeLimiter(HandshakeLimits limits) : limits_(limits) {}

  // A place for one request's handshakes, or, without waiting: kTooManyRequests when the app's or the
  // tenant's share is in use (the caller's own load), kUnavailable when every place is (the server's).
  Result<Slot> TryAcquire(const std::string& tenant_id, const std::string& app_id);

  const HandshakeLimits& limits() const { return limits_; }

 private:
  void Release(const std::string& tenant_id, const std::string& app_id);

  const HandshakeLimits limits_;
  std::mutex mu_;
  int total_ = 0;
  std::map<std::string, int> per_tenant_;
  std::map<std::pair<std::string, std::string>, int> per_app_;
};

}  // namespace aih::notify
