// POST /v1/traces and /v1/logs (api/otlp_resource.h) over the real directory policy: protobuf and
// JSON bodies, the source chosen by service.name, owners resolved in the directory, partial success,
// idempotent re-sends, and malformed bodies refused whole.
#include <gtest/gtest.h>

#include "directory_fixture.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/telemetry.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

using otlp::AnyValue;
using otlp::Attribute;
using otlp::Attributes;

Attribute Attr(std::string key, std::string value) {
  AnyValue v;
  v.kind = AnyValue::Kind::kString;
  v.text = std::move(value);
  return {std::move(key), std::move(v)};
}

otlp::Span ChatSpan(int n, const std::string& user, const std::string& question, const std::string& answer) {
  otlp::Span span;
  span.trace_id = std::string(15, '\x01') + static_cast<char>(n);
  span.span_id = std::string(7, '\x02') + static_cast<char>(n);
  span.name = "chat gpt-4o";
  span.start_time_unix_nano = 1767225600000000000ull + static_cast<uint64_t>(n) * 1000000000ull;
  span.end_time_unix_nano = span.start_time_unix_nano + 500000000ull;
  span.attributes = {Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.request.model", "gpt-4o"), Attr("user.id", user),
                     Attr("gen_ai.input.messages",
                          R"([{"role":"user","parts":[{"type":"text","content":")" + question + R"("}]}])"),
                     Attr("gen_ai.output.messages",
                          R"([{"role":"assistant","parts":[{"type":"text","content":")" + answer + R"("}]}])")};
  return span;
}

otlp::Telemetry TracesOf(std::vector<otlp::Span> spans, const std::string& service = "On") {
  otlp::Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = {Attr("service.name", service)};
  t.resources[0].spans = std::move(spans);
  return t;
}

class OtlpApiTest : public DirectoryApiTest {
 protected:
  http::Response Traces(const std::string& body, const std::string& type = "application/x-protobuf",
                        const std::string& token = "writer-a") {
    return Send("POST", "/v1/traces", body, token, {{"content-type", type}});
  }
};

TEST_P(OtlpApiTest, AProtobufExportBecomesAPromptAndAResponseOfTheNamedSource) {
  const std::string body = otlp::EncodeTracesProtobuf(TracesOf({ChatSpan(1, licensed_.upn, "Hello?", "Hi there.")}));
  auto r = Traces(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/x-protobuf");
  EXPECT_EQ(r.body, "");  // full success: an empty ExportTraceServiceResponse
  auto page = Export(licensed_.id);
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(JsonArraySize(page.body, "value"), 2u) << page.body;
  // Newest first: the response, then the prompt.
  EXPECT_EQ(JsonAt(page.body, "value.0.interactionType"), "aiResponse");
  EXPECT_EQ(JsonAt(page.body, "value.0.body.content"), "Hi there.");
  EXPECT_EQ(JsonAt(page.body, "value.1.body.content"), "Hello?");
  EXPECT_EQ(JsonAt(page.body, "value.1.appClass"), kThirdOn);
  EXPECT_EQ(JsonAt(page.body, "value.1.requestId"), JsonAt(page.body, "value.0.requestId"));
  EXPECT_EQ(JsonAt(page.body, "value.1.from.user.id"), licensed_.id);  // named by UPN, shown by object id
  EXPECT_EQ(JsonAt(page.body, "value.1.from.user.displayName"), "Alice");
  EXPECT_EQ(JsonAt(page.body, "value.0.from.application.displayName"), "gpt-4o");
  EXPECT_EQ(JsonAt(page.body, "value.1.createdDateTime"), "2026-01-01T00:00:01.0000000Z");

  // The same export again (an exporter's retry) stores nothing new.
  ASSERT_EQ(Traces(body).status, 200);
  EXPECT_EQ(StoredCount(kTenantA), 2);
}

TEST_P(OtlpApiTest, AJsonExportIsAnsweredInJson) {
  const char* body = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"Contoso.Agents.Enabled"}}]},
    "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"chat",
    "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000",
    "attributes":[{"key":"user.id","value":{"stringValue":"alice@contoso.example"}},
                  {"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Q\"}]}]"}},
                  {"key":"gen_ai.output.messages","value":{"stringValue":"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"A\"}]}]"}}]}]}]}]})";
  auto r = Traces(body, "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{}");
  auto page = Export(licensed_.id);
  ASSERT_EQ(JsonArraySize(page.body, "value"), 2u) << page.body;
  EXPECT_EQ(JsonAt(page.body, "value.1.id"), "5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174-prompt");
}

