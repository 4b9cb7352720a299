// HandshakeLimiter: how many subscription validation handshakes may be in flight at once, in all,
// per tenant and per application.
//
// A handshake may take up to its timeout (10 s) against a receiver that accepts and stays silent. It
// waits without a request worker (the request is deferred, http::ResponseStream::Defer), but each one
// holds a client's connection and one to its receiver: one tenant may have at most `per_tenant` in
// flight, one app `per_app`, and the server `total`, so that no subscriber can use up what the others
// need. A request over a bound is answered at once (429, or 503 at the server's bound), not queued.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "base/status.h"

namespace aih::notify {

struct HandshakeLimits {
  int total = 64;
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
