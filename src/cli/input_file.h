// ReadInput: the whole of a file a command was given (a certificate, a key, a checkpoint, a list of
// users), or of standard input when the path is "-". A file that cannot be read is a 400 naming it.
#pragma once

#include <string>

#include "base/status.h"

namespace aih::cli {

Result<std::string> ReadInput(const std::string& path);

}  // namespace aih::cli
