#include "api/admin_change_record.h"

#include <algorithm>
#include <vector>

#include "api/audit_record.h"
#include "directory/identifiers.h"
#include "http/graph_error.h"
#include "model/interaction_writer.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

std::vector<std::string_view> Segments(std::string_view pattern) {
  std::vector<std::string_view> out;
  while (!pattern.empty()) {
    size_t start = pattern.find_first_not_of('/');
    if (start == std::string_view::npos) break;
    pattern.remove_prefix(start);
    size_t end = pattern.find('/');
    out.push_back(pattern.substr(0, end));
    pattern = end == std::string_view::npos ? std::string_view() : pattern.substr(end);
  }
  return out;
}

bool IsParam(std::string_view segment) { return !segment.empty() && segment.front() == '{'; }

// The tenant a route's path names, canonical, or "" (a route of no tenant, or a malformed id).
std::string PathTenant(const http::PathParams& params) {
  auto it = params.find("tenant");
  if (it == params.end()) return "";
  auto tenant = directory::CanonicalGuid(it->second, "tenant id");
  return tenant.ok() ? *tenant : "";
}

}  // namespace

std::string AdminAction(std::string_view method, std::string_view pattern) {
  std::vector<std::string_view> segments = Segments(pattern);
  std::vector<std::string_view> literals;
  for (size_t i = 1; i < segments.size(); ++i) {  // after "admin"
    if (!IsParam(segments[i])) literals.push_back(segments[i]);
  }
  if (literals.size() > 1 && literals.front() == "tenants") literals.erase(literals.begin());
  std::string action;
  for (std::string_view l : literals) {
    if (!action.empty()) action += '.';
    action += l;
  }
  // An operation on one resource (POST .../{hold}/release) is named by the operation alone: the
  // admin API's operations are the verbs among its segments.
  const bool operation = method == "POST" && !segments.empty() && segments.back() == "release";
  if (operation) return action;
  const char* verb = method == "POST" ? "create" : method == "PUT" ? "set" : method == "PATCH" ? "update" : "delete";
  return action + "." + verb;
}

std::string AdminSubjects::Snapshot(const std::string& pattern, const http::Request& request,
                                    const http::PathParams& params) const {
  std::string at = pattern;
  while (at.size() > std::string_view("/admin").size()) {
    auto it = gets_.find(at);
    if (it != gets_.end()) {
      Result<AdminReply> state = it->second(request, params);
      if (!state.ok()) return "null";
      return AuditSnapshot(state->body);
    }
    at.resize(at.rfind('/'));
  }
  return "null";
}

store::AuditEntry AdminChangeEntry(const http::Request& request, const http::PathParams& params, const char* method,
                                   const std::string& pattern, const Result<AdminReply>& reply,
                                   const std::string& before, const std::string& after) {
  const int status = reply.ok() ? reply->status : http::HttpStatusOf(reply.status().code());
  store::AuditEntry e = RequestAuditEntry(request, AdminAction(method, pattern), PathTenant(params), status);
  SetAdminKeyActor(e);
  e.details = "{\"method\":";
  AppendJsonString(e.details, method);
  e.details += ",\"route\":";
  AppendJsonString(e.details, pattern);
  e.details += ",\"before\":" + before + ",\"after\":" + after;
  if (reply.ok()) {
    const bool json = reply->content_type.empty() && !reply->body.empty();
    e.details += ",\"response\":" + (json ? AuditSnapshot(reply->body) : std::string("null"));
  } else {
    e.details += ",\"error\":";
    AppendJsonString(e.details, reply.status().message());
  }
  e.details += '}';
  return e;
}

store::AuditEntry FailedAdminAuthentication(const http::Request& request, const http::PathParams& params,
                                            const Status& why) {
  const int status = http::HttpStatusOf(why.code());
  store::AuditEntry e = RequestAuditEntry(
      request, why.code() == Code::kTooManyRequests ? "admin.lockedOut" : "admin.authenticationFailed",
      PathTenant(params), status);
  e.actor_kind = store::AuditActor::kAnonymous;
  e.actor_id = request.remote_address;
  // What was presented, by its kind only.
  std::string_view credential = "none";
  std::string_view authorization = request.Header("authorization");
  if (!request.Header("x-aihistory-admin-key").empty()) {
    credential = "adminKeyHeader";
  } else if (!authorization.empty()) {
    const size_t dots = std::count(authorization.begin(), authorization.end(), '.');
    credential = dots == 2 ? "bearerJwt" : "bearerToken";
  }
  e.details = "{\"method\":";
  AppendJsonString(e.details, request.method);
  e.details += ",\"credential\":";
  AppendJsonString(e.details, credential);
  e.details += ",\"reason\":";
  AppendJsonString(e.details, why.message());
  e.details += '}';
  return e;
}

}  // namespace aih::api
