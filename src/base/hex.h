// Hex: bytes as lower-case hexadecimal digits, two per byte (thumbprints, digests, ids).
#pragma once

#include <string>
#include <string_view>

namespace aih {

std::string Hex(std::string_view bytes);

}  // namespace aih
