// AuditFilter: the `$filter` of the audit log (GET /admin/audit, `aihistory audit --filter`).
//
// Grammar: comparisons joined by `and` (no `or`, no parentheses, no `not`):
//   createdDateTime gt|ge|lt|le <ISO 8601 date with an offset, unquoted>
//   tenantId | actorKind | actorId | action | requestId | outcome  eq '<text>'
//   startswith(action, '<prefix>')
// Strings in single quotes ('' escapes a quote); names matched case-sensitively, as Graph does. The
// same property may be compared more than once (all must hold). Errors name the offending token and
// its 1-based position; input longer than kMaxLength or with more than kMaxComparisons is refused.
// Thread-safe: plain values.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::odata {

struct AuditFilter {
  static constexpr size_t kMaxLength = 4096;
  static constexpr int kMaxComparisons = 32;

  // createdDateTime in unix milliseconds: from_ms <= t < until_ms.
  int64_t from_ms = std::numeric_limits<int64_t>::min();
  int64_t until_ms = std::numeric_limits<int64_t>::max();
  struct Equals {
    std::string column;  // the store's column: tenant_id, actor_kind, actor_id, action, request_id, outcome
    std::string value;
  };
  std::vector<Equals> equals;
  std::vector<std::string> action_prefixes;  // startswith(action, ...)

  // Parses `text` (already percent-decoded); "" or all space is no filter. kBadRequest naming the problem.
  static Result<AuditFilter> Parse(std::string_view text);

  // A canonical text of what it selects, to bind a cursor to its query.
  std::string Fingerprint() const;
};

}  // namespace aih::odata
