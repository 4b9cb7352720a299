#include "odata/filter_sql.h"

namespace aih::odata {
namespace {

using Kind = FilterNode::Kind;

// The properties a writer may leave out (model::OptString in model::Interaction).
bool IsNullable(Property property) {
  switch (property) {
    case Property::kConversationType:
    case Property::kLocale:
    case Property::kSessionId:
    case Property::kRequestId:
      return true;
    default:
      return false;
  }
}

const char* SqlOperator(Op op) {
  switch (op) {
    case Op::kEq: return " = ";
    case Op::kNe: return " <> ";
    case Op::kGt: return " > ";
    case Op::kGe: return " >= ";
    case Op::kLt: return " < ";
    case Op::kLe: return " <= ";
  }
  return " = ";
}

class Translator {
 public:
  Translator(const SqlColumns& columns, const std::function<std::string(int)>& placeholder)
      : columns_(columns), placeholder_(placeholder) {}

  void Append(const FilterNode& node) {
    if (node.kind == Kind::kComparison) {
      AppendComparison(node.comparison);
      return;
    }
    // Always parenthesised, so the fragment can be combined with anything.
    const char* joiner = node.kind == Kind::kAnd ? " AND " : " OR ";
    out_.sql += '(';
    for (size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) out_.sql += joiner;
      Append(*node.children[i]);
    }
    out_.sql += ')';
  }

  SqlFragment Take() { return std::move(out_); }

 private:
  void AppendComparison(const Comparison& c) {
    const std::string& column = columns_.For(c.property);
    // In SQL, NULL <> 'x' is NULL (not true); OData says null ne 'x' is true.
    const bool or_null = c.op == Op::kNe && IsNullable(c.property);
    if (or_null) out_.sql += "(" + column + " IS NULL OR ";
    out_.sql += column;
    out_.sql += SqlOperator(c.op);
    if (c.property == Property::kCreatedDateTime) {
      out_.params.emplace_back(c.ticks);
    } else {
      out_.params.emplace_back(c.text);
    }
    out_.sql += placeholder_(static_cast<int>(out_.params.size()));
    if (or_null) out_.sql += ')';
  }

  const SqlColumns& columns_;
  const std::function<std::string(int)>& placeholder_;
  SqlFragment out_;
};

}  // namespace

const std::string& SqlColumns::For(Property property) const {
  switch (property) {
    case Property::kAppClass: return app_class;
    case Property::kConversationType: return conversation_type;
    case Property::kInteractionType: return interaction_type;
    case Property::kLocale: return locale;
    case Property::kSessionId: return session_id;
    case Property::kRequestId: return request_id;
    case Property::kId: return id;
    case Property::kCreatedDateTime: return created_ticks;
  }
  return id;
}

SqlFragment ToSql(const Filter& filter, const SqlColumns& columns,
                  const std::function<std::string(int index)>& placeholder) {
  Translator translator(columns, placeholder);
  translator.Append(filter.root());
  return translator.Take();
}

}  // namespace aih::odata
