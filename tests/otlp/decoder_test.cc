#include <gtest/gtest.h>

#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/telemetry_builders.h"

namespace aih::otlp {
namespace {

using namespace testing;

Telemetry OneSpan() {
  Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = {Attr("service.name", "contoso-assistant")};
  Span span = ChatSpan(1, {Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.usage.input_tokens", Int(-42)),
                           Attr("nested", List({Attr("a", Array({Str("x"), Int(7)}))}))});
  span.parent_span_id = SpanId(9);
  span.events.push_back(SpanEvent{123, "gen_ai.user.message", {Attr("content", "hello")}});
  t.resources[0].spans.push_back(span);
  return t;
}

TEST(ProtobufDecoder, DecodesWhatAnSdkEncodes) {
  auto decoded = DecodeTracesProtobuf(EncodeTracesProtobuf(OneSpan()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->resources.size(), 1u);
  EXPECT_EQ(AttributeText(decoded->resources[0].resource, "service.name"), "contoso-assistant");
  ASSERT_EQ(decoded->resources[0].spans.size(), 1u);
  const Span& span = decoded->resources[0].spans[0];
  EXPECT_EQ(span.trace_id, TraceId(1));
  EXPECT_EQ(span.span_id, SpanId(1));
  EXPECT_EQ(span.parent_span_id, SpanId(9));
  EXPECT_EQ(span.name, "chat gpt-4o");
  EXPECT_EQ(span.start_time_unix_nano, 1767225601000000000ull);
  EXPECT_EQ(span.end_time_unix_nano, 1767225601250000000ull);
  EXPECT_EQ(FindAttribute(span.attributes, "gen_ai.usage.input_tokens")->integer, -42);
  EXPECT_EQ(FindAttribute(span.attributes, "nested")->ToJson(), "{\"a\":[\"x\",7]}");
  ASSERT_EQ(span.events.size(), 1u);
  EXPECT_EQ(span.events[0].name, "gen_ai.user.message");
  EXPECT_EQ(span.events[0].time_unix_nano, 123u);
}

TEST(ProtobufDecoder, DecodesLogRecords) {
  Telemetry t;
  t.resources.emplace_back();
  LogRecord log;
  log.time_unix_nano = 5;
  log.event_name = "gen_ai.choice";
  log.body = List({Attr("index", Int(0))});
  log.trace_id = TraceId(2);
  log.span_id = SpanId(3);
  t.resources[0].logs.push_back(log);
  auto decoded = DecodeLogsProtobuf(EncodeLogsProtobuf(t));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->log_count(), 1u);
  const LogRecord& got = decoded->resources[0].logs[0];
  EXPECT_EQ(got.event_name, "gen_ai.choice");
  EXPECT_EQ(got.body.ToJson(), "{\"index\":0}");
  EXPECT_EQ(got.span_id, SpanId(3));
  EXPECT_EQ(got.time_unix_nano, 5u);
}

TEST(ProtobufDecoder, ATruncatedBodyIsRefusedWhole) {
  const std::string body = EncodeTracesProtobuf(OneSpan());
  // Cut inside the one ResourceSpans: its declared length runs past the end.
  for (size_t cut : {body.size() - 1, body.size() / 2, size_t{3}}) {
    auto decoded = DecodeTracesProtobuf(std::string_view(body).substr(0, cut));
    ASSERT_FALSE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded.status().code(), Code::kBadRequest);
    EXPECT_NE(decoded.status().message().find("truncated"), std::string::npos) << decoded.status().message();
  }
}

TEST(ProtobufDecoder, AKnownFieldOfTheWrongWireTypeIsNamed) {
  // ResourceSpans { ScopeSpans { Span { name (5) as a varint } } }
  const std::string span = "\x28\x01";  // field 5, varint 1
  const std::string scope = std::string("\x12") + static_cast<char>(span.size()) + span;
  const std::string resource = std::string("\x12") + static_cast<char>(scope.size()) + scope;
  const std::string body = std::string("\x0a") + static_cast<char>(resource.size()) + resource;
  auto decoded = DecodeTracesProtobuf(body);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Code::kBadRequest);
  EXPECT_NE(decoded.status().message().find("spans[0]"), std::string::npos) << decoded.status().message();
  EXPECT_NE(decoded.status().message().find("name: the field has wire type varint"), std::string::npos)
      << decoded.status().message();
}

