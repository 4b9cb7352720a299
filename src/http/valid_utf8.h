// Text that came from a client, made safe to put into a JSON body or a header we send: header values
// and path segments are bytes, and an error body that echoes them must still be valid JSON. The
// function is base's (base/utf8.h), named here for the server's use.
#pragma once

#include "base/utf8.h"

namespace aih::http {

using aih::ValidUtf8;

}  // namespace aih::http
