#include <gtest/gtest.h>

#include "model/interaction_writer.h"
#include "otlp/interaction_mapping.h"
#include "otlp/telemetry_builders.h"

namespace aih::otlp {
namespace {

using namespace testing;

AppClassOf Fixed(std::string app_class) {
  return [app_class](const Attributes&) -> Result<std::string> { return app_class; };
}

Telemetry Traces(std::vector<Span> spans, Attributes resource = {Attr("service.name", "contoso")}) {
  Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = std::move(resource);
  t.resources[0].spans = std::move(spans);
  return t;
}

MappingOptions Options() {
  MappingOptions o;
  o.writer_app_id = "writer-app";
  return o;
}

const model::Interaction& Item(const Mapping& m, size_t i) { return m.items.at(i).item.interaction; }

// The second turn of a conversation with a tool call, in the current conventions.
const char* kInput = R"([
  {"role":"system","parts":[{"type":"text","content":"You are helpful."}]},
  {"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},
  {"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}]},
  {"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"18C and sunny"}]}])";
const char* kOutput =
    R"([{"role":"assistant","parts":[{"type":"text","content":"It is 18C and sunny in Paris."}],"finish_reason":"stop"}])";

TEST(InteractionMapping, CurrentConventionsMakeAPromptAndAResponseSharingTheRequest) {
  Span span = ChatSpan(2, {Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.request.model", "gpt-4o"),
                           Attr("gen_ai.conversation.id", "conv-7"), Attr("user.id", "avery@contoso.example"),
                           Attr("gen_ai.input.messages", kInput), Attr("gen_ai.output.messages", kOutput)});
  Mapping m = MapTraces(Traces({span}), Fixed("IPM.Contoso.Assistant"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(m.rejected, 0u);
  const model::Interaction& prompt = Item(m, 0);
  const model::Interaction& response = Item(m, 1);
  EXPECT_EQ(prompt.interaction_type, model::InteractionType::kUserPrompt);
  EXPECT_EQ(response.interaction_type, model::InteractionType::kAiResponse);
  EXPECT_EQ(prompt.request_id, response.request_id);
  EXPECT_EQ(*prompt.request_id, "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a01-0b0b0b0b0b0b0b02");
  EXPECT_EQ(prompt.id, "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a01-0b0b0b0b0b0b0b02-prompt");
  EXPECT_EQ(response.id, "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a01-0b0b0b0b0b0b0b02-response");
  EXPECT_EQ(*prompt.session_id, "conv-7");
  EXPECT_EQ(prompt.app_class, "IPM.Contoso.Assistant");
  EXPECT_EQ(m.items[0].item.user_id, "avery@contoso.example");
  EXPECT_EQ(prompt.created.ToString(), "2026-01-01T00:00:02.0000000Z");
  EXPECT_EQ(response.created.ToString(), "2026-01-01T00:00:02.2500000Z");
  // The prompt is what this call added: the tool's result (the earlier turn was recorded by its own call).
  EXPECT_EQ(*prompt.body->content, "");
  ASSERT_EQ(prompt.attachments.size(), 1u);
  EXPECT_EQ(*prompt.attachments[0].attachment_id, "call_1");
  EXPECT_EQ(*prompt.attachments[0].name, "get_weather");
  EXPECT_EQ(*prompt.attachments[0].content, "18C and sunny");
  EXPECT_EQ(*response.body->content, "It is 18C and sunny in Paris.");
  EXPECT_EQ(*response.from->application->display_name, "gpt-4o");
  EXPECT_EQ(*response.from->application->id, "writer-app");
  EXPECT_EQ(*prompt.from->user->id, "avery@contoso.example");
}

TEST(InteractionMapping, TheFirstTurnCarriesTheUserTextAndTheSystemInstructions) {
  Span span = ChatSpan(1, {Attr("user.id", "u1"),
                           Attr("gen_ai.input.messages",
                                R"([{"role":"system","parts":[{"type":"text","content":"Be brief."}]},
                                    {"role":"user","parts":[{"type":"text","content":"Weather in Paris?"},
                                     {"type":"uri","uri":"https://contoso.example/paris.png","modality":"image"}]}])"),
                           Attr("gen_ai.output.messages",
                                R"([{"role":"assistant","parts":[{"type":"reasoning","content":"need a tool"},
                                    {"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}]}])")});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  const model::Interaction& prompt = Item(m, 0);
  EXPECT_EQ(*prompt.body->content, "Weather in Paris?");
  ASSERT_EQ(prompt.attachments.size(), 1u);
  EXPECT_EQ(*prompt.attachments[0].name, "system instructions");
  EXPECT_EQ(*prompt.attachments[0].content, "Be brief.");
  ASSERT_EQ(prompt.contexts.size(), 1u);
  EXPECT_EQ(*prompt.contexts[0].context_reference, "https://contoso.example/paris.png");
  const model::Interaction& response = Item(m, 1);
  ASSERT_EQ(response.attachments.size(), 2u);
  EXPECT_EQ(*response.attachments[0].name, "reasoning");
  EXPECT_EQ(*response.attachments[1].content_type, "application/vnd.opentelemetry.gen-ai.tool-call+json");
  EXPECT_EQ(*response.attachments[1].attachment_id, "call_1");
  EXPECT_EQ(*response.attachments[1].name, "get_weather");
  EXPECT_EQ(*response.attachments[1].content, "{\"city\":\"Paris\"}");
  // No conversation named: the trace is the session.
  EXPECT_EQ(*prompt.session_id, "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a01");
}

TEST(InteractionMapping, TheSameSpanMapsToTheSameInteractions) {
  Span span = ChatSpan(3, {Attr("user.id", "u1"), Attr("gen_ai.input.messages", kInput),
                           Attr("gen_ai.output.messages", kOutput)});
  Mapping a = MapTraces(Traces({span}), Fixed("app"), Options());
  Mapping b = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(a.items.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(model::WriteInteraction(Item(a, i)), model::WriteInteraction(Item(b, i)));
}

TEST(InteractionMapping, TheDetailsEventCarriesTheCurrentConventions) {
  Span span = ChatSpan(1, {Attr("gen_ai.operation.name", "chat"), Attr("enduser.id", "u2")});
  span.events.push_back(SpanEvent{1, "gen_ai.client.inference.operation.details",
                                  {Attr("gen_ai.input.messages", Array({List({Attr("role", "user"),
                                                                             Attr("parts", Array({List({Attr("type", "text"), Attr("content", "hi")})}))})})),
                                   Attr("gen_ai.output.messages", kOutput)}});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(*Item(m, 0).body->content, "hi");
  EXPECT_EQ(m.items[0].item.user_id, "u2");
  EXPECT_EQ(*Item(m, 1).body->content, "It is 18C and sunny in Paris.");
}

TEST(InteractionMapping, OpenLlmetryFlatAttributes) {
  Span span = ChatSpan(1, {Attr("llm.request.type", "chat"), Attr("traceloop.association.properties.user_id", "u3"),
                           Attr("traceloop.association.properties.session_id", "s3"),
                           Attr("gen_ai.prompt.0.role", "user"), Attr("gen_ai.prompt.0.content", "Weather?"),
                           Attr("gen_ai.prompt.1.role", "assistant"),
                           Attr("gen_ai.prompt.1.tool_calls.0.id", "c9"),
                           Attr("gen_ai.prompt.1.tool_calls.0.name", "get_weather"),
                           Attr("gen_ai.prompt.1.tool_calls.0.arguments", "{}"),
                           Attr("gen_ai.prompt.2.role", "tool"), Attr("gen_ai.prompt.2.tool_call_id", "c9"),
                           Attr("gen_ai.prompt.2.content", "rain"),
                           Attr("gen_ai.completion.0.role", "assistant"),
                           Attr("gen_ai.completion.0.content", "Rain today."),
                           Attr("gen_ai.completion.0.finish_reason", "stop")});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(m.items[0].item.user_id, "u3");
  EXPECT_EQ(*Item(m, 0).session_id, "s3");
  ASSERT_EQ(Item(m, 0).attachments.size(), 1u);
  EXPECT_EQ(*Item(m, 0).attachments[0].content, "rain");
  EXPECT_EQ(*Item(m, 0).attachments[0].name, "get_weather");
  EXPECT_EQ(*Item(m, 1).body->content, "Rain today.");
}

TEST(InteractionMapping, OpenInferenceFlatAttributes) {
  Span span = ChatSpan(1, {Attr("openinference.span.kind", "LLM"), Attr("user.id", "u4"), Attr("session.id", "s4"),
                           Attr("llm.model_name", "gpt-4o-mini"),
                           Attr("llm.input_messages.0.message.role", "user"),
                           Attr("llm.input_messages.0.message.contents.0.message_content.type", "text"),
                           Attr("llm.input_messages.0.message.contents.0.message_content.text", "Hello"),
                           Attr("llm.output_messages.0.message.role", "assistant"),
                           Attr("llm.output_messages.0.message.tool_calls.0.tool_call.id", "c1"),
                           Attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "lookup"),
                           Attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", "{\"q\":1}"),
                           Attr("input.value", "{\"messages\":[]}"), Attr("output.value", "{}")});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(*Item(m, 0).body->content, "Hello");
  EXPECT_EQ(*Item(m, 0).session_id, "s4");
  ASSERT_EQ(Item(m, 1).attachments.size(), 1u);
  EXPECT_EQ(*Item(m, 1).attachments[0].name, "lookup");
  EXPECT_EQ(*Item(m, 1).attachments[0].content, "{\"q\":1}");
  EXPECT_EQ(*Item(m, 1).from->application->display_name, "gpt-4o-mini");
  // A CHAIN span is no model call.
  Span chain = ChatSpan(2, {Attr("openinference.span.kind", "CHAIN"), Attr("input.value", "x")});
  EXPECT_EQ(MapTraces(Traces({chain}), Fixed("app"), Options()).not_genai, 1u);
}

TEST(InteractionMapping, OpenInferenceValuesWithoutMessages) {
  Span span = ChatSpan(1, {Attr("openinference.span.kind", "LLM"), Attr("user.id", "u4"), Attr("input.value", "Q"),
                           Attr("output.value", "A")});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(*Item(m, 0).body->content, "Q");
  EXPECT_EQ(*Item(m, 1).body->content, "A");
}

TEST(InteractionMapping, OlderEventFormOnSpanEvents) {
  Span span = ChatSpan(1, {Attr("gen_ai.system", "openai"), Attr("user.id", "u5")});
  span.events.push_back(SpanEvent{1, "gen_ai.user.message", {Attr("content", "Hi there")}});
  span.events.push_back(SpanEvent{2, "gen_ai.choice", {Attr("gen_ai.event.content",
                                                            R"({"index":0,"finish_reason":"stop","message":{"content":"Hello!"}})")}});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(*Item(m, 0).body->content, "Hi there");
  EXPECT_EQ(*Item(m, 1).body->content, "Hello!");
}

TEST(InteractionMapping, LiteLlmContentEvents) {
  Span span = ChatSpan(1, {Attr("gen_ai.system", "openai"), Attr("user.id", "u6")});
  span.events.push_back(SpanEvent{1, "gen_ai.content.prompt",
                                  {Attr("gen_ai.prompt", R"([{"role":"user","content":"What is 2+2?"}])")}});
  span.events.push_back(SpanEvent{2, "gen_ai.content.completion",
                                  {Attr("gen_ai.completion", R"([{"role":"assistant","content":"4"}])")}});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(*Item(m, 0).body->content, "What is 2+2?");
  EXPECT_EQ(*Item(m, 1).body->content, "4");
}

TEST(InteractionMapping, OlderEventFormOnLogRecordsIsGroupedBySpan) {
  Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = {Attr("service.name", "svc"), Attr("enduser.id", "u7")};
  auto record = [](const char* name, AnyValue body, uint64_t time) {
    LogRecord log;
    log.event_name = name;
    log.body = std::move(body);
    log.time_unix_nano = time;
    log.trace_id = TraceId(4);
    log.span_id = SpanId(5);
    return log;
  };
  t.resources[0].logs.push_back(record("gen_ai.user.message", List({Attr("content", "Weather?")}), 1767225600000000000ull));
  LogRecord noise;
  noise.body = Str("GET /health 200");
  t.resources[0].logs.push_back(noise);
  t.resources[0].logs.push_back(record(
      "gen_ai.choice",
      List({Attr("index", Int(0)), Attr("finish_reason", "tool_calls"),
             Attr("message", List({Attr("tool_calls", Array({List({Attr("id", "c1"), Attr("type", "function"),
                                                                 Attr("function", List({Attr("name", "get_weather"),
                                                                                        Attr("arguments", "{}")}))})}))}))}),
      1767225601000000000ull));
  Mapping m = MapLogs(t, Fixed("app"), Options());
  EXPECT_EQ(m.received, 3u);
  EXPECT_EQ(m.not_genai, 1u);
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_EQ(m.records_of_exchange, std::vector<size_t>{2});
  EXPECT_EQ(*Item(m, 0).body->content, "Weather?");
  EXPECT_EQ(m.items[0].item.user_id, "u7");
  ASSERT_EQ(Item(m, 1).attachments.size(), 1u);
  EXPECT_EQ(*Item(m, 1).attachments[0].name, "get_weather");
  EXPECT_EQ(Item(m, 1).created.ToString(), "2026-01-01T00:00:01.0000000Z");
  EXPECT_EQ(Item(m, 0).id, "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a04-0b0b0b0b0b0b0b05-prompt");
}

TEST(InteractionMapping, NonGenAiSpansAreSkippedAndCounted) {
  Span http = ChatSpan(1, {Attr("http.request.method", "GET")});
  Span embeddings = ChatSpan(2, {Attr("gen_ai.operation.name", "embeddings"), Attr("gen_ai.request.model", "e")});
  Mapping m = MapTraces(Traces({http, embeddings}), Fixed("app"), Options());
  EXPECT_EQ(m.received, 2u);
  EXPECT_EQ(m.not_genai, 2u);
  EXPECT_TRUE(m.items.empty());
  EXPECT_EQ(m.rejected, 0u);
}

TEST(InteractionMapping, ContentlessCallsAreCountedAndRecordedOnlyWhenConfigured) {
  Span span = ChatSpan(1, {Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.request.model", "gpt-4o"),
                           Attr("user.id", "u8")});
  Mapping counted = MapTraces(Traces({span}), Fixed("app"), Options());
  EXPECT_EQ(counted.contentless, 1u);
  EXPECT_TRUE(counted.items.empty());
  MappingOptions record = Options();
  record.record_contentless = true;
  Mapping recorded = MapTraces(Traces({span}), Fixed("app"), record);
  EXPECT_EQ(recorded.contentless, 1u);
  ASSERT_EQ(recorded.items.size(), 2u);
  EXPECT_EQ(*Item(recorded, 0).body->content, "");
  EXPECT_EQ(*Item(recorded, 1).body->content, "");
}

TEST(InteractionMapping, ACallWithoutAUserIsRefusedNamingTheAttributes) {
  Span span = ChatSpan(1, {Attr("gen_ai.input.messages", kInput), Attr("gen_ai.output.messages", kOutput)});
  Mapping m = MapTraces(Traces({span}), Fixed("app"), Options());
  ASSERT_EQ(m.items.size(), 2u);
  EXPECT_FALSE(m.items[0].status.ok());
  EXPECT_NE(m.items[0].status.message().find("user.id or enduser.id"), std::string::npos);
}

TEST(InteractionMapping, UnreadableMessagesAndAMissingSourceRejectTheSpan) {
  Span bad = ChatSpan(1, {Attr("user.id", "u"), Attr("gen_ai.input.messages", "[not json")});
  Mapping m = MapTraces(Traces({bad}), Fixed("app"), Options());
  EXPECT_EQ(m.rejected, 1u);
  ASSERT_EQ(m.rejections.size(), 1u);
  EXPECT_NE(m.rejections[0].find("gen_ai.input.messages is not valid JSON"), std::string::npos) << m.rejections[0];

  Span good = ChatSpan(2, {Attr("user.id", "u"), Attr("gen_ai.input.messages", kInput)});
  AppClassOf none = [](const Attributes&) -> Result<std::string> { return Status::Forbidden("no source"); };
  Mapping refused = MapTraces(Traces({good}), none, Options());
  EXPECT_EQ(refused.rejected, 1u);
  EXPECT_TRUE(refused.items.empty());
  EXPECT_NE(refused.rejections[0].find("no source"), std::string::npos);
}

TEST(InteractionMapping, LogRecordsOfOneCallSplitAcrossExportsRecordEachSideOnce) {
  auto export_of = [](const char* name, AnyValue body) {
    Telemetry t;
    t.resources.emplace_back();
    t.resources[0].resource = {Attr("enduser.id", "u9")};
    LogRecord log;
    log.event_name = name;
    log.body = std::move(body);
    log.time_unix_nano = 1767225600000000000ull;
    log.trace_id = TraceId(6);
    log.span_id = SpanId(7);
    t.resources[0].logs.push_back(log);
    return t;
  };
  // The SDK's batch ended between the prompt's events and the choice: two exports of one call.
  Mapping first = MapLogs(export_of("gen_ai.user.message", List({Attr("content", "Q")})), Fixed("app"), Options());
  Mapping second = MapLogs(export_of("gen_ai.choice", List({Attr("message", List({Attr("content", "A")}))})),
                           Fixed("app"), Options());
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(Item(first, 0).interaction_type, model::InteractionType::kUserPrompt);
  EXPECT_EQ(*Item(first, 0).body->content, "Q");
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(Item(second, 0).interaction_type, model::InteractionType::kAiResponse);
  EXPECT_EQ(*Item(second, 0).body->content, "A");
  EXPECT_EQ(*Item(first, 0).request_id, *Item(second, 0).request_id);
}

}  // namespace
}  // namespace aih::otlp
