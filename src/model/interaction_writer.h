// Writing the canonical Graph JSON of an interaction (decision 1 of DESIGN.md: serialise once).
//
// The output has all 15 properties in Graph's order, arrays never null, absent values as null,
// `@odata.type` on identity sets and identities, `id` a string, `mentionId` a number,
// `createdDateTime` in UTC with `Z` and the writer's fractional digits. It is compact (no spaces)
// and deterministic: the same Interaction always yields the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/interaction.h"

namespace aih::model {

// The canonical JSON with `interaction.etag` as the etag (the id when etag is empty: an interaction
// that was never modified has etag == id).
std::string WriteInteraction(const Interaction& interaction);

// Only the named top-level properties, in canonical order ($select). Names must be valid (the odata
// layer refuses unknown ones); an unknown name is skipped.
std::string WriteSelected(const Interaction& interaction, const std::vector<std::string>& properties);

// Appends `text` as a JSON string literal (with quotes), escaping as JSON requires: '"', '\\' and
// control characters (\n, \t, ... or \u00XX); everything else, UTF-8 included, is copied as is.
// `text` must be valid UTF-8, as every string the reader produces is.
void AppendJsonString(std::string& out, std::string_view text);

// Returns `json` (an object) with `"name":"value"` inserted as its first member: used to add the
// "@aihistory.userId" annotation to stored JSON without re-serialising it.
std::string PrependAnnotation(std::string_view json, std::string_view name, std::string_view value);

}  // namespace aih::model
