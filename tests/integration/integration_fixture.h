// A real `aihistory serve` on a loopback port over a demo tenant in a fresh data directory, with
// tokens for the demo's exporter and writer apps. Each test gets its own server and data.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace aih::testing {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = MakeTempDir("aih-it");
    demo_ = DemoTenant::Create(data_dir_);
    StartServer();
  }
  void StartServer(const std::vector<std::string>& extra = {}) {
    server_ = ServerProcess::Start(data_dir_, extra);
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<HttpClient>(server_->port());
    exporter_token_ = FetchToken(*client_, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
    writer_token_ = FetchToken(*client_, demo_.tenant_id, demo_.writer_id, demo_.writer_secret);
    ASSERT_FALSE(exporter_token_.empty());
    ASSERT_FALSE(writer_token_.empty());
  }

  HttpResult Export(const std::string& query = "", const std::string& user = "") {
    return client_->Send("GET", "/v1.0/copilot/users/" + (user.empty() ? demo_.licensed_user : user) +
                                    "/interactionHistory/getAllEnterpriseInteractions" + query,
                         {{"Authorization", "Bearer " + exporter_token_}});
  }
  HttpResult Write(const std::string& body, const std::string& content_type = "application/json") {
    return client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                         {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", content_type}}, body);
  }
  // An aiInteraction owned by the demo's licensed user, in the first-party appClass.
  std::string Item(const std::string& id, const std::string& created = "2026-02-01T10:00:00Z") {
    return "{\"@aihistory.userId\":\"" + demo_.licensed_user + "\",\"id\":\"" + id + "\",\"appClass\":\"" +
           demo_.first_party_app_class + "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"" + created +
           "\",\"body\":{\"contentType\":\"text\",\"content\":\"prompt " + id + "\"}}";
  }

  std::string data_dir_;
  DemoTenant demo_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  std::string exporter_token_, writer_token_;
};

}  // namespace aih::testing
