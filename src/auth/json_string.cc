#include "auth/json_string.h"

#include "base/json_string.h"

namespace aih::auth::internal {

// The escaping itself is base's, shared with model and the log (base/json_string.h).
void AppendJsonString(std::string& out, std::string_view text) { aih::AppendJsonString(out, text); }

}  // namespace aih::auth::internal
