// A real `aihistory serve` on a loopback port over a demo tenant in a fresh store of the engine under
// test (support/store_engines.h: a data directory, or a throwaway PostgreSQL schema), with tokens for
// the demo's exporter and writer apps. Each test gets its own server and data; the suites are
// instantiated once per engine:
//   INSTANTIATE_TEST_SUITE_P(Engines, MySuite, ::testing::ValuesIn(StoreEngines()), EngineName);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/store_engines.h"

namespace aih::testing {

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // The data directory holds the credentials file (and, for SQLite, the store itself).
    data_dir_ = MakeTempDir("aih-it");
    store_ = GetParam() == "sqlite" ? data_dir_ : NewStoreLocation(GetParam());
    ASSERT_FALSE(store_.empty());
    demo_ = DemoTenant::Create(store_, data_dir_);
    ASSERT_NE(demo_.tenant_id, "<missing>");
    StartServer();
  }
  void TearDown() override {
    client_.reset();
    server_.reset();  // stops it, so its store can go
    if (store_ != data_dir_) RemoveStoreLocation(store_);
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
  // `loopback_receivers` false: with the server's default receiver policy (https, public addresses).
  void StartServer(const std::vector<std::string>& extra = {}, bool loopback_receivers = true) {
    server_ = ServerProcess::Start(store_, extra, loopback_receivers);
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
  std::string store_;  // --store: data_dir_ (SQLite) or a postgresql:// URL
  DemoTenant demo_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  std::string exporter_token_, writer_token_;
};

}  // namespace aih::testing
