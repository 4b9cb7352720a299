// Throttling per (tenant, app) over Service::Handle with real tokens (identity_fixture.h): 429 with
// Retry-After and the Graph body once a bucket is empty, one bucket per app per tenant, refills by
// the fixture's clock. Nothing here sleeps.
#include <gmock/gmock.h>

#include "api_fixture.h"
#include "identity_fixture.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;

std::string Header(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

void ExpectThrottled(const http::Response& r) {
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(Header(r, "Retry-After"), "1");
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(JsonAt(r.body, "error.code"), "TooManyRequests");
  EXPECT_THAT(JsonAt(r.body, "error.message"), HasSubstr("Too many requests"));
  EXPECT_NE(JsonAt(r.body, "error.innerError.request-id"), "<missing>");
}

class ThrottleApiTest : public IdentityApiTest {};

TEST_P(ThrottleApiTest, TheGraphProfileAllowsThirtyRequestsAtOnceThenSays429) {
  BuildService(api::ThrottleOptions::Graph());
  const std::string token = TokenFor(kTenantA, exporter_a_);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(Export(alice_, token).status, 200) << "request " << i + 1;
  ExpectThrottled(Export(alice_, token));
  // Retry-After: 1 is honest: a second later the bucket has refilled.
  Advance(1000);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(Export(alice_, token).status, 200) << "after the wait, request " << i + 1;
  ExpectThrottled(Export(alice_, token));
  // At a steady 30 requests/s nobody is throttled.
  for (int i = 0; i < 90; ++i) {
    Advance(34);
    ASSERT_EQ(Export(alice_, token).status, 200) << "steady request " << i + 1;
  }
}

TEST_P(ThrottleApiTest, EachAppHasItsOwnBucketInEachTenant) {
  BuildService(api::ThrottleOptions{1, 3, {}});
  const std::string exporter = TokenFor(kTenantA, exporter_a_);
  const std::string multi_in_a = TokenFor(kTenantA, multi_);
  const std::string multi_in_b = TokenFor(kTenantB, multi_);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Export(alice_, multi_in_a).status, 200);
  ExpectThrottled(Export(alice_, multi_in_a));
  EXPECT_EQ(Export(alice_, exporter).status, 200);    // another app, same tenant
  EXPECT_EQ(Export(carol_, multi_in_b).status, 200);  // same app, another tenant
  // A new token of the throttled app draws from the same bucket.
  ExpectThrottled(Export(alice_, TokenFor(kTenantA, multi_)));
}

TEST_P(ThrottleApiTest, WritesAreThrottledAndAThrottledWriteStoresNothing) {
  BuildService(api::ThrottleOptions{1, 2, {}});
  const std::string writer = TokenFor(kTenantA, writer_a_);
  ASSERT_EQ(Write(alice_, "w-1", writer).status, 200);
  ASSERT_EQ(Write(alice_, "w-2", writer).status, 200);
  ExpectThrottled(Write(alice_, "w-3", writer));
  EXPECT_EQ(StoredCount(kTenantA), 2);
  Advance(1000);
  EXPECT_EQ(Write(alice_, "w-3", writer).status, 200);
  EXPECT_EQ(StoredCount(kTenantA), 3);
}

TEST_P(ThrottleApiTest, UnauthenticatedRequestsAreRefusedBeforeTheThrottle) {
  BuildService(api::ThrottleOptions{1, 1, {}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Export(alice_, "not-a-token").status, 401);
  EXPECT_EQ(Export(alice_, TokenFor(kTenantA, exporter_a_)).status, 200);  // the bucket is untouched
}

TEST_P(ThrottleApiTest, TheTokenEndpointIsNotThrottledByTheApiBuckets) {
  BuildService(api::ThrottleOptions{1, 1, {}});
  const std::string token = TokenFor(kTenantA, exporter_a_);
  ASSERT_EQ(Export(alice_, token).status, 200);
  ExpectThrottled(Export(alice_, token));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(TokenFor(kTenantA, exporter_a_).empty());
}

TEST(ThrottleOptionsTest, NonsensicalLimitsAreRefused) {
  EXPECT_TRUE((api::ThrottleOptions{0, 0, {}}).Validate().ok());  // off
  EXPECT_TRUE(api::ThrottleOptions::Graph().Validate().ok());
  EXPECT_FALSE((api::ThrottleOptions{0.5, 10, {}}).Validate().ok());  // Retry-After: 1 would be a lie
  EXPECT_FALSE((api::ThrottleOptions{10, 0, {}}).Validate().ok());
  EXPECT_FALSE((api::ThrottleOptions{-1, 10, {}}).Validate().ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, ThrottleApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
