// Checkpoints (c2sp.org/tlog-checkpoint): the text a log signs to commit to its state, as a signed
// note's text (signed_note.h):
//
//   <origin>\n                 the log's identity, e.g. "aihistory.example.org/<tenant id>"
//   <tree size>\n              decimal, no leading zeros
//   <root hash>\n              base64 (standard, padded) of the 32-byte RFC 9162 root (merkle.h)
//   [<extension line>\n ...]   optional, each non-empty
//
// Threading: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "integrity/merkle.h"

namespace aih::integrity {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The checkpoint's text; kBadRequest when the origin or an extension line is empty or holds a
// newline or control character.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Parses a checkpoint's text strictly (one text per checkpoint); kBadRequest naming the line at fault.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

}  // namespace aih::integrity
