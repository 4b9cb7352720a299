#include "api_fixture.h"

#include <simdjson.h>

namespace aih::testing {

Result<auth::Principal> FakeAuthenticator::Authenticate(std::string_view header) {
  if (header.empty()) return Status::Unauthenticated("no bearer token");
  auto it = tokens.find(std::string(header));
  if (it == tokens.end()) return Status::Unauthenticated("unknown token");
  return it->second;
}

Result<policy::ExportScope> OpenPolicy::AuthorizeUserExport(const auth::Principal& caller, std::string_view user) {
  if (!caller.HasRole(auth::kReadAll)) return Status::Forbidden("missing role");
  policy::ExportScope scope;
  scope.user_id = std::string(user);
  return scope;
}
Result<policy::ExportScope> OpenPolicy::AuthorizeTenantExport(const auth::Principal& caller) {
  if (!caller.HasRole(auth::kReadAll)) return Status::Forbidden("missing role");
  return policy::ExportScope{};
}
Status OpenPolicy::AuthorizeWriter(const auth::Principal& caller) {
  return caller.HasRole(auth::kWriteAll) ? Status::Ok() : Status::Forbidden("missing role");
}
Result<std::string> OpenPolicy::AuthorizeItem(const auth::Principal& caller, const model::WriteItem& item) {
  return CheckItem(caller.tenant_id, item);
}
Result<std::string> OpenPolicy::CheckItem(const std::string&, const model::WriteItem& item) {
  if (item.interaction.app_class == "Unregistered.App") return Status::BadRequest("appClass 'Unregistered.App' is not registered");
  if (item.user_id == kUserOfADirectoryDown) return Status::Unavailable("PostgreSQL at db.internal:5432 is unavailable");
  return item.user_id;
}

void ApiTest::SetUp() {
  store_ = OpenFreshStore(GetParam(), &location_, "aih-api");
  ASSERT_NE(store_, nullptr);
  auth::Principal exporter;
  exporter.tenant_id = "tenant-a";
  exporter.app_id = "exporter-app";
  exporter.roles = {auth::kReadAll};
  auth::Principal writer = exporter;
  writer.app_id = "writer-app";
  writer.roles = {auth::kWriteAll};
  auth::Principal other = exporter;
  other.tenant_id = "tenant-b";
  auth_.tokens["Bearer exporter"] = exporter;
  auth_.tokens["Bearer writer"] = writer;
  auth_.tokens["Bearer other-tenant"] = other;
  service_ = std::make_unique<api::Service>(api::ServiceOptions{}, *store_, auth_, policy_,
                                            odata::CursorSigner(std::string(32, 'k')));
}

void ApiTest::TearDown() {
  service_.reset();
  store_.reset();
  RemoveStoreLocation(location_);
}

http::Response ApiTest::Get(const std::string& target, const std::string& token) {
  http::Request r;
  r.method = "GET";
  r.target = target;
  r.scheme = "http";
  r.host = "127.0.0.1:8080";
  r.request_id = "req-1";
  if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
  return service_->Handle(r);
}

http::Response ApiTest::Post(const std::string& target, const std::string& body, const std::string& token,
                             const std::string& content_type) {
  http::Request r;
  r.method = "POST";
  r.target = target;
  r.scheme = "http";
  r.host = "127.0.0.1:8080";
  r.request_id = "req-2";
  r.body = body;
  if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
  if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
  return service_->Handle(r);
}

namespace {
simdjson::dom::element Walk(simdjson::dom::element e, const std::string& path, bool* found) {
  *found = true;
  size_t i = 0;
  while (i < path.size()) {
    // An annotation ("@odata.nextLink") contains dots: it is always the last key of a path.
    size_t j = path[i] == '@' ? path.size() : path.find('.', i);
    if (j == std::string::npos) j = path.size();
    std::string key = path.substr(i, j - i);
    i = j + 1;
    if (e.is_array()) {
      auto r = e.at(std::stoul(key));
      if (r.error()) { *found = false; return e; }
      e = r.value();
    } else {
      auto r = e[key];
      if (r.error()) { *found = false; return e; }
      e = r.value();
    }
  }
  return e;
}
}  // namespace

std::string JsonAt(const std::string& json, const std::string& path) {
  thread_local simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  if (doc.error()) return "<invalid json>";
  bool found;
  auto e = Walk(doc.value(), path, &found);
  if (!found) return "<missing>";
  if (e.is_null()) return "<null>";
  if (e.is_string()) return std::string(e.get_string().value());
  return simdjson::minify(e);
}

size_t JsonArraySize(const std::string& json, const std::string& path) {
  thread_local simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  if (doc.error()) return 0;
  bool found;
  auto e = Walk(doc.value(), path, &found);
  if (!found || !e.is_array()) return 0;
  return e.get_array().value().size();
}

}  // namespace aih::testing
