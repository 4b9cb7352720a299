#include "store_fixture.h"

#include <chrono>

namespace aih::testing {

void StoreTest::TearDown() {
  store_.reset();
  RemoveStoreLocation(location_);
}

void Subscribe(store::Store& store, const std::string& tenant) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  store::Subscription s;
  s.tenant_id = tenant;
  s.id = "00000000-0000-4000-8000-00000000feed";
  s.app_id = "11111111-1111-4111-8111-111111111111";
  s.creator_id = s.app_id;
  s.resource = "/copilot/interactionHistory/getAllEnterpriseInteractions";
  s.change_types = 7;
  s.notification_url = "https://receiver.example.com/notify";
  s.expiration_ms = now + 3'600'000;
  s.created_ms = now;
  Status created = store.subscriptions().Create(s, store::SubscriptionQuotas{}, now);
  ASSERT_TRUE(created.ok() || created.code() == Code::kConflict) << created.message();
}

}  // namespace aih::testing
