#include "odata/audit_filter.h"

#include <algorithm>
#include <cctype>

#include "model/timestamp.h"

namespace aih::odata {
namespace {

// The string properties, by their name in the filter and the store's column.
struct StringProperty {
  const char* name;
  const char* column;
};
constexpr StringProperty kStringProperties[] = {
    {"tenantId", "tenant_id"}, {"actorKind", "actor_kind"}, {"actorId", "actor_id"},
    {"action", "action"},      {"requestId", "request_id"}, {"outcome", "outcome"},
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// A cursor over the filter text that names what it finds by position.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool AtEnd() {
    SkipSpace();
    return at_ >= text_.size();
  }
  size_t position() const { return at_ + 1; }

  // A word: letters, digits, and the characters of an unquoted date.
  std::string_view Word() {
    SkipSpace();
    size_t start = at_;
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '+' || c == '.' || c == '_')) break;
      ++at_;
    }
    return text_.substr(start, at_ - start);
  }
  bool Take(char c) {
    SkipSpace();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  Result<std::string> Quoted() {
    SkipSpace();
    const size_t start = position();
    if (at_ >= text_.size() || text_[at_] != '\'') {
      return Status::BadRequest("$filter: expected a quoted string at position " + std::to_string(start) +
                                " (e.g. action eq 'tenants.create')");
    }
    std::string out;
    for (++at_; at_ < text_.size(); ++at_) {
      if (text_[at_] != '\'') {
        out += text_[at_];
        continue;
      }
      if (at_ + 1 < text_.size() && text_[at_ + 1] == '\'') {
        out += '\'';
        ++at_;
        continue;
      }
      ++at_;
      return out;
    }
    return Status::BadRequest("$filter: the string starting at position " + std::to_string(start) + " is not closed");
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

Status Unexpected(std::string_view token, size_t position, const std::string& expected) {
  if (token.empty()) {
    return Status::BadRequest("$filter: expected " + expected + " at position " + std::to_string(position));
  }
  return Status::BadRequest("$filter: unexpected '" + std::string(token) + "' at position " + std::to_string(position) +
                            "; expected " + expected);
}

const char kAuditFilterProperties[] =
    "createdDateTime, tenantId, actorKind, actorId, action, requestId, outcome or startswith(action, '...')";

}  // namespace

Result<AuditFilter> AuditFilter::Parse(std::string_view text) {
  AuditFilter filter;
  if (text.size() > kMaxLength) {
    return Status::BadRequest("$filter is longer than " + std::to_string(kMaxLength) + " bytes");
  }
  Scanner in(text);
  if (in.AtEnd()) return filter;
  int comparisons = 0;
  for (;;) {
    if (++comparisons > kMaxComparisons) {
      return Status::BadRequest("$filter has more than " + std::to_string(kMaxComparisons) + " comparisons");
    }
    const size_t where = (in.SkipSpace(), in.position());
    std::string_view name = in.Word();
    if (name == "startswith") {
      if (!in.Take('(')) return Unexpected(in.Word(), in.position(), "'(' after startswith");
      const size_t arg_at = (in.SkipSpace(), in.position());
      std::string_view arg = in.Word();
      if (arg != "action") return Unexpected(arg, arg_at, "'action': only the action can be matched by its start");
      if (!in.Take(',')) return Unexpected(in.Word(), in.position(), "','");
      auto prefix = in.Quoted();
      if (!prefix.ok()) return prefix.status();
      if (!in.Take(')')) return Unexpected(in.Word(), in.position(), "')'");
      filter.action_prefixes.push_back(std::move(*prefix));
    } else if (name == "createdDateTime") {
      const size_t op_at = (in.SkipSpace(), in.position());
      std::string_view op = in.Word();
      if (op != "gt" && op != "ge" && op != "lt" && op != "le") {
        return Unexpected(op, op_at, "gt, ge, lt or le after createdDateTime");
      }
      const size_t value_at = (in.SkipSpace(), in.position());
      std::string_view value = in.Word();
      auto time = model::Timestamp::Parse(value);
      if (!time.ok()) {
        return Status::BadRequest("$filter: '" + std::string(value) + "' at position " + std::to_string(value_at) +
                                  " is not a date with an offset (e.g. 2026-01-01T00:00:00Z): " + time.status().message());
      }
      const int64_t floor_ms = FloorDiv(time->ticks, 10'000);
      const bool exact = floor_ms * 10'000 == time->ticks;
      const int64_t ceil_ms = exact ? floor_ms : floor_ms + 1;
      if (op == "ge") filter.from_ms = std::max(filter.from_ms, ceil_ms);
      if (op == "gt") filter.from_ms = std::max(filter.from_ms, floor_ms + 1);
      if (op == "lt") filter.until_ms = std::min(filter.until_ms, ceil_ms);
      if (op == "le") filter.until_ms = std::min(filter.until_ms, floor_ms + 1);
    } else {
      const StringProperty* property = nullptr;
      for (const StringProperty& p : kStringProperties) {
        if (name == p.name) property = &p;
      }
      if (property == nullptr) return Unexpected(name, where, std::string("a property: ") + kAuditFilterProperties);
      const size_t op_at = (in.SkipSpace(), in.position());
      std::string_view op = in.Word();
      if (op != "eq") return Unexpected(op, op_at, std::string("'eq' after ") + property->name);
      auto value = in.Quoted();
      if (!value.ok()) return value.status();
      filter.equals.push_back({property->column, std::move(*value)});
    }
    if (in.AtEnd()) break;
    const size_t joiner_at = (in.SkipSpace(), in.position());
    std::string_view joiner = in.Word();
    if (joiner == "or") return Status::BadRequest("$filter: 'or' at position " + std::to_string(joiner_at) +
                                                  " is not supported in the audit log's filter; join comparisons with 'and'");
    if (joiner != "and") return Unexpected(joiner.empty() ? std::string_view("?") : joiner, joiner_at, "'and' or the end");
  }
  return filter;
}

std::string AuditFilter::Fingerprint() const {
  std::string out = "t:" + std::to_string(from_ms) + ".." + std::to_string(until_ms);
  std::vector<std::string> terms;
  for (const Equals& e : equals) terms.push_back(e.column + "=" + std::to_string(e.value.size()) + ":" + e.value);
  for (const std::string& p : action_prefixes) terms.push_back("action^" + std::to_string(p.size()) + ":" + p);
  std::sort(terms.begin(), terms.end());
  for (const std::string& t : terms) out += ";" + t;
  return out;
}

}  // namespace aih::odata
