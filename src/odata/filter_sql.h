// FilterSql: a Filter as a SQL boolean expression with bound parameters, for the stores.
//
// The text is portable between SQLite and PostgreSQL: only =, <>, <, <=, >, >=, AND, OR, IS NULL and
// parentheses, with every literal bound as a parameter (never spliced into the text). The result is
// self-contained: it can be joined to other conditions with AND without extra parentheses.
// It means exactly what Filter::Matches means, including OData's null semantics: `ne` on a nullable
// column (conversationType, locale) also matches rows where the column IS NULL.
//
// Column contents assumed: string properties as text, interaction_type as the Graph name
// ("userPrompt"...), created_ticks as the 100 ns ticks since the epoch (int64). Text comparison is by
// bytes, as Matches does: SQLite's default BINARY collation, PostgreSQL's deterministic collations.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "odata/filter.h"

namespace aih::odata {

// A bound value: text for string properties, int64 for createdDateTime ticks.
using SqlParam = std::variant<std::string, int64_t>;

struct SqlFragment {
  std::string sql;
  std::vector<SqlParam> params;  // params[i] is bound at placeholder(i + 1)
};

// The column (or qualified column, "i.app_class") holding each filterable property.
struct SqlColumns {
  std::string app_class = "app_class";
  std::string conversation_type = "conversation_type";
  std::string interaction_type = "interaction_type";
  std::string locale = "locale";
  std::string session_id = "session_id";
  std::string request_id = "request_id";
  std::string id = "id";
  std::string created_ticks = "created_ticks";

  const std::string& For(Property property) const;
};

// Translates `filter`. `placeholder(n)` spells the n-th parameter, counting from 1: "?" for SQLite,
// "$" + n for PostgreSQL; a caller with parameters of its own before the filter's offsets n itself.
SqlFragment ToSql(const Filter& filter, const SqlColumns& columns,
                  const std::function<std::string(int index)>& placeholder);

}  // namespace aih::odata
