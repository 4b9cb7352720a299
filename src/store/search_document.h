// SearchDocument: what an interaction is found by, made once when it is written (PrepareItem) and
// stored beside it in the same transaction, so that an item is searchable the moment its write is
// acknowledged and its entry goes with its row.
//
// The document is the search terms (odata/search_terms.h), separated by single spaces, of: the body
// (HTML reduced to its text), each attachment's name and content, each link's title and URL, and
// each mention's text and the names of whom it mentions; then the sender's display names and ids,
// each term prefixed with kSenderTermPrefix (what from: searches). It holds at most
// kMaxDocumentBytes: the terms past that are not indexed (both engines cut at the same place).
// SQLite indexes the document with FTS5 (tokenizer 'ascii': a term is a run of non-space bytes);
// PostgreSQL stores TsvectorLiteral(document) as a tsvector, each term at its position.
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/interaction.h"

namespace aih::store {

inline constexpr size_t kMaxDocumentBytes = 256 * 1024;

std::string SearchDocument(const model::Interaction& interaction);

// `document` as a PostgreSQL tsvector literal: 'term':1 'term':2 ... (positions above 16383, the
// largest PostgreSQL keeps, are stored as 16383).
std::string TsvectorLiteral(std::string_view document);

// The text of an HTML fragment: tags removed (block-level ones leave a space, inline ones nothing),
// the content of <script> and <style> dropped, character references decoded.
std::string HtmlText(std::string_view html);

}  // namespace aih::store
