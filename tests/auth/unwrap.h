// Unwrap: the value of a Result a test expects to be ok. When it is not, the test fails with the
// Status's message instead of reading an absent value (undefined behaviour that may even "pass").
#pragma once

#include <source_location>

#include <gtest/gtest.h>

#include "base/status.h"

namespace aih::auth::testing {

template <typename T>
T Unwrap(Result<T> result, std::source_location where = std::source_location::current()) {
  if (!result.ok()) {
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << "expected ok, got: "
                                                                       << result.status().message();
    return T{};
  }
  return std::move(*result);
}

}  // namespace aih::auth::testing
