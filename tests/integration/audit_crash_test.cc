// The audit log against a real server and a crash: every acknowledged admin change is on record after
// kill -9 (its entry is written before the change is acknowledged), and `aihistory audit` reads the
// log from the store as NDJSON or a table, on each engine.
#include <algorithm>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

class AuditCrashTest : public ServerTest {};

int LineCount(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST_P(AuditCrashTest, AcknowledgedAdminChangesAreOnRecordAfterSigkill) {
  int acknowledged = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = client_->Send("POST", "/admin/tenants",
                           {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                           "{\"displayName\":\"Tenant " + std::to_string(i) + "\"}");
    if (r.status == 201) ++acknowledged;
  }
  ASSERT_EQ(acknowledged, 20);
  server_->Kill9();

  std::string output;
  ASSERT_EQ(RunAihistory({"audit", "--store", store_, "--filter", "action eq 'tenants.create'"}, &output), 0) << output;
  EXPECT_EQ(LineCount(output), acknowledged) << output;
  EXPECT_NE(output.find("\"actorKind\":\"adminKey\""), std::string::npos) << output;
  EXPECT_NE(output.find("\"displayName\":\"Tenant 19\""), std::string::npos) << output;

  ASSERT_EQ(RunAihistory({"audit", "--store", store_, "--since", "1d", "--format", "table",
                          "--filter", "startswith(action, 'tenants.')"}, &output), 0) << output;
  EXPECT_EQ(LineCount(output), acknowledged + 1) << output;  // and the header
  EXPECT_NE(output.find("tenants.create"), std::string::npos) << output;

  // A command that changes the store directly is on record too, as the operator's.
  ASSERT_EQ(RunAihistory({"admin", "tenant", "create", "--store", store_, "--name", "Woodgrove"}, &output), 0) << output;
  ASSERT_EQ(RunAihistory({"audit", "--store", store_, "--filter", "action eq 'cli.tenant.create'"}, &output), 0) << output;
  EXPECT_EQ(LineCount(output), 1) << output;
  EXPECT_NE(output.find("\"actorKind\":\"operator\""), std::string::npos) << output;
  EXPECT_NE(output.find("Woodgrove"), std::string::npos) << output;

  EXPECT_EQ(RunAihistory({"audit", "--store", store_, "--filter", "colour eq 'red'"}, &output), 2) << output;
  EXPECT_NE(output.find("colour"), std::string::npos) << output;
  EXPECT_EQ(RunAihistory({"audit", "--store", store_, "--since", "yesterday"}, &output), 2) << output;
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditCrashTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
