#include "api/audit_record.h"

#include "model/interaction_writer.h"
#include "model/timestamp.h"

namespace aih::api {

store::AuditEntry RequestAuditEntry(const http::Request& request, std::string action, std::string tenant_id,
                                    int status) {
  store::AuditEntry e;
  e.tenant_id = std::move(tenant_id);
  e.action = std::move(action);
  e.target = std::string(request.path());
  e.request_id = request.request_id;
  e.status = status;
  e.success = status < 400;
  return e;
}

void SetAuditActor(store::AuditEntry& entry, const auth::Principal& caller) {
  if (caller.kind == auth::Principal::Kind::kDelegated) {
    entry.actor_kind = store::AuditActor::kUser;
    entry.actor_id = caller.user_id;
  } else {
    entry.actor_kind = store::AuditActor::kApp;
    entry.actor_id = caller.app_id;
  }
}

void SetAdminKeyActor(store::AuditEntry& entry) {
  entry.actor_kind = store::AuditActor::kAdminKey;
  entry.actor_id = "admin-key";
}

std::string AuditSnapshot(std::string_view json) {
  if (json.empty()) return "null";
  if (json.size() > kMaxAuditSnapshotBytes) {
    return "{\"truncated\":true,\"bytes\":" + std::to_string(json.size()) + "}";
  }
  // A client secret is shown once, when made: never kept. The member's string value is skipped,
  // escapes included, and replaced.
  static constexpr std::string_view kSecret = "\"secretText\":\"";
  std::string out;
  size_t at = 0;
  for (size_t found = json.find(kSecret); found != std::string_view::npos; found = json.find(kSecret, at)) {
    out.append(json.substr(at, found - at));
    out += "\"secretText\":\"[redacted]\"";
    size_t end = found + kSecret.size();
    while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
    at = std::min(end + 1, json.size());
  }
  out.append(json.substr(at));
  return out;
}

void AppendAuditEntryJson(std::string& out, const store::AuditEntry& e) {
  out += "{\"id\":\"" + std::to_string(e.seq) + "\",\"createdDateTime\":";
  model::AppendJsonString(out, model::Timestamp::FromUnixMillis(e.time_ms).ToString());
  out += ",\"tenantId\":";
  model::AppendJsonString(out, e.tenant_id);
  out += ",\"actorKind\":";
  model::AppendJsonString(out, store::ToString(e.actor_kind));
  out += ",\"actorId\":";
  model::AppendJsonString(out, e.actor_id);
  out += ",\"action\":";
  model::AppendJsonString(out, e.action);
  out += ",\"target\":";
  model::AppendJsonString(out, e.target);
  out += ",\"requestId\":";
  model::AppendJsonString(out, e.request_id);
  out += e.success ? ",\"outcome\":\"success\"" : ",\"outcome\":\"failure\"";
  out += ",\"status\":" + std::to_string(e.status) + ",\"count\":" + std::to_string(e.count) + ",\"details\":";
  out += e.details.empty() ? "{}" : e.details;
  out += '}';
}

}  // namespace aih::api
