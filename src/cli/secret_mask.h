// Values fit to print: the effective configuration is printed at start and by `config check`, and
// must never show a secret. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace aih::cli {

// An option holds a secret when its name says so: it contains password, passwd, secret, token,
// credential or api-key (a file's path, such as --tls-key's, is not a secret).
bool IsSecretOption(std::string_view option);

// `value` as it may be printed: "***" for a secret option's value (empty stays empty), else the
// value with the password of any URL ("postgresql://aih:***@db/aih") and of any password=
// parameter ("?sslpassword=***", libpq's "password=***") masked.
std::string MaskSecret(std::string_view option, std::string_view value);

}  // namespace aih::cli
