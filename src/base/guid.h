// NewGuid: a random (version 4, RFC 4122) GUID in lower-case 8-4-4-4-12 form, as Graph writes ids.
#pragma once

#include <string>

#include "base/status.h"

namespace aih {

// Fails (kInternal) only if the system random generator does.
Result<std::string> NewGuid();

// The 16 bytes of a GUID in that form (the caller sets the version and variant bits).
std::string FormatGuid(const unsigned char (&bytes)[16]);

}  // namespace aih
