#include "notify/routed_change.h"

#include <simdjson.h>

#include "model/interaction_writer.h"

namespace aih::notify {

std::string WriteRoutedChanges(const std::vector<RoutedChange>& changes) {
  std::string out = "[";
  for (size_t i = 0; i < changes.size(); ++i) {
    const RoutedChange& c = changes[i];
    out += i ? ",{\"seq\":" : "{\"seq\":";
    out += std::to_string(c.seq);
    out += ",\"type\":\"";
    out += store::ToString(c.type);
    out += "\",\"userId\":";
    model::AppendJsonString(out, c.user_id);
    out += ",\"id\":";
    model::AppendJsonString(out, c.interaction_id);
    if (!c.resource_json.empty()) {
      // As a string, not as nested JSON: the receiver must get exactly the bytes that were stored.
      out += ",\"data\":";
      model::AppendJsonString(out, c.resource_json);
    }
    out += '}';
  }
  return out + "]";
}

Result<std::vector<RoutedChange>> ReadRoutedChanges(std::string_view payload) {
  auto damaged = [](const char* why) {
    return Status::Internal(std::string("a notification outbox entry is damaged (") + why + ")");
  };
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(payload.data(), payload.size()).get_array().get(items) != simdjson::SUCCESS) {
    return damaged("not a JSON array");
  }
  std::vector<RoutedChange> out;
  for (simdjson::dom::element item : items) {
    RoutedChange c;
    std::string_view type, user, id, data;
    if (item["seq"].get_int64().get(c.seq) != simdjson::SUCCESS || item["type"].get_string().get(type) ||
        item["userId"].get_string().get(user) || item["id"].get_string().get(id)) {
      return damaged("an item lacks seq, type, userId or id");
    }
    if (type == "created") {
      c.type = store::ChangeType::kCreated;
    } else if (type == "updated") {
      c.type = store::ChangeType::kUpdated;
    } else if (type == "deleted") {
      c.type = store::ChangeType::kDeleted;
    } else {
      return damaged("an unknown change type");
    }
    c.user_id = user;
    c.interaction_id = id;
    if (item["data"].get_string().get(data) == simdjson::SUCCESS) c.resource_json = data;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace aih::notify
