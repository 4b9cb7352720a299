// LogLeaf: what one entry of a tenant's verifiable log records about one version of an interaction
// (stored, updated) or its deletion, and the exact bytes it is hashed as (docs/integrity.md).
//
// A leaf never holds content: only identifiers, the version (from which the etag follows), the kind
// of event and the SHA-256 of the canonical JSON as stored. Erased content so leaves a log that
// still verifies, and anyone holding an exported line can recompute its leaf.
//
// The encoding is UTF-8 text, eight lines, each ending in "\n":
//   aihistory-log-leaf v1
//   kind <stored|updated|deleted>
//   tenant <tenant id>
//   user <user id>
//   id <interaction id>
//   version <decimal, no leading zeros>
//   etag <etag>
//   sha256 <64 lower-case hex digits>
// In the identifier fields every byte below 0x20, 0x7F and '%' is written as '%' and two upper-case
// hex digits, so that a line never holds a newline and the encoding is one-to-one.
//
// Threading: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::integrity {

enum class LeafKind { kStored = 1, kUpdated = 2, kDeleted = 3 };
const char* ToString(LeafKind kind);  // "stored", "updated", "deleted"

struct LogLeaf {
  LeafKind kind = LeafKind::kStored;
  std::string tenant_id;
  std::string user_id;
  std::string interaction_id;
  int64_t version = 1;
  std::string etag;
  std::string content_sha256;  // 32 bytes: SHA-256 of the stored canonical JSON (for a deletion: of the deleted version)
  friend bool operator==(const LogLeaf&, const LogLeaf&) = default;
};

// The 32-byte SHA-256 of `bytes`.
std::string Sha256(std::string_view bytes);

std::string EncodeLeaf(const LogLeaf& leaf);
// Parses an encoded leaf strictly; kBadRequest naming the line at fault.
Result<LogLeaf> ParseLeaf(std::string_view text);

}  // namespace aih::integrity
