// GET /metrics: the process's metrics (base/metrics.h) in the Prometheus text format, for the
// monitoring; and the store's size among them.
//
// /metrics has its own credential, never a user's or an app's: with a token it answers only a request
// carrying `Authorization: Bearer <token>` (compared in constant time), anything else 401. Without a
// token it is open, which `serve` allows only on a listener of its own (--metrics-port, bound to
// 127.0.0.1 unless told otherwise): on the public listener /metrics exists only with a token.
#pragma once

#include <chrono>
#include <string>

#include "base/metrics.h"
#include "http/router.h"
#include "store/store.h"

namespace aih::api {

// Adds GET /metrics to `router`, guarded by `token` (empty: open).
void AddMetricsRoute(http::Router& router, std::string token);

// aihistory_store_size_bytes while it lives: the store's SizeBytes(), read at most every
// `cache_for` (a scrape costs a stat or a query, and concurrent scrapes share it).
class StoreSizeGauge {
 public:
  explicit StoreSizeGauge(store::Store& store, std::chrono::seconds cache_for = std::chrono::seconds(5));

 private:
  metrics::CallbackRegistration registration_;
};

}  // namespace aih::api
