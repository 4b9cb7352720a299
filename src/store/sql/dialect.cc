#include "store/sql/dialect.h"

#include "base/json_string.h"
#include "base/utf8.h"

namespace aih::store::sql {

std::string Dialect::Spell(std::string_view neutral) const {
  if (placeholder == Placeholder::kDollar) return std::string(neutral);
  std::string out(neutral);
  char quote = 0;  // the quote character of the literal or identifier we are in, if any
  for (size_t i = 0; i < out.size(); ++i) {
    const char ch = out[i];
    if (quote) {
      if (ch == quote) quote = 0;  // a doubled quote closes and reopens: the same in effect
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '$' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') {
      out[i] = '?';
    }
  }
  return out;
}

bool Dialect::CanHold(std::string_view text) const {
  return !text_is_utf8 || (text.find('\0') == std::string_view::npos && FindInvalidUtf8(text) == std::string_view::npos);
}

std::string Dialect::JsonValues(std::string_view param) const {
  return "SELECT value FROM " + std::string(json_each) + "(" + std::string(param) + std::string(json_param_cast) + ")";
}

std::string JsonArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, values[i]);
  }
  return out + "]";
}

std::string Dialect::JsonPairs(std::string_view param) const {
  return "SELECT value->>0, value->>1 FROM " + std::string(json_elements) + "(" + std::string(param) +
         std::string(json_param_cast) + ")";
}

std::string JsonPairArray(const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  std::string out = "[";
  for (size_t i = 0; i < pairs.size(); ++i) {
    out += i ? ",[" : "[";
    AppendJsonString(out, pairs[i].first);
    out += ',';
    AppendJsonString(out, pairs[i].second);
    out += ']';
  }
  return out + "]";
}

std::string JsonArray(const std::vector<int64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "]";
}

const Dialect& SqliteDialect() {
  static const Dialect d{"SQLite", Dialect::Placeholder::kQuestion, "group_concat", "", "", "", "", "", FullTextEngine::kFts5,
                         " INDEXED BY interactions_key", "json_each", "", "0", false, false, "json_each"};
  return d;
}

const Dialect& PostgresDialect() {
  static const Dialect d{"PostgreSQL", Dialect::Placeholder::kDollar, "string_agg", " FOR UPDATE",
                         "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                         "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))", "SET LOCAL lock_timeout = '200ms'",
                         "SET LOCAL lock_timeout TO DEFAULT", FullTextEngine::kPostgres, "",
                         "jsonb_array_elements_text", "::jsonb", "'epoch'", true, true, "jsonb_array_elements"};
  return d;
}

}  // namespace aih::store::sql
