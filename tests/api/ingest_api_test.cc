// The write path: batch shapes, per-item outcomes, idempotency, and bad input that changes nothing.
#include "api_fixture.h"

namespace aih::testing {
namespace {

const std::string kWrite = "/v1.0/copilot/interactionHistory/interactions";

std::string Item(const std::string& id, const std::string& user = "u1", const std::string& extra = "") {
  return "{\"@aihistory.userId\":\"" + user + "\",\"id\":\"" + id +
         "\",\"appClass\":\"IPM.SkypeTeams.Message.Copilot.Teams\",\"interactionType\":\"userPrompt\","
         "\"createdDateTime\":\"2026-01-15T10:30:00.1234567+02:00\",\"body\":{\"contentType\":\"text\",\"content\":\"hi\"}" +
         extra + "}";
}

class IngestApiTest : public ApiTest {
 protected:
  int64_t Count() {
    store::PageQuery q;
    q.tenant_id = "tenant-a";
    return *store_->interactions().Count(q);
  }
};

TEST_P(IngestApiTest, JsonArrayStoresAndReportsEachItem) {
  auto r = Post(kWrite, "[" + Item("1") + "," + Item("2", "u2") + "]");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "stored"), "2");
  EXPECT_EQ(JsonAt(r.body, "value.0.status"), "stored");
  EXPECT_EQ(JsonAt(r.body, "value.0.etag"), "1");
  EXPECT_EQ(JsonAt(r.body, "value.1.userId"), "u2");
  // Visible to export at once, converted to UTC with all seven digits.
  auto page = Get("/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions");
  EXPECT_EQ(JsonAt(page.body, "value.0.createdDateTime"), "2026-01-15T08:30:00.1234567Z");
}

TEST_P(IngestApiTest, NdjsonAndValueWrapperAndPerUserRoute) {
  auto nd = Post(kWrite, Item("1") + "\n\n" + Item("2") + "\r\n", "writer", "application/x-ndjson");
  EXPECT_EQ(nd.status, 200) << nd.body;
  EXPECT_EQ(JsonAt(nd.body, "stored"), "2");
  auto wrapped = Post(kWrite, "{\"value\":[" + Item("3") + "]}");
  EXPECT_EQ(JsonAt(wrapped.body, "stored"), "1") << wrapped.body;
  auto per_user = Post("/beta/copilot/users/u9/interactionHistory/interactions",
                       "[{\"appClass\":\"IPM.SkypeTeams.Message.Copilot.Word\",\"interactionType\":\"aiResponse\",\"createdDateTime\":\"2026-01-01T00:00:00Z\"}]");
  ASSERT_EQ(per_user.status, 200) << per_user.body;
  EXPECT_EQ(JsonAt(per_user.body, "value.0.userId"), "u9");
  std::string assigned = JsonAt(per_user.body, "value.0.id");
  EXPECT_EQ(assigned.size(), 13u + 1 + 16) << assigned;  // epoch ms, '-', 16 hex digits
  EXPECT_EQ(assigned.substr(0, 13), "1767225600000");
  auto mismatch = Post("/beta/copilot/users/u9/interactionHistory/interactions", "[" + Item("4", "u1") + "]");
  EXPECT_EQ(mismatch.status, 400) << mismatch.body;
}

TEST_P(IngestApiTest, ResendIsUnchangedAndChangeIsUpdatedWithNewEtag) {
  Post(kWrite, "[" + Item("1") + "]");
  auto again = Post(kWrite, "[" + Item("1") + "]");
  EXPECT_EQ(JsonAt(again.body, "value.0.status"), "unchanged");
  auto changed = Post(kWrite, "[" + Item("1", "u1", ",\"locale\":\"en-us\"") + "]");
  EXPECT_EQ(JsonAt(changed.body, "value.0.status"), "updated");
  EXPECT_EQ(JsonAt(changed.body, "value.0.etag"), "1.2");
  auto page = Get("/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions");
  EXPECT_EQ(JsonAt(page.body, "value.0.etag"), "1.2");
  EXPECT_EQ(JsonAt(page.body, "value.0.locale"), "en-us");
  EXPECT_EQ(Count(), 1);
}

TEST_P(IngestApiTest, ADirectoryThatCannotAnswerFailsTheWholeBatchWith503) {
  // Nothing is wrong with the items: the client must retry the batch as is, not drop "refused" items.
  for (const std::string& batch : {"[" + Item("1") + "," + Item("2", kUserOfADirectoryDown) + "]",
                                   "[" + Item("3", kUserOfADirectoryDown) + "," + Item("4", kUserOfADirectoryDown) + "]"}) {
    auto r = Post(kWrite, batch);
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(JsonAt(r.body, "error.code"), "ServiceUnavailable");
    bool retry_after = false;
    for (const auto& [name, value] : r.headers) retry_after |= name == "Retry-After" && !value.empty();
    EXPECT_TRUE(retry_after);
    EXPECT_EQ(r.body.find("db.internal"), std::string::npos) << "internals leaked: " << r.body;
  }
  EXPECT_EQ(Count(), 0);
}

TEST_P(IngestApiTest, PartlyRefusedBatchStoresTheRestAndSaysWhy) {
  auto r = Post(kWrite, "[" + Item("1") + "," + Item("2", "u1", ",\"color\":\"red\"") + "]");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "stored"), "1");
  EXPECT_EQ(JsonAt(r.body, "refused"), "1");
  EXPECT_EQ(JsonAt(r.body, "value.1.status"), "refused");
  EXPECT_NE(JsonAt(r.body, "value.1.error.message").find("color"), std::string::npos) << r.body;
  EXPECT_EQ(Count(), 1);
}