TEST_P(OtlpApiTest, SpansThatCannotBeTakenAreAPartialSuccessNamingWhy) {
  otlp::Span good = ChatSpan(1, licensed_.id, "Q1", "A1");
  otlp::Span stranger = ChatSpan(2, "nobody@contoso.example", "Q2", "A2");
  otlp::Span anonymous = ChatSpan(3, "", "Q3", "A3");
  otlp::Span http;
  http.trace_id = good.trace_id;
  http.span_id = std::string(8, '\x07');
  http.attributes = {Attr("http.request.method", "GET")};
  auto r = Traces(otlp::EncodeTracesProtobuf(TracesOf({good, stranger, anonymous, http})), "application/x-protobuf");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.body.empty());
  // ExportTracePartialSuccess{rejected_spans: 2, error_message: "..."}
  EXPECT_EQ(r.body[0], '\x0a');
  EXPECT_EQ(r.body.substr(r.body.find('\x08'), 2), std::string("\x08\x02"));
  EXPECT_NE(r.body.find("2 of 4 spans rejected"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("nobody@contoso.example"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("span 0202020202020202: "), std::string::npos) << r.body;  // which span, and why
  EXPECT_NE(r.body.find("user.id or enduser.id"), std::string::npos) << r.body;
  EXPECT_EQ(StoredCount(kTenantA), 2);  // the good call, whole; nothing of the others
}

// A conversation id becomes the interactions' sessionId, which the store indexes: one too long for an
// index entry, or holding a NUL (which PostgreSQL cannot store), is rejected with its span, on every
// engine alike, and the other spans of the export are stored.
TEST_P(OtlpApiTest, AConversationIdNoIndexCouldHoldRejectsItsSpanAlone) {
  otlp::Span good = ChatSpan(1, licensed_.id, "Q1", "A1");
  otlp::Span long_id = ChatSpan(2, licensed_.id, "Q2", "A2");
  long_id.attributes.push_back(Attr("gen_ai.conversation.id", std::string(3000, 'c')));
  otlp::Span nul = ChatSpan(3, licensed_.id, "Q3", "A3");
  nul.attributes.push_back(Attr("gen_ai.conversation.id", std::string("a\0b", 3)));
  auto r = Traces(otlp::EncodeTracesProtobuf(TracesOf({good, long_id, nul})));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("2 of 3 spans rejected"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("sessionId is 3000 bytes long"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("sessionId must not contain control characters"), std::string::npos) << r.body;
  EXPECT_EQ(StoredCount(kTenantA), 2);  // the good call, whole
}

TEST_P(OtlpApiTest, AServiceNameThatNamesNoneOfTheWritersSourcesIsRejectedSayingWhatToSet) {
  auto r = Traces(otlp::EncodeTracesProtobuf(TracesOf({ChatSpan(1, licensed_.id, "Q", "A")}, "Unknown Service")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("OTEL_SERVICE_NAME"), std::string::npos) << r.body;
  EXPECT_EQ(StoredCount(kTenantA), 0);
  // A writer with one source needs no service.name.
  auto only = Traces(otlp::EncodeTracesProtobuf(TracesOf({ChatSpan(2, licensed_.id, "Q", "A")}, "")),
                     "application/x-protobuf", "writer-a2");
  ASSERT_EQ(only.status, 200) << only.body;
  EXPECT_EQ(only.body, "");
  EXPECT_EQ(StoredCount(kTenantA), 2);
}

TEST_P(OtlpApiTest, MalformedBodiesAreRefusedWholeAndStoreNothing) {
  const std::string body = otlp::EncodeTracesProtobuf(TracesOf({ChatSpan(1, licensed_.id, "Q", "A")}));
  auto truncated = Traces(body.substr(0, body.size() - 5));
  EXPECT_EQ(truncated.status, 400) << truncated.body;
  EXPECT_NE(truncated.body.find("truncated"), std::string::npos) << truncated.body;

  otlp::Telemetry huge = TracesOf({ChatSpan(2, licensed_.id, "Q", "A")});
  for (int i = 0; i < 1'000'000; ++i) huge.resources[0].spans[0].attributes.push_back(Attr("k", ""));
  auto many = Traces(otlp::EncodeTracesProtobuf(huge));
  EXPECT_EQ(many.status, 413) << many.body.substr(0, 300);
  EXPECT_NE(many.body.find("attributes"), std::string::npos);

  otlp::Telemetry bad_utf8 = TracesOf({ChatSpan(3, licensed_.id, "Q", "A")});
  bad_utf8.resources[0].spans[0].attributes.push_back(Attr("k", "\xc3\x28"));
  auto utf8 = Traces(otlp::EncodeTracesProtobuf(bad_utf8));
  EXPECT_EQ(utf8.status, 400) << utf8.body;
  EXPECT_NE(utf8.body.find("UTF-8"), std::string::npos) << utf8.body;

  auto json = Traces(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":12}]}]}]})", "application/json");
  EXPECT_EQ(json.status, 400) << json.body;
  EXPECT_NE(json.body.find("traceId"), std::string::npos) << json.body;

  auto type = Traces(body, "text/plain");
  EXPECT_EQ(type.status, 415) << type.body;
  EXPECT_EQ(StoredCount(kTenantA), 0);
}

TEST_P(OtlpApiTest, TheWriterAuthenticatesWithItsTokenOrAnApiKeyHeader) {
  const std::string body = otlp::EncodeTracesProtobuf(TracesOf({ChatSpan(1, licensed_.id, "Q", "A")}));
  EXPECT_EQ(Traces(body, "application/x-protobuf", "").status, 401);
  EXPECT_EQ(Traces(body, "application/x-protobuf", "exporter-a").status, 403);
  auto keyed = Send("POST", "/v1/traces", body, "", {{"content-type", "application/x-protobuf"}, {"api-key", "writer-a"}});
  EXPECT_EQ(keyed.status, 200) << keyed.body;
  EXPECT_EQ(StoredCount(kTenantA), 2);
}

TEST_P(OtlpApiTest, GenAiEventLogRecordsBecomeInteractions) {
  otlp::Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = {Attr("service.name", "On"), Attr("enduser.id", licensed_.id)};
  auto record = [](const char* name, AnyValue body, uint64_t time) {
    otlp::LogRecord log;
    log.attributes = {Attr("event.name", name)};
    log.body = std::move(body);
    log.time_unix_nano = time;
    log.trace_id = std::string(16, '\x03');
    log.span_id = std::string(8, '\x04');
    return log;
  };
  AnyValue user;
  user.kind = AnyValue::Kind::kKvList;
  user.kvlist = {Attr("content", "Weather?")};
  AnyValue message;
  message.kind = AnyValue::Kind::kKvList;
  message.kvlist = {Attr("content", "Sunny.")};
  AnyValue choice;
  choice.kind = AnyValue::Kind::kKvList;
  choice.kvlist = {Attr("finish_reason", "stop"), Attribute{"message", message}};
  t.resources[0].logs = {record("gen_ai.user.message", user, 1767225600000000000ull),
                         record("gen_ai.choice", choice, 1767225602000000000ull)};
  auto r = Send("POST", "/v1/logs", otlp::EncodeLogsProtobuf(t), "writer-a", {{"content-type", "application/x-protobuf"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "");
  auto page = Export(licensed_.id);
  ASSERT_EQ(JsonArraySize(page.body, "value"), 2u) << page.body;
  EXPECT_EQ(JsonAt(page.body, "value.0.body.content"), "Sunny.");
  EXPECT_EQ(JsonAt(page.body, "value.1.body.content"), "Weather?");
  EXPECT_EQ(JsonAt(page.body, "value.0.createdDateTime"), "2026-01-01T00:00:02.0000000Z");
}

INSTANTIATE_TEST_SUITE_P(Engines, OtlpApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
