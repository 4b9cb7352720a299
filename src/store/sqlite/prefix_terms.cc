#include "store/sqlite/prefix_terms.h"

#include <optional>
#include <string>
#include <vector>

namespace aih::store::sqlite {

Result<PrefixTerms> ReadPrefixTerms(sql::Session& s, const odata::Search& search, size_t max_terms) {
  PrefixTerms out;
  for (const std::string& prefix : FullTextPrefixes(search)) {
    if (out.count(prefix)) continue;
    std::vector<std::string> terms;
    bool too_many = false;
    // Terms hold no control characters (search_terms.h), so "term\x01" is past every term that
    // starts with `term` and before every other term after it.
    std::string bound = prefix;
    for (;;) {
      std::optional<std::string> next;
      AIH_RETURN_IF_ERROR(s.Query("SELECT term FROM interaction_search_vocab WHERE term >= $1 LIMIT 1", {bound},
                                  [&](const sql::Row& row) { next = std::string(row.Text(0)); }));
      if (!next || next->compare(0, prefix.size(), prefix) != 0) break;
      if (terms.size() == max_terms) {
        too_many = true;  // the prefix stays a prefix
        break;
      }
      bound = *next + '\x01';
      terms.push_back(std::move(*next));
    }
    if (!too_many) out.emplace(prefix, std::move(terms));
  }
  return out;
}

}  // namespace aih::store::sqlite
