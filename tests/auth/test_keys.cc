#include "test_keys.h"

#include <cstdlib>
#include <vector>

namespace aih::auth::testing {

const SigningKey& TestKey(int index) {
  static const std::vector<SigningKey> keys = [] {
    std::vector<SigningKey> made;
    for (int i = 0; i < kTestKeyCount; ++i) {
      Result<SigningKey> key = SigningKey::Generate(2048);
      if (!key.ok()) std::abort();
      made.push_back(std::move(*key));
    }
    return made;
  }();
  return keys.at(static_cast<size_t>(index));
}

}  // namespace aih::auth::testing
