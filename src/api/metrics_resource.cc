#include "api/metrics_resource.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "base/log.h"
#include "http/graph_error.h"

namespace aih::api {
namespace {

// Constant time whatever the lengths: both sides are hashed first, so only equal-length digests meet.
bool SameToken(std::string_view given, std::string_view token) {
  unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

// The bearer credential of the request, or empty.
std::string_view Bearer(const http::Request& request) {
  std::string_view authorization = request.Header("authorization");
  if (authorization.size() <= 7) return {};
  std::string scheme(authorization.substr(0, 7));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme == "bearer " ? authorization.substr(7) : std::string_view();
}

}  // namespace

void AddMetricsRoute(http::Router& router, std::string token) {
  router.Add("GET", "/metrics", [token = std::move(token)](const http::Request& r, const http::PathParams&) {
    if (!token.empty() && !SameToken(Bearer(r), token)) {
      log::Warn("metrics_authentication_failed").Str("remote", r.remote_address).Str("request_id", r.request_id);
      return http::ErrorResponse(
          r, Status::Unauthenticated("/metrics needs the metrics token (--metrics-token) as 'Authorization: Bearer "
                                     "<token>'; user and application tokens are not accepted"));
    }
    http::Response response;
    response.content_type = std::string(metrics::kExpositionContentType);
    response.body = metrics::Registry::Default().Exposition();
    return response;
  });
}

StoreSizeGauge::StoreSizeGauge(store::Store& store, std::chrono::seconds cache_for) {
  registration_ = metrics::Registry::Default().AddCallbackGauge(
      "aihistory_store_size_bytes",
      "Bytes the store occupies (SQLite: database and WAL files; PostgreSQL: pg_database_size), read at most every "
      "few seconds.",
      metrics::Cached(
          [&store]() -> std::optional<double> {
            auto size = store.SizeBytes();
            if (size.ok()) return static_cast<double>(*size);
            log::Warn("store_size_unreadable").Str("error", size.status().message());
            return std::nullopt;
          },
          cache_for));
}

}  // namespace aih::api
