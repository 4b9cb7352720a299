// Large export pages are streamed (chunked) while they are read: over the wire they must be the
// very same pages as small ones, item for item, with the nextLink at the end.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

class StreamedPageTest : public ServerTest {
 protected:
  // The ids of a page, in order (each item starts with its id).
  static std::vector<std::string> Ids(const std::string& page) {
    std::vector<std::string> ids;
    for (size_t p = 0; (p = page.find("{\"id\":\"", p)) != std::string::npos;) {
      p += 7;
      ids.push_back(page.substr(p, page.find('"', p) - p));
    }
    return ids;
  }
  static std::string NextLinkTarget(const std::string& page) {
    size_t link = page.rfind("\"@odata.nextLink\":\"");
    if (link == std::string::npos) return "";
    size_t begin = page.find("/v1.0/", link);
    return page.substr(begin, page.find('"', begin) - begin);
  }
};

TEST_P(StreamedPageTest, ALargePageIsStreamedAndMatchesSmallPagesItemForItem) {
  auto before = Export("?$top=1000");  // the demo tenant's own items
  ASSERT_EQ(before.status, 200);
  const size_t demo_items = Ids(before.body).size();
  ASSERT_LT(demo_items, 300u);
  // 700 items of ~1 KB: a $top=1000 page of them is well over the streaming threshold (256 KB).
  const std::string filler(900, 'x');
  std::string batch = "[";
  for (int i = 0; i < 700; ++i) {
    char created[32];
    std::snprintf(created, sizeof created, "2026-02-01T10:%02d:%02dZ", i / 60, i % 60);
    std::string item = Item("s" + std::to_string(i), created);
    item.replace(item.find("prompt "), 7, "prompt " + filler + " ");
    batch += (i ? "," : "") + item;
  }
  batch += "]";
  ASSERT_EQ(Write(batch).status, 200);

  auto large = Export("?$top=1000");
  ASSERT_EQ(large.status, 200) << large.body.substr(0, 300);
  EXPECT_EQ(large.headers["transfer-encoding"], "chunked");
  EXPECT_FALSE(large.headers["request-id"].empty());
  std::vector<std::string> streamed = Ids(large.body);
  ASSERT_EQ(streamed.size(), 700u + demo_items);
  EXPECT_EQ(large.body.back(), '}');
  EXPECT_EQ(NextLinkTarget(large.body), "");

  std::vector<std::string> paged;
  std::string target = "?$top=50";
  int pages = 0;
  while (!target.empty() && ++pages < 100) {
    auto page = target[0] == '?' ? Export(target)
                                 : client_->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.headers.count("transfer-encoding"), 0u);  // small pages keep a Content-Length
    for (auto& id : Ids(page.body)) paged.push_back(id);
    target = NextLinkTarget(page.body);
  }
  EXPECT_EQ(streamed, paged);

  // A streamed page that is not the last carries its nextLink, and the next page follows on.
  auto first = Export("?$top=400");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.headers["transfer-encoding"], "chunked");
  std::string next = NextLinkTarget(first.body);
  ASSERT_FALSE(next.empty());
  auto second = client_->Send("GET", next, {{"Authorization", "Bearer " + exporter_token_}});
  ASSERT_EQ(second.status, 200);
  std::vector<std::string> both = Ids(first.body);
  for (auto& id : Ids(second.body)) both.push_back(id);
  EXPECT_EQ(both, paged);
}

// The eDiscovery export of a search (GET /admin/tenants/{t}/search/export) is streamed as it is read:
// over the wire, chunked NDJSON holding each hit once, newest first, and nothing else.
TEST_P(StreamedPageTest, ASearchExportIsStreamedAsNdjson) {
  const std::string filler(900, 'x');
  std::string batch = "[";
  for (int i = 0; i < 700; ++i) {
    char created[32];
    std::snprintf(created, sizeof created, "2026-02-01T10:%02d:%02dZ", i / 60, i % 60);
    std::string item = Item("n" + std::to_string(i), created);
    item.replace(item.find("prompt "), 7, "prompt " + std::string(i % 2 ? "zyzzogeton " : "") + filler + " ");
    batch += (i ? "," : "") + item;
  }
  batch += "]";
  ASSERT_EQ(Write(batch).status, 200);
  auto r = client_->Send("GET", "/admin/tenants/" + demo_.tenant_id + "/search/export?$search=zyzzogeton",
                         {{"X-Aihistory-Admin-Key", demo_.admin_key}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(r.headers["content-type"], "application/x-ndjson");
  std::vector<std::string> want;
  for (int i = 699; i >= 0; --i) {
    if (i % 2) want.push_back("n" + std::to_string(i));
  }
  std::vector<std::string> lines;  // the id of each line (after its owner, "@aihistory.userId")
  for (size_t at = 0; at < r.body.size();) {
    const size_t end = r.body.find('\n', at);
    if (end == std::string::npos) break;
    const size_t id = r.body.find("\"id\":\"", at) + 6;
    lines.push_back(r.body.substr(id, r.body.find('"', id) - id));
    at = end + 1;
  }
  EXPECT_EQ(lines, want);
  EXPECT_EQ(static_cast<size_t>(std::count(r.body.begin(), r.body.end(), '\n')), want.size());
  EXPECT_EQ(r.body.back(), '\n');
}

INSTANTIATE_TEST_SUITE_P(Engines, StreamedPageTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
