#include "store_fixture.h"

namespace aih::testing {

void StoreTest::TearDown() {
  store_.reset();
  RemoveStoreLocation(location_);
}

}  // namespace aih::testing
