// JsonFields: the members of a small JSON object (an admin request, one user of a user list), read
// by name with type checks whose errors name the member.
//
// Only strings, booleans, integers, null and arrays of strings occur in the directory's inputs, so
// only those are accepted; a member of another shape, a duplicate member, or (with OnlyMembers) an
// unknown member is a 400, so nothing an administrator sent is silently ignored. null reads as absent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace aih::directory {

class JsonFields {
 public:
  // One object. `where` ("user #3") prefixes every message about it.
  static Result<JsonFields> Parse(std::string_view json, std::string where = "the body");
  // A JSON array of objects, {"value":[...]}, or one object (a list of one).
  static Result<std::vector<JsonFields>> ParseList(std::string_view json, std::string_view item_name);

  // Each reads member `name` into `out` (nullopt when absent or null), or fails naming it.
  Status Get(std::string_view name, std::optional<std::string>* out) const;
  Status Get(std::string_view name, std::optional<bool>* out) const;
  Status Get(std::string_view name, std::optional<int64_t>* out) const;
  Status Get(std::string_view name, std::optional<std::vector<std::string>>* out) const;

  // kBadRequest naming the first member that is not one of `known`.
  Status OnlyMembers(std::initializer_list<std::string_view> known) const;

  const std::string& where() const { return where_; }

 private:
  friend struct JsonFieldsReader;  // json_fields.cc: fills members_ from the parsed document
  using Value = std::variant<std::monostate, std::string, bool, int64_t, std::vector<std::string>>;
  Status WrongType(std::string_view name, const char* expected) const;

  std::string where_;
  std::map<std::string, Value, std::less<>> members_;
};

}  // namespace aih::directory
