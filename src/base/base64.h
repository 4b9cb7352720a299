// Base64 and base64url (RFC 4648), with strict decoding.
//
// Base64UrlEncode writes the URL-safe alphabet without padding (JWS, JWK, cursors, client secrets),
// Base64Encode the standard alphabet with '=' padding (certificates, rich notifications). Decoding
// refuses, with kBadRequest naming the position, any character outside the alphabet (whitespace, the
// other alphabet, '=' in base64url), missing or misplaced padding, an impossible length, and non-zero
// unused bits in the last character. So a byte string has exactly one accepted text, which signed
// formats rely on: a token cannot be respelled into another text that decodes to the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace aih {

std::string Base64UrlEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);

Result<std::string> Base64UrlDecode(std::string_view text);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace aih
