// RSA keys shared by the auth tests. Generating a 2048-bit key takes ~0.1 s, so the test binary makes
// a few on first use and every test borrows them.
#pragma once

#include "auth/signing_key.h"

namespace aih::auth::testing {

inline constexpr int kTestKeyCount = 3;

// A distinct 2048-bit key for each index in 0..kTestKeyCount-1, the same one for the whole run.
const SigningKey& TestKey(int index);

}  // namespace aih::auth::testing