TEST(ProtobufDecoder, AStringThatIsNotUtf8IsRefused) {
  Telemetry t = OneSpan();
  t.resources[0].spans[0].name = "chat \xff\xfe";
  auto decoded = DecodeTracesProtobuf(EncodeTracesProtobuf(t));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("not valid UTF-8"), std::string::npos) << decoded.status().message();
}

TEST(ProtobufDecoder, AMillionAttributesAreRefusedNamingTheLimit) {
  Telemetry t = OneSpan();
  Attributes& attributes = t.resources[0].spans[0].attributes;
  for (int i = 0; i < 1'000'000; ++i) attributes.push_back(Attr("k", ""));
  auto decoded = DecodeTracesProtobuf(EncodeTracesProtobuf(t));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Code::kTooLarge);
  EXPECT_NE(decoded.status().message().find("more than 10000 attributes"), std::string::npos)
      << decoded.status().message();
}

TEST(ProtobufDecoder, AnIdOfTheWrongLengthIsRefused) {
  Telemetry t = OneSpan();
  t.resources[0].spans[0].span_id = "abc";
  auto decoded = DecodeTracesProtobuf(EncodeTracesProtobuf(t));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("spanId"), std::string::npos) << decoded.status().message();
}

TEST(ProtobufDecoder, PartialSuccessIsEncodedOnlyWhenSomethingWasRejected) {
  EXPECT_EQ(EncodePartialSuccessProtobuf(0, ""), "");
  EXPECT_EQ(EncodePartialSuccessProtobuf(2, "no"), std::string("\x0a\x06\x08\x02\x12\x02no", 8));
}

TEST(JsonDecoder, DecodesTheOtlpJsonMapping) {
  const char* body = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
    "scopeSpans":[{"scope":{"name":"x"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
    "name":"chat","kind":3,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
    "attributes":[{"key":"n","value":{"intValue":"-9007199254740993"}},{"key":"d","value":{"doubleValue":1.5}},
    {"key":"b","value":{"boolValue":true}},{"key":"y","value":{"bytesValue":"aGk="}},
    {"key":"l","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"stringValue":"z"}]}}}]}}}],
    "events":[{"timeUnixNano":"7","name":"e","attributes":[]}],"unknownField":{"ignored":true}}]}]}]})";
  auto decoded = DecodeTracesJson(body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  const Span& span = decoded->resources[0].spans[0];
  EXPECT_EQ(span.trace_id, std::string("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16));
  EXPECT_EQ(span.span_id.size(), 8u);
  EXPECT_EQ(span.start_time_unix_nano, 1544712660000000000ull);
  EXPECT_EQ(span.end_time_unix_nano, 1544712661000000000ull);
  EXPECT_EQ(FindAttribute(span.attributes, "n")->integer, -9007199254740993ll);
  EXPECT_EQ(FindAttribute(span.attributes, "d")->number, 1.5);
  EXPECT_TRUE(FindAttribute(span.attributes, "b")->boolean);
  EXPECT_EQ(FindAttribute(span.attributes, "y")->text, "hi");
  EXPECT_EQ(FindAttribute(span.attributes, "l")->ToJson(), "{\"a\":[\"z\"]}");
  EXPECT_EQ(span.events[0].time_unix_nano, 7u);
}

TEST(JsonDecoder, AcceptsBase64Ids) {
  auto decoded = DecodeTracesJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ="}]}]}]})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->resources[0].spans[0].trace_id[0], '\x5b');
  EXPECT_EQ(decoded->resources[0].spans[0].span_id[0], '\xee');
}

TEST(JsonDecoder, RefusesWrongTypesNamingThePlace) {
  auto decoded = DecodeTracesJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":7}]}]}]})");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Code::kBadRequest);
  EXPECT_NE(decoded.status().message().find("resourceSpans[0].scopeSpans[0].spans[0].name: expected a string"),
            std::string::npos)
      << decoded.status().message();
  auto bad_id = DecodeTracesJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"xyz"}]}]}]})");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_NE(bad_id.status().message().find("spanId"), std::string::npos);
  auto not_json = DecodeTracesJson("{\"resourceSpans\":[");
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.status().message().find("not valid JSON"), std::string::npos);
}

TEST(JsonDecoder, PartialSuccess) {
  EXPECT_EQ(EncodePartialSuccessJson(false, 0, ""), "{}");
  EXPECT_EQ(EncodePartialSuccessJson(true, 3, "why"),
            "{\"partialSuccess\":{\"rejectedLogRecords\":\"3\",\"errorMessage\":\"why\"}}");
}

}  // namespace
}  // namespace aih::otlp
