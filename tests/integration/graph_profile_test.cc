// `serve --graph-profile strict` refuses what Microsoft Graph refuses, with Graph's status, code and
// message (api/graph_profile.h); the default (permissive) serves the same requests. Over a real server.
#include <gtest/gtest.h>

#include "integration_fixture.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

class GraphProfileTest : public ServerTest {
 protected:
  // GET of the licensed user's export with `query` (percent-encoded here).
  HttpResult ExportWith(const std::string& filter, const std::string& extra = "") {
    std::string query = "?$top=5";
    if (!filter.empty()) query += "&$filter=" + odata::PercentEncode(filter);
    return Export(query + extra);
  }
  void ExpectGraphError(const HttpResult& r, int status, const std::string& code, const std::string& message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(JsonValue(r.body, "error.code"), code) << r.body;
    EXPECT_EQ(JsonValue(r.body, "error.message"), message) << r.body;
    EXPECT_NE(JsonValue(r.body, "error.innerError.request-id"), "<missing>") << r.body;
  }
};

constexpr const char* kWindow = "createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime lt 2026-03-01T00:00:00Z";

TEST_P(GraphProfileTest, PermissiveByDefaultServesWhatGraphRefuses) {
  EXPECT_EQ(ExportWith("sessionId eq 's-1'").status, 200);
  EXPECT_EQ(ExportWith("createdDateTime gt 2026-01-01T00:00:00Z").status, 200);
  EXPECT_EQ(ExportWith("", "&$select=id").status, 200);
  EXPECT_EQ(ExportWith("", "&$search=budget").status, 200);
}

TEST_P(GraphProfileTest, StrictRefusesFiltersGraphDoesNotServe) {
  StartServer({"--graph-profile", "strict"});
  ExpectGraphError(ExportWith("sessionId eq 's-1'"), 400, "BadRequest",
                   "The entity property 'sessionId' and operationKind 'Equal' is not allowed in $filter query.");
  ExpectGraphError(ExportWith("requestId eq 'r-1'"), 400, "BadRequest",
                   "The entity property 'requestId' and operationKind 'Equal' is not allowed in $filter query.");
  ExpectGraphError(ExportWith("appClass ne 'x' and " + std::string(kWindow)), 400, "BadRequest",
                   "The entity property 'appClass' and operationKind 'NotEqual' is not allowed in $filter query.");
  ExpectGraphError(ExportWith("createdDateTime gt 2026-01-01T00:00:00Z"), 500, "InternalServerError",
                   "Failed to execute request.");
  ExpectGraphError(ExportWith("createdDateTime le 2026-01-01T00:00:00Z"), 500, "InternalServerError",
                   "Failed to execute request.");
  EXPECT_EQ(ExportWith("", "&$select=id").status, 400);
  EXPECT_EQ(ExportWith("", "&$orderby=createdDateTime%20asc").status, 400);
  ExpectGraphError(ExportWith("", "&$search=budget"), 400, "BadRequest",
                   "Query option '$search' is not allowed. getAllEnterpriseInteractions supports $top and $filter.");
}

TEST_P(GraphProfileTest, StrictServesWhatGraphServes) {
  StartServer({"--graph-profile", "strict"});
  ASSERT_EQ(Write("[" + Item("strict-1", "2026-02-01T10:00:00Z") + "]").status, 200);
  EXPECT_EQ(ExportWith("").status, 200);
  HttpResult window = ExportWith(kWindow);
  EXPECT_EQ(window.status, 200) << window.body;
  EXPECT_EQ(JsonValue(window.body, "value.0.id"), "strict-1");
  EXPECT_EQ(ExportWith("appClass eq '" + demo_.first_party_app_class + "'").status, 200);
  EXPECT_EQ(ExportWith("appClass eq '" + demo_.first_party_app_class + "' and " + kWindow).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, GraphProfileTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
