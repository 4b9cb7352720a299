#include "directory/json_fields.h"

// simdjson.h is large: this is the directory's only file that includes it.
#include <simdjson.h>

#include <algorithm>

namespace aih::directory {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

constexpr size_t kMaxDepth = 8;  // {"value":[{"servicePlans":[...]}]} needs 4

Status NotJson(simdjson::error_code error) {
  return Status::BadRequest(std::string("the body is not valid JSON: ") + simdjson::error_message(error));
}

Result<element> ParseDocument(simdjson::dom::parser& parser, std::string_view json) {
  if (auto error = parser.allocate(std::max<size_t>(json.size(), 64), kMaxDepth)) return NotJson(error);
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root)) return NotJson(error);
  return root;
}

}  // namespace

struct JsonFieldsReader {
  static Result<JsonFields> Read(element value, std::string where) {
    JsonFields fields;
    fields.where_ = std::move(where);
    simdjson::dom::object obj;
    if (value.get_object().get(obj) != simdjson::SUCCESS) {
      return Status::BadRequest(fields.where_ + " must be a JSON object");
    }
    for (simdjson::dom::key_value_pair member : obj) {
      std::string name(member.key);
      auto bad = [&](const char* why) {
        return Status::BadRequest(fields.where_ + ": \"" + name + "\" " + why);
      };
      if (fields.members_.count(name)) return bad("appears twice");
      JsonFields::Value v;
      element e = member.value;
      switch (e.type()) {
        case element_type::NULL_VALUE: break;
        case element_type::STRING: v = std::string(e.get_string().value_unsafe()); break;
        case element_type::BOOL: v = e.get_bool().value_unsafe(); break;
        case element_type::INT64: v = e.get_int64().value_unsafe(); break;
        case element_type::UINT64:
        case element_type::DOUBLE: return bad("must be a whole number within 64 bits");
        case element_type::OBJECT: return bad("must not be an object here");
        case element_type::ARRAY: {
          std::vector<std::string> strings;
          // Named, not iterated as a temporary: value_unsafe() of a temporary result returns a
          // reference into it, which a range-for would keep using after it is destroyed.
          simdjson::dom::array array = e.get_array().value_unsafe();
          for (element item : array) {
            std::string_view text;
            if (item.get_string().get(text) != simdjson::SUCCESS) return bad("must be an array of strings");
            strings.emplace_back(text);
          }
          v = std::move(strings);
          break;
        }
      }
      fields.members_.emplace(std::move(name), std::move(v));
    }
    return fields;
  }
};

Result<JsonFields> JsonFields::Parse(std::string_view json, std::string where) {
  simdjson::dom::parser parser;
  auto root = ParseDocument(parser, json);
  if (!root.ok()) return root.status();
  return JsonFieldsReader::Read(*root, std::move(where));
}

Result<std::vector<JsonFields>> JsonFields::ParseList(std::string_view json, std::string_view item_name) {
  simdjson::dom::parser parser;
  auto root = ParseDocument(parser, json);
  if (!root.ok()) return root.status();
  std::vector<JsonFields> out;
  simdjson::dom::array items;
  if (root->type() == element_type::OBJECT) {
    simdjson::dom::object obj = root->get_object().value_unsafe();
    element value;
    if (obj.size() != 1 || obj.at_key("value").get(value) != simdjson::SUCCESS) {
      auto one = JsonFieldsReader::Read(*root, std::string(item_name) + " #1");
      if (!one.ok()) return one.status();
      out.push_back(std::move(*one));
      return out;
    }
    if (value.get_array().get(items) != simdjson::SUCCESS) {
      return Status::BadRequest("\"value\" must be an array of " + std::string(item_name) + " objects");
    }
  } else if (root->get_array().get(items) != simdjson::SUCCESS) {
    return Status::BadRequest("the body must be a JSON array of " + std::string(item_name) +
                              " objects, {\"value\":[...]}, or one object");
  }
  size_t n = 0;
  for (element item : items) {
    auto fields = JsonFieldsReader::Read(item, std::string(item_name) + " #" + std::to_string(++n));
    if (!fields.ok()) return fields.status();
    out.push_back(std::move(*fields));
  }
  return out;
}

Status JsonFields::WrongType(std::string_view name, const char* expected) const {
  return Status::BadRequest(where_ + ": \"" + std::string(name) + "\" must be " + expected);
}

Status JsonFields::Get(std::string_view name, std::optional<std::string>* out) const {
  out->reset();
  auto it = members_.find(name);
  if (it == members_.end() || std::holds_alternative<std::monostate>(it->second)) return Status::Ok();
  if (auto* v = std::get_if<std::string>(&it->second)) {
    *out = *v;
    return Status::Ok();
  }
  return WrongType(name, "a string");
}

Status JsonFields::Get(std::string_view name, std::optional<bool>* out) const {
  out->reset();
  auto it = members_.find(name);
  if (it == members_.end() || std::holds_alternative<std::monostate>(it->second)) return Status::Ok();
  if (auto* v = std::get_if<bool>(&it->second)) {
    *out = *v;
    return Status::Ok();
  }
  return WrongType(name, "true or false");
}

Status JsonFields::Get(std::string_view name, std::optional<int64_t>* out) const {
  out->reset();
  auto it = members_.find(name);
  if (it == members_.end() || std::holds_alternative<std::monostate>(it->second)) return Status::Ok();
  if (auto* v = std::get_if<int64_t>(&it->second)) {
    *out = *v;
    return Status::Ok();
  }
  return WrongType(name, "a whole number");
}

Status JsonFields::Get(std::string_view name, std::optional<std::vector<std::string>>* out) const {
  out->reset();
  auto it = members_.find(name);
  if (it == members_.end() || std::holds_alternative<std::monostate>(it->second)) return Status::Ok();
  if (auto* v = std::get_if<std::vector<std::string>>(&it->second)) {
    *out = *v;
    return Status::Ok();
  }
  return WrongType(name, "an array of strings");
}

Status JsonFields::OnlyMembers(std::initializer_list<std::string_view> known) const {
  for (const auto& [name, value] : members_) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Status::BadRequest(where_ + ": unknown member \"" + name + "\"; the members are " + list);
    }
  }
  return Status::Ok();
}

}  // namespace aih::directory
