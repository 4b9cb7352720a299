// Health probes for load balancers and orchestrators (Kubernetes liveness and readiness), without a
// credential:
//   GET /health/live   200 while the process serves requests; never touches the store.
//   GET /health/ready  200 only when the store answers, its schema is at the version this binary
//                      migrates to, and its storage is not full; else 503 (Graph error envelope,
//                      Retry-After) whose message names the reason.
//   GET /health        as before: 200 with the schema version when the store answers (one store
//                      call per request, as it always was; probes should use the two above).
//
// ReadinessProbe asks the store at most once per max_age (1 s by default), however many probes
// arrive, and never has two store calls in flight: a caller arriving while another one checks gets
// the previous verdict. So probes cannot be turned into load on the database. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "http/router.h"
#include "base/clock.h"
#include "store/store.h"

namespace aih::api {

class ReadinessProbe {
 public:
  struct Verdict {
    bool ready = false;
    std::string reason;      // why not ready; empty when ready
    int schema_version = 0;  // when the store answered
  };

  ReadinessProbe(store::Store& store, const Clock& clock, int64_t max_age_ms = 1000)
      : store_(store), clock_(clock), max_age_ms_(max_age_ms) {}

  Verdict Check();

 private:
  Verdict AskStore();

  store::Store& store_;
  const Clock& clock_;
  const int64_t max_age_ms_;
  std::atomic<bool> checking_{false};
  std::mutex mu_;
  bool checked_ = false;  // under mu_
  int64_t checked_at_ms_ = 0;
  Verdict last_;
};

// Adds the three routes above. `store` and `readiness` must outlive the router.
void AddHealthRoutes(http::Router& router, store::Store& store, ReadinessProbe& readiness);

}  // namespace aih::api
