// Operation: what a principal asks to do, so that a rule stated once can say why it refuses in the
// words of that operation (a refusal to export and one to subscribe differ only in their ending).
#pragma once

namespace aih::policy {

enum class Operation { kExport, kSubscribe, kWrite };

}  // namespace aih::policy
