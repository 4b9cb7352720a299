#include "support/demo_tenant.h"

#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "support/server_process.h"

namespace aih::testing {
namespace {

simdjson::dom::element Walk(simdjson::dom::element e, const std::string& path, bool* found) {
  *found = true;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path[i] == '@' ? path.size() : path.find('.', i);
    if (j == std::string::npos) j = path.size();
    std::string key = path.substr(i, j - i);
    i = j + 1;
    auto r = e.is_array() ? e.at(std::stoul(key)) : e[key];
    if (r.error()) {
      *found = false;
      return e;
    }
    e = r.value();
  }
  return e;
}

}  // namespace

std::string JsonValue(const std::string& json, const std::string& path) {
  simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  if (doc.error()) return "<invalid json>";
  bool found;
  auto e = Walk(doc.value(), path, &found);
  if (!found) return "<missing>";
  if (e.is_null()) return "<null>";
  if (e.is_string()) return std::string(e.get_string().value());
  return simdjson::minify(e);
}

size_t JsonLength(const std::string& json, const std::string& path) {
  simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  if (doc.error()) return 0;
  bool found;
  auto e = Walk(doc.value(), path, &found);
  return found && e.is_array() ? e.get_array().value().size() : 0;
}

DemoTenant DemoTenant::Create(const std::string& store, const std::string& credentials_dir) {
  const std::string credentials = (credentials_dir.empty() ? store : credentials_dir) + "/demo-credentials.json";
  std::string output;
  int rc = RunAihistory({"demo-setup", "--store", store, "--out", credentials}, &output);
  if (rc != 0) std::fprintf(stderr, "aihistory demo-setup failed (%d):\n%s\n", rc, output.c_str());
  return Load(credentials_dir.empty() ? store : credentials_dir);
}

DemoTenant DemoTenant::Load(const std::string& credentials_dir) {
  const std::string credentials = credentials_dir + "/demo-credentials.json";
  std::ifstream in(credentials);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string j = ss.str();
  DemoTenant t;
  t.tenant_id = JsonValue(j, "tenantId");
  t.admin_key = JsonValue(j, "adminKey");
  t.licensed_user = JsonValue(j, "users.licensed.id");
  t.licensed_upn = JsonValue(j, "users.licensed.userPrincipalName");
  t.unlicensed_user = JsonValue(j, "users.unlicensed.id");
  t.personal_user = JsonValue(j, "users.personal.id");
  t.first_party_app_class = JsonValue(j, "sources.firstParty.0");
  t.third_party_app_class = JsonValue(j, "sources.thirdParty");
  t.exporter_id = JsonValue(j, "exporter.clientId");
  t.exporter_secret = JsonValue(j, "exporter.clientSecret");
  t.writer_id = JsonValue(j, "writer.clientId");
  t.writer_secret = JsonValue(j, "writer.clientSecret");
  if (t.tenant_id == "<missing>") std::fprintf(stderr, "no demo credentials in %s\n", credentials.c_str());
  return t;
}

std::string FetchToken(HttpClient& client, const std::string& tenant_id, const std::string& client_id,
                       const std::string& client_secret) {
  std::string form = "grant_type=client_credentials&client_id=" + client_id + "&client_secret=" + client_secret +
                     "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
  auto r = client.Send("POST", "/" + tenant_id + "/oauth2/v2.0/token",
                       {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
  std::string token = JsonValue(r.body, "access_token");
  if (r.status != 200) std::fprintf(stderr, "token request failed: %d %s\n", r.status, r.body.c_str());
  return r.status == 200 ? token : "";
}

}  // namespace aih::testing
