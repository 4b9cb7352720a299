// Confirm: a destructive command asks before it acts.
//
// It first says what it will delete (`what`, with counts), on standard error. On a terminal (standard
// input and standard error both are) it then asks and proceeds only on "y" or "yes". `yes` (--yes)
// skips the question, for scripts. Without a terminal and without --yes it refuses, saying to add
// --yes: a script neither deletes by accident nor hangs waiting for an answer nobody gives.
#pragma once

#include <string>

#include "base/status.h"

namespace aih::cli {

// Ok: go ahead. kForbidden: not confirmed (the message says why; nothing was deleted).
Status Confirm(const std::string& what, bool yes);

}  // namespace aih::cli
