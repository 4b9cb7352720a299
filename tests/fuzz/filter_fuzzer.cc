// libFuzzer target for the odata parsers: every input is tried as a $filter, as a raw query string,
// as percent-encoded text and as a $skiptoken. Besides crashes and sanitizer reports, it aborts when a
// property that must hold for every input does not:
//   - a parsed filter's Canonical() parses back to the same Canonical(), with the same meaning;
//   - the SQL of a parsed filter binds one parameter per comparison;
//   - a parsed query's NextQuery() parses back to the same options and has no raw { } + or spaces;
//   - PercentDecode(PercentEncode(x)) == x for decoded text x;
//   - arbitrary text never opens as a cursor;
//   - a $search parses or is refused, never crashes or recurses without bound;
//   - every error message is valid UTF-8 (it is sent to clients inside JSON).
//
// Build: CXX=clang++ cmake -S . -B build-fuzz -DAIH_FUZZ=ON -DAIH_TESTS=OFF &&
//        cmake --build build-fuzz --target filter_fuzzer
// Run:   build-fuzz/filter_fuzzer -max_total_time=60 tests/fuzz/corpus/filter
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "odata/cursor.h"
#include "odata/filter.h"
#include "odata/filter_sql.h"
#include "odata/percent_encoding.h"
#include "odata/query_options.h"
#include "odata/search.h"
#include "odata/text.h"

namespace {

using namespace aih;
using namespace aih::odata;

[[noreturn]] void Fail(const char* what, std::string_view a, std::string_view b = {}) {
  std::fprintf(stderr, "PROPERTY VIOLATED: %s\n  [%.*s]\n  [%.*s]\n", what, static_cast<int>(a.size()), a.data(),
               static_cast<int>(b.size()), b.data());
  std::abort();
}

void CheckMessage(const Status& status) {
  if (status.ok()) Fail("a failure without a status", "");
  if (status.message().empty()) Fail("an empty error message", "");
  if (FindInvalidUtf8(status.message()) != std::string_view::npos) Fail("error message is not UTF-8", status.message());
}

int CountComparisons(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kComparison) return 1;
  int n = 0;
  for (const auto& child : node.children) n += CountComparisons(*child);
  return n;
}

// Interactions that exercise every property, null and not, to compare two filters' meanings.
const std::vector<model::Interaction>& Samples() {
  static const std::vector<model::Interaction> samples = [] {
    std::vector<model::Interaction> out;
    for (int n = 0; n < 12; ++n) {
      model::Interaction i;
      i.id = n % 2 ? "a" : "1768473000000";
      i.app_class = n % 3 ? "a" : "IPM.SkypeTeams.Message.Copilot.Teams";
      i.interaction_type = static_cast<model::InteractionType>(n % 3);
      if (n % 4) i.session_id = "a";
      if (n % 5) i.request_id = "";
      if (n % 2) i.conversation_type = "a";
      if (n % 3 != 1) i.locale = "en-us";
      i.created.ticks = (n - 6) * 1'000'000'000'000'000LL;
      out.push_back(i);
    }
    return out;
  }();
  return samples;
}

void CheckFilter(std::string_view text) {
  Result<Filter> parsed = Filter::Parse(text);
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return;
  }
  const std::string canonical = parsed->Canonical();
  const int comparisons = CountComparisons(parsed->root());
  SqlFragment sql = ToSql(*parsed, SqlColumns{}, [](int) { return std::string("?"); });
  if (static_cast<int>(sql.params.size()) != comparisons) Fail("SQL parameters != comparisons", text, sql.sql);

  // Normalising can lengthen a filter (`eq'x'` -> `eq 'x'`), past the length cap: nothing to re-check then.
  if (canonical.size() > Filter::kMaxLength) return;
  Result<Filter> again = Filter::Parse(canonical);
  if (!again.ok()) Fail("Canonical() does not parse", canonical, again.status().message());
  if (again->Canonical() != canonical) Fail("Canonical() is not a fixed point", canonical, again->Canonical());
  for (const auto& sample : Samples()) {
    if (again->Matches(sample) != parsed->Matches(sample)) Fail("Canonical() changed the meaning", text, canonical);
  }
}

void CheckQuery(std::string_view raw) {
  Result<QueryOptions> parsed = QueryOptions::Parse(raw);
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return;
  }
  if (parsed->filter) CheckFilter(parsed->filter_text);  // decoded filters reach shapes raw bytes rarely do
  const std::string next = parsed->NextQuery("tok");
  if (next.find_first_of("{} +'\"") != std::string::npos) Fail("NextQuery() has a raw character clients mangle", next);
  Result<QueryOptions> again = QueryOptions::Parse(next);
  if (!again.ok()) Fail("NextQuery() does not parse", next, again.status().message());
  if (again->Fingerprint() != parsed->Fingerprint()) Fail("NextQuery() changed the fingerprint", raw, next);
  if (again->top != parsed->top || again->count != parsed->count || again->skiptoken != std::string("tok")) {
    Fail("NextQuery() changed top, count or the token", raw, next);
  }
}

void CheckPercent(std::string_view raw) {
  for (bool plus_is_space : {false, true}) {
    Result<std::string> decoded = PercentDecode(raw, plus_is_space);
    if (!decoded.ok()) {
      CheckMessage(decoded.status());
      continue;
    }
    Result<std::string> again = PercentDecode(PercentEncode(*decoded), plus_is_space);
    if (!again.ok() || *again != *decoded) Fail("PercentDecode(PercentEncode(x)) != x", *decoded);
  }
}

void CheckCursor(std::string_view token) {
  static const CursorSigner signer(std::string(32, 's'));
  Result<CursorPosition> opened = signer.Open(token, CursorBinding{"t", "*", ""});
  if (opened.ok()) Fail("an arbitrary token opened", token);
}

// A $search either parses into a tree whose canonical text parses back to the same tree, or is
// refused with a readable message.
void CheckSearch(std::string_view text) {
  Result<Search> parsed = Search::Parse(text);
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return;
  }
  const std::string tree = parsed->ToString();
  if (FindInvalidUtf8(tree) != std::string_view::npos) Fail("a search tree that is not UTF-8", text, tree);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckFilter(input);
  CheckQuery(input);
  CheckPercent(input);
  CheckCursor(input);
  CheckSearch(input);
  return 0;
}
