// The page writer: one splice of stored JSON for the HTTP page and the NDJSON export, $select, the
// user annotation, the keyset position of the last item, and the threshold at which text goes out.
#include "api/page_writer.h"

#include <gtest/gtest.h>

namespace aih::api {
namespace {

constexpr const char* kStored =
    R"({"id":"1768473000120","sessionId":null,"requestId":null,)"
    R"("appClass":"IPM.SkypeTeams.Message.Copilot.Teams","interactionType":"userPrompt",)"
    R"("conversationType":null,"etag":"1768473000120",)"
    R"("createdDateTime":"2026-01-15T08:30:00.120Z","locale":null,)"
    R"("body":{"contentType":"text","content":"Hello"},"from":null,)"
    R"("attachments":[],"contexts":[],"links":[],"mentions":[]})";

// Keeps what it is offered, and pauses when told to.
class RecordingSink : public PageSink {
 public:
  bool Offer(std::string& text) override {
    parts.push_back(text);
    text.clear();
    return !pause;
  }
  std::vector<std::string> parts;
  bool pause = false;
};

store::PageRow Row(std::string_view json, std::string_view user, std::string_view id, int64_t ticks) {
  return store::PageRow{json, user, id, ticks};
}

TEST(PageWriterTest, SplicesStoredJsonBetweenSeparatorsAndKeepsTheLastPosition) {
  RecordingSink sink;
  PageWriter writer(PageLayout{}, sink);
  writer.text() = "[";
  EXPECT_TRUE(writer.Write(Row(R"({"id":"a"})", "u1", "a", 20)));
  EXPECT_TRUE(writer.Write(Row(R"({"id":"b"})", "u2", "b", 10)));
  EXPECT_EQ(writer.text(), R"([{"id":"a"},{"id":"b"})");
  EXPECT_EQ(writer.written(), 2);
  EXPECT_EQ(writer.last().ticks, 10);
  EXPECT_EQ(writer.last().id, "b");
  EXPECT_EQ(writer.last().user_id, "u2");
  EXPECT_TRUE(sink.parts.empty()) << "below the threshold nothing goes out";
  auto [items, bytes] = writer.TakeCounts();
  EXPECT_EQ(items, 2);
  EXPECT_EQ(bytes, 20) << "the items' bytes, not the separators";
  EXPECT_EQ(writer.TakeCounts(), std::make_pair(int64_t{0}, int64_t{0}));
}

TEST(PageWriterTest, AnnotatesTheUserAndEndsLinesForNdjson) {
  RecordingSink sink;
  PageWriter writer(PageLayout{nullptr, /*annotate_user=*/true, "", "\n"}, sink);
  EXPECT_TRUE(writer.Write(Row(R"({"id":"a"})", "u1", "a", 20)));
  EXPECT_TRUE(writer.Write(Row(R"({"id":"b"})", "u2", "b", 10)));
  EXPECT_TRUE(writer.Flush());
  EXPECT_EQ(sink.parts, std::vector<std::string>{"{\"@aihistory.userId\":\"u1\",\"id\":\"a\"}\n"
                                                 "{\"@aihistory.userId\":\"u2\",\"id\":\"b\"}\n"});
}

TEST(PageWriterTest, SelectReserialisesOnlyTheNamedProperties) {
  RecordingSink sink;
  const std::vector<std::string> select = {"appClass", "id"};
  PageWriter writer(PageLayout{&select, /*annotate_user=*/true}, sink);
  EXPECT_TRUE(writer.Write(Row(kStored, "u1", "1768473000120", 1)));
  EXPECT_EQ(writer.text(), R"({"@aihistory.userId":"u1","id":"1768473000120",)"
                           R"("appClass":"IPM.SkypeTeams.Message.Copilot.Teams"})");
  // A stored item that cannot be re-read stops the page with an internal error.
  EXPECT_FALSE(writer.Write(Row("{not json", "u1", "x", 0)));
  EXPECT_EQ(writer.status().code(), Code::kInternal);
}

TEST(PageWriterTest, OffersTextPastTheThresholdAndStopsWhenTheSinkPauses) {
  RecordingSink sink;
  PageWriter writer(PageLayout{nullptr, false, ",", "", /*part_bytes=*/16}, sink);
  EXPECT_TRUE(writer.Write(Row(R"({"id":"a"})", "u", "a", 3)));  // 10 bytes: kept
  EXPECT_TRUE(sink.parts.empty());
  EXPECT_TRUE(writer.Write(Row(R"({"id":"b"})", "u", "b", 2)));  // 21 bytes: offered
  EXPECT_EQ(sink.parts, std::vector<std::string>{R"({"id":"a"},{"id":"b"})"});
  EXPECT_TRUE(writer.text().empty());
  sink.pause = true;
  EXPECT_TRUE(writer.Write(Row(R"({"id":"c"})", "u", "c", 1)));
  EXPECT_FALSE(writer.Write(Row(R"({"id":"d"})", "u", "d", 0))) << "the sink asked to pause";
  EXPECT_TRUE(writer.status().ok()) << "a pause is not an error";
  EXPECT_EQ(writer.last().id, "d") << "the page resumes after the last item written";
}

}  // namespace
}  // namespace aih::api
