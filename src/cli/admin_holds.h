// `aihistory admin case|hold|erasures|retention ...` and `admin interactions erase|holds`: legal
// holds, erasure and retention from the command line, with the same operations as the admin API
// (policy/legal_holds.h, policy/erasure.h, policy/retention.h). RunAdmin (admin.cc) dispatches the verbs listed here.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "cli/commands.h"
#include "store/store.h"

namespace aih::cli {

using HoldVerb = Status (*)(const AdminOptions&, store::Store&);
// Keyed by the verb as RunAdmin sees it ("hold create", ...).
const std::map<std::string, HoldVerb>& HoldVerbs();

}  // namespace aih::cli