TEST_P(IngestApiTest, BadInputIsAClear4xxAndChangesNothing) {
  struct Case {
    std::string name, body, content_type;
    int status;
    std::string mentions;  // expected in the message
  };
  std::string big_batch = "[";
  for (int i = 0; i < 100000; ++i) big_batch += (i ? ",{}" : "{}");
  big_batch += "]";
  const std::vector<Case> cases = {
      {"malformed json", "[{\"id\":\"1\",", "application/json", 400, "JSON"},
      {"invalid utf-8", "[" + Item("1").insert(40, "\xff\xfe") + "]", "application/json", 400, "UTF-8"},
      {"wrong type", "[" + Item("1", "u1", ",\"locale\":5") + "]", "application/json", 400, "locale"},
      {"unknown property", "[" + Item("1", "u1", ",\"colour\":\"red\"") + "]", "application/json", 400, "colour"},
      {"missing required", "[{\"@aihistory.userId\":\"u1\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-01-01T00:00:00Z\"}]", "application/json", 400, "appClass"},
      {"enum case", "[" + std::string(Item("1")).replace(Item("1").find("userPrompt"), 10, "UserPrompt") + "]", "application/json", 400, "UserPrompt"},
      {"date without offset", "[" + std::string(Item("1")).replace(Item("1").find("+02:00"), 6, "") + "]", "application/json", 400, "offset"},
      {"mentionId as string", "[" + Item("1", "u1", ",\"mentions\":[{\"mentionId\":\"3\"}]") + "]", "application/json", 400, "mentionId"},
      {"no owner", "[{\"appClass\":\"IPM.SkypeTeams.Message.Copilot.Teams\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-01-01T00:00:00Z\"}]", "application/json", 400, "@aihistory.userId"},
      {"unregistered appClass", "[" + std::string(Item("1")).replace(Item("1").find("IPM.SkypeTeams.Message.Copilot.Teams"), 36, "Unregistered.App") + "]", "application/json", 400, "Unregistered.App"},
      {"deep nesting", std::string(100000, '[') + std::string(100000, ']'), "application/json", 400, ""},
      {"empty batch", "[]", "application/json", 400, "no items"},
      {"batch of 100,000 items", big_batch, "application/json", 413, "100000"},
      {"unsupported media type", "[" + Item("1") + "]", "text/plain", 415, "text/plain"},
      {"empty body", "", "application/json", 400, ""},
      // Indexed fields an engine could not hold (PostgreSQL: no NUL, index entries under 2.7 KB).
      {"NUL in sessionId", "[" + Item("1", "u1", ",\"sessionId\":\"a\\u0000b\"") + "]", "application/json", 400, "sessionId must not contain control characters"},
      {"requestId over 256 bytes", "[" + Item("1", "u1", ",\"requestId\":\"" + std::string(257, 'r') + "\"") + "]", "application/json", 400, "requestId is 257 bytes long"},
      {"locale of 3,000 bytes", "[" + Item("1", "u1", ",\"locale\":\"" + std::string(3000, 'l') + "\"") + "]", "application/json", 400, "locale is 3000 bytes long"},
      {"bell in conversationType", "[" + Item("1", "u1", ",\"conversationType\":\"chat\\u0007\"") + "]", "application/json", 400, "conversationType"},
      {"appClass of 300 bytes", "[" + std::string(Item("1")).replace(Item("1").find("IPM.SkypeTeams.Message.Copilot.Teams"), 36, std::string(300, 'A')) + "]", "application/json", 400, "appClass is 300 bytes long"},
  };
  for (const Case& c : cases) {
    auto r = Post(kWrite, c.body, "writer", c.content_type);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body.substr(0, 300);
    EXPECT_EQ(r.content_type, "application/json") << c.name;
    std::string message = JsonAt(r.body, "error.message");
    EXPECT_NE(message, "<missing>") << c.name;
    EXPECT_NE(message.find(c.mentions), std::string::npos) << c.name << ": " << message;
  }
  EXPECT_EQ(Count(), 0);
  auto changes = store_->changes().Peek(10);
  EXPECT_TRUE(changes->empty());
}

// The longest indexed values allowed (256 bytes, not ASCII) are stored and found by their filter on
// every engine.
TEST_P(IngestApiTest, IndexedFieldsOfTheLongestAllowedLengthAreStoredAndFound) {
  std::string session;
  while (session.size() < 256) session += "\u00e9";  // é: two bytes each
  auto r = Post(kWrite, "[" + Item("1", "u1", ",\"sessionId\":\"" + session + "\",\"requestId\":\"" + std::string(256, 'r') + "\"") + "]");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(JsonAt(r.body, "stored"), "1") << r.body.substr(0, 300);
  auto page = Get("/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions?$filter=requestId%20eq%20%27" +
                  std::string(256, 'r') + "%27");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
  EXPECT_EQ(JsonAt(page.body, "value.0.id"), "1") << page.body.substr(0, 300);
}

TEST_P(IngestApiTest, WriterPermissionIsRequired) {
  auto r = Post(kWrite, "[" + Item("1") + "]", "exporter");
  EXPECT_EQ(r.status, 403);
  auto none = Post(kWrite, "[" + Item("1") + "]", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, IngestApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
