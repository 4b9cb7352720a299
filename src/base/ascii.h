// ASCII case: protocol names (headers, schemes, hosts, OData options, keywords) are matched without
// regard to ASCII case; other bytes, UTF-8 included, are left as they are. Pure, any thread.
#pragma once

#include <string>
#include <string_view>

namespace aih {

std::string AsciiLower(std::string_view text);

}  // namespace aih
