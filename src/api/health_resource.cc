#include "api/health_resource.h"

#include "base/log.h"

#include <cstdio>

#include "http/graph_error.h"

namespace aih::api {

ReadinessProbe::Verdict ReadinessProbe::Check() {
  {
    std::lock_guard lock(mu_);
    if (checked_ && clock_.NowMillis() - checked_at_ms_ < max_age_ms_) return last_;
  }
  if (checking_.exchange(true)) {
    // Another probe is asking the store now (it may be slow to answer): do not pile up behind it.
    std::lock_guard lock(mu_);
    if (checked_) return last_;
    return Verdict{false, "the store has not answered yet", 0};
  }
  Verdict verdict = AskStore();
  {
    std::lock_guard lock(mu_);
    last_ = verdict;
    checked_ = true;
    checked_at_ms_ = clock_.NowMillis();
  }
  checking_ = false;
  return verdict;
}

ReadinessProbe::Verdict ReadinessProbe::AskStore() {
  auto health = store_.Health();
  if (!health.ok()) {
    // The store's error may name hosts and files: it goes to the log (at most once per max_age).
    log::Error("not_ready").Str("reason", "the store does not answer").Str("error", health.status().message());
    return Verdict{false, "the store does not answer (the server's log says why)", 0};
  }
  Verdict v;
  v.schema_version = health->schema_version;
  if (health->schema_version < health->latest_schema_version) {
    v.reason = "the store's schema is at version " + std::to_string(health->schema_version) +
               ", not yet migrated to " + std::to_string(health->latest_schema_version);
  } else if (health->schema_version > health->latest_schema_version) {
    v.reason = "the store's schema is at version " + std::to_string(health->schema_version) +
               ", newer than this binary's " + std::to_string(health->latest_schema_version) + "; upgrade aihistory";
  } else if (health->storage_full) {
    v.reason = "the store's storage is full: writes fail until space is freed";
  }
  v.ready = v.reason.empty();
  return v;
}

void AddHealthRoutes(http::Router& router, store::Store& store, ReadinessProbe& readiness) {
  router.Add("GET", "/health/live", [](const http::Request&, const http::PathParams&) {
    http::Response ok;
    ok.content_type = "application/json";
    ok.body = R"({"status":"ok"})";
    return ok;
  });
  router.Add("GET", "/health/ready", [&readiness](const http::Request& r, const http::PathParams&) {
    ReadinessProbe::Verdict v = readiness.Check();
    if (!v.ready) {
      // The reason is for the operator reading the probe (ErrorResponse would hide a 503's message).
      http::Response not_ready = http::ErrorResponse(r, 503, "ServiceUnavailable", "not ready: " + v.reason);
      not_ready.SetHeader("Retry-After", "5");
      return not_ready;
    }
    http::Response ok;
    ok.content_type = "application/json";
    ok.body = R"({"status":"ready","schemaVersion":)" + std::to_string(v.schema_version) + "}";
    return ok;
  });
  // The original probe, for the scripts and tests that use it: asks the store each time. A store
  // whose storage is full still serves reads but takes no write: 503, and it says why.
  router.Add("GET", "/health", [&store](const http::Request& r, const http::PathParams&) {
    auto version = store.SchemaVersion();
    if (!version.ok()) return http::ErrorResponse(r, version.status(), 5);
    const bool full = store.storage().full();
    http::Response health;
    health.status = full ? 503 : 200;
    health.content_type = "application/json";
    health.body = std::string("{\"status\":\"") + (full ? "degraded" : "ok") + "\",\"storage\":\"" +
                  (full ? "full" : "ok") + "\",\"schemaVersion\":" + std::to_string(*version) + "}";
    if (full) health.SetHeader("Retry-After", std::to_string(store.storage().retry_after_seconds()));
    return health;
  });
}

}  // namespace aih::api
