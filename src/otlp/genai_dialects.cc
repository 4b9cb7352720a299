#include "otlp/genai_dialects.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "otlp/json_decoder.h"

namespace aih::otlp {
namespace {

using Kind = MessagePart::Kind;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Text(const AnyValue* v) { return v ? v->ToText() : std::string(); }

// A value the dialects may send structured or as JSON text: the structured form.
Result<AnyValue> Structured(const AnyValue& v, std::string_view what) {
  if (v.kind != AnyValue::Kind::kString) return v;
  size_t first = v.text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || (v.text[first] != '[' && v.text[first] != '{')) return v;
  auto parsed = ParseJsonValue(v.text);
  if (!parsed.ok()) return Status::BadRequest(std::string(what) + " is " + parsed.status().message());
  return parsed;
}

// Arguments and responses: text as sent, anything structured as JSON.
std::string AsText(const AnyValue* v) {
  if (!v) return {};
  return v->kind == AnyValue::Kind::kString ? v->text : v->ToJson();
}

// --- The current conventions' structured parts ---

MessagePart PartOf(const AnyValue& p) {
  MessagePart part;
  std::string type = Text(p.Find("type"));
  if (type == "text" || (type.empty() && p.Find("content"))) {
    part.kind = Kind::kText;
    part.content = Text(p.Find("content"));
  } else if (type == "tool_call") {
    part.kind = Kind::kToolCall;
    part.id = Text(p.Find("id"));
    part.name = Text(p.Find("name"));
    part.arguments = AsText(p.Find("arguments"));
  } else if (type == "tool_call_response") {
    part.kind = Kind::kToolCallResponse;
    part.id = Text(p.Find("id"));
    const AnyValue* response = p.Find("response");
    part.content = AsText(response ? response : p.Find("result"));
  } else if (type == "blob") {
    part.kind = Kind::kBlob;
    part.mime_type = Text(p.Find("mime_type"));
    part.modality = Text(p.Find("modality"));
    part.content = Text(p.Find("content"));
  } else if (type == "file") {
    part.kind = Kind::kFile;
    part.id = Text(p.Find("file_id"));
    part.mime_type = Text(p.Find("mime_type"));
    part.modality = Text(p.Find("modality"));
  } else if (type == "uri") {
    part.kind = Kind::kUri;
    part.uri = Text(p.Find("uri"));
    part.mime_type = Text(p.Find("mime_type"));
    part.modality = Text(p.Find("modality"));
  } else if (type == "reasoning") {
    part.kind = Kind::kReasoning;
    part.content = Text(p.Find("content"));
  } else {
    part.kind = Kind::kOther;
    part.name = type;
    part.content = p.ToJson();
  }
  return part;
}

std::vector<MessagePart> PartsOf(const AnyValue* parts) {
  std::vector<MessagePart> out;
  if (!parts) return out;
  if (parts->kind == AnyValue::Kind::kString) {
    if (!parts->text.empty()) out.push_back(MessagePart{Kind::kText, parts->text});
    return out;
  }
  for (const AnyValue& p : parts->array) out.push_back(PartOf(p));
  return out;
}

Result<std::vector<Message>> CurrentMessages(const AnyValue* value, std::string_view what) {
  std::vector<Message> out;
  if (!value) return out;
  AIH_ASSIGN_OR_RETURN(AnyValue messages, Structured(*value, what));
  if (messages.kind != AnyValue::Kind::kArray) {
    return Status::BadRequest(std::string(what) + " is not an array of messages");
  }
  for (const AnyValue& m : messages.array) {
    Message message;
    message.role = Text(m.Find("role"));
    message.parts = PartsOf(m.Find("parts"));
    message.finish_reason = Text(m.Find("finish_reason"));
    out.push_back(std::move(message));
  }
  return out;
}

Result<std::optional<Message>> SystemInstructions(const AnyValue* value) {
  if (!value) return std::optional<Message>();
  AIH_ASSIGN_OR_RETURN(AnyValue parts, Structured(*value, "gen_ai.system_instructions"));
  Message system{"system", {}, {}};
  if (parts.kind == AnyValue::Kind::kArray) {
    system.parts = PartsOf(&parts);
  } else {
    system.parts.push_back(MessagePart{Kind::kText, parts.ToText()});
  }
  return std::optional<Message>(std::move(system));
}

// The conventions' three attributes on `attributes`: false when none is there.
Result<bool> ReadCurrent(const Attributes& attributes, Exchange& out) {
  const AnyValue* input = FindAttribute(attributes, "gen_ai.input.messages");
  const AnyValue* output = FindAttribute(attributes, "gen_ai.output.messages");
  const AnyValue* system = FindAttribute(attributes, "gen_ai.system_instructions");
  if (!input && !output && !system) return false;
  AIH_ASSIGN_OR_RETURN(auto instructions, SystemInstructions(system));
  AIH_ASSIGN_OR_RETURN(out.input, CurrentMessages(input, "gen_ai.input.messages"));
  AIH_ASSIGN_OR_RETURN(out.output, CurrentMessages(output, "gen_ai.output.messages"));
  if (instructions) out.input.insert(out.input.begin(), std::move(*instructions));
  out.dialect = "gen_ai.input.messages";
  return true;
}

// --- OpenAI-shaped messages (the older events, LiteLLM, input.value) ---

void AppendOpenAiContent(const AnyValue* content, Message& out) {
  if (!content || content->kind == AnyValue::Kind::kEmpty) return;
  if (content->kind != AnyValue::Kind::kArray) {
    std::string text = content->ToText();
    if (!text.empty()) out.parts.push_back(MessagePart{Kind::kText, std::move(text)});
    return;
  }
  for (const AnyValue& block : content->array) {
    std::string type = Text(block.Find("type"));
    if (type == "text" || type == "input_text" || type == "output_text") {
      out.parts.push_back(MessagePart{Kind::kText, Text(block.Find("text"))});
    } else if (type == "image_url") {
      const AnyValue* image = block.Find("image_url");
      MessagePart part{Kind::kUri};
      part.uri = image && image->kind == AnyValue::Kind::kKvList ? Text(image->Find("url")) : Text(image);
      part.modality = "image";
      out.parts.push_back(std::move(part));
    } else {
      out.parts.push_back(PartOf(block));
    }
  }
}

void AppendOpenAiToolCalls(const AnyValue* calls, Message& out) {
  if (!calls) return;
  for (const AnyValue& call : calls->array) {
    MessagePart part{Kind::kToolCall};
    part.id = Text(call.Find("id"));
    const AnyValue* function = call.Find("function");
    part.name = Text(function ? function->Find("name") : call.Find("name"));
    part.arguments = AsText(function ? function->Find("arguments") : call.Find("arguments"));
    out.parts.push_back(std::move(part));
  }
}

Message OpenAiMessage(const AnyValue& m, std::string role) {
  Message out;
  std::string named = Text(m.Find("role"));
  out.role = named.empty() ? std::move(role) : named;
  const AnyValue* call_id = m.Find("tool_call_id");
  if (!call_id && out.role == "tool") call_id = m.Find("id");
  if (call_id && out.role == "tool") {
    MessagePart part{Kind::kToolCallResponse};
    part.id = call_id->ToText();
    part.content = AsText(m.Find("content"));
    out.parts.push_back(std::move(part));
  } else {
    AppendOpenAiContent(m.Find("content"), out);
  }
  AppendOpenAiToolCalls(m.Find("tool_calls"), out);
  out.finish_reason = Text(m.Find("finish_reason"));
  return out;
}

// --- The older event form ---

// The role an older GenAI event carries, "choice" for output, or empty for no such event.
std::string EventRole(std::string_view name) {
  if (name == "gen_ai.system.message") return "system";
  if (name == "gen_ai.user.message") return "user";
  if (name == "gen_ai.assistant.message") return "assistant";
  if (name == "gen_ai.tool.message") return "tool";
  if (name == "gen_ai.choice") return "choice";
  return {};
}

constexpr std::string_view kDetailsEvent = "gen_ai.client.inference.operation.details";

// Adds one older-form event's message to `out`; `body` is its payload.
void AddEventMessage(const std::string& role, const AnyValue& body, Exchange& out) {
  if (role == "choice") {
    const AnyValue* message = body.Find("message");
    Message m = message ? OpenAiMessage(*message, "assistant") : Message{"assistant", {}, {}};
    std::string finish = Text(body.Find("finish_reason"));
    if (!finish.empty()) m.finish_reason = finish;
    out.output.push_back(std::move(m));
  } else {
    out.input.push_back(OpenAiMessage(body, role));
  }
}

// A span event's payload: gen_ai.event.content (JSON), else its attributes as a list.
Result<AnyValue> SpanEventBody(const SpanEvent& event) {
  if (const AnyValue* content = FindAttribute(event.attributes, "gen_ai.event.content")) {
    return Structured(*content, "gen_ai.event.content");
  }
  AnyValue body;
  body.kind = AnyValue::Kind::kKvList;
  body.kvlist = event.attributes;
  return body;
}

// --- OpenLLMetry's and OpenInference's flat attributes ---

struct FlatMessage {
  std::map<std::string, const AnyValue*> fields;
  std::map<long, std::map<std::string, const AnyValue*>> tool_calls, contents;
};

// "12.rest" -> (12, "rest"); false when `key` does not start so.
bool SplitIndex(std::string_view key, long& index, std::string_view& rest) {
  size_t dot = key.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot > 9) return false;
  index = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (key[i] < '0' || key[i] > '9') return false;
    index = index * 10 + (key[i] - '0');
  }
  rest = key.substr(dot + 1);
  return true;
}

std::map<long, FlatMessage> CollectFlat(const Attributes& attributes, std::string_view prefix, std::string_view strip,
                                        std::string_view call_strip, std::string_view content_strip) {
  std::map<long, FlatMessage> out;
  for (const Attribute& a : attributes) {
    if (!StartsWith(a.key, prefix)) continue;
    long index;
    std::string_view rest;
    if (!SplitIndex(std::string_view(a.key).substr(prefix.size()), index, rest)) continue;
    if (StartsWith(rest, strip)) rest.remove_prefix(strip.size());
    FlatMessage& m = out[index];
    long sub;
    std::string_view subrest;
    if (StartsWith(rest, "tool_calls.") && SplitIndex(rest.substr(11), sub, subrest)) {
      if (StartsWith(subrest, call_strip)) subrest.remove_prefix(call_strip.size());
      m.tool_calls[sub][std::string(subrest)] = &a.value;
    } else if (StartsWith(rest, "contents.") && SplitIndex(rest.substr(9), sub, subrest)) {
      if (StartsWith(subrest, content_strip)) subrest.remove_prefix(content_strip.size());
      m.contents[sub][std::string(subrest)] = &a.value;
    } else {
      m.fields[std::string(rest)] = &a.value;
    }
  }
  return out;
}

const AnyValue* Field(const std::map<std::string, const AnyValue*>& fields, std::string_view a,
                      std::string_view b = {}) {
  auto it = fields.find(std::string(a));
  if (it != fields.end()) return it->second;
  if (!b.empty()) {
    it = fields.find(std::string(b));
    if (it != fields.end()) return it->second;
  }
  return nullptr;
}

std::vector<Message> FlatMessages(const std::map<long, FlatMessage>& flat) {
  std::vector<Message> out;
  for (const auto& [index, m] : flat) {
    Message message;
    message.role = Text(Field(m.fields, "role"));
    const AnyValue* content = Field(m.fields, "content");
    const AnyValue* call_id = Field(m.fields, "tool_call_id");
    if (call_id && (message.role == "tool" || message.role.empty())) {
      MessagePart part{Kind::kToolCallResponse};
      part.id = call_id->ToText();
      part.content = AsText(content);
      message.parts.push_back(std::move(part));
    } else if (content && !content->ToText().empty()) {
      message.parts.push_back(MessagePart{Kind::kText, content->ToText()});
    }
    for (const auto& [i, c] : m.contents) {
      std::string type = Text(Field(c, "type"));
      if (type == "image") {
        MessagePart part{Kind::kUri};
        part.uri = Text(Field(c, "image.image.url", "image.url"));
        part.modality = "image";
        message.parts.push_back(std::move(part));
      } else {
        message.parts.push_back(MessagePart{Kind::kText, Text(Field(c, "text"))});
      }
    }
    for (const auto& [i, c] : m.tool_calls) {
      MessagePart part{Kind::kToolCall};
      part.id = Text(Field(c, "id"));
      part.name = Text(Field(c, "function.name", "name"));
      part.arguments = AsText(Field(c, "function.arguments", "arguments"));
      message.parts.push_back(std::move(part));
    }
    if (const AnyValue* call = Field(m.fields, "function_call.name")) {  // the deprecated function call
      MessagePart part{Kind::kToolCall};
      part.name = call->ToText();
      part.arguments = AsText(Field(m.fields, "function_call.arguments"));
      message.parts.push_back(std::move(part));
    }
    message.finish_reason = Text(Field(m.fields, "finish_reason"));
    out.push_back(std::move(message));
  }
  return out;
}

// --- Who, which conversation ---

std::string FirstOf(const Attributes& first, const Attributes& second, std::initializer_list<std::string_view> keys) {
  for (const Attributes* attributes : {&first, &second}) {
    for (std::string_view key : keys) {
      std::string v = AttributeText(*attributes, key);
      if (!v.empty()) return v;
    }
  }
  return {};
}

void Identify(const Attributes& attributes, const Attributes& resource, Exchange& out) {
  if (out.conversation_id.empty()) {
    out.conversation_id = FirstOf(attributes, resource,
                                  {"gen_ai.conversation.id", "session.id", "traceloop.association.properties.session_id",
                                   "traceloop.association.properties.conversation_id"});
  }
  if (out.user.empty()) {
    out.user = FirstOf(attributes, resource,
                       {"user.id", "enduser.id", "traceloop.association.properties.user_id"});
  }
  if (out.model.empty()) {
    out.model = FirstOf(attributes, resource, {"gen_ai.response.model", "gen_ai.request.model", "llm.model_name"});
  }
}

bool IsGenAiKey(std::string_view key) {
  return StartsWith(key, "gen_ai.") || StartsWith(key, "llm.") || key == "openinference.span.kind";
}

}  // namespace

std::optional<ReadExchange> ReadSpan(const Span& span, const Attributes& resource) {
  const std::string openinference = AttributeText(span.attributes, "openinference.span.kind");
  if (!openinference.empty() && openinference != "LLM") return std::nullopt;
  const std::string operation = AttributeText(span.attributes, "gen_ai.operation.name");
  if (operation == "embeddings" || operation == "execute_tool" || operation == "create_agent") return std::nullopt;
  const std::string request_type = AttributeText(span.attributes, "llm.request.type");
  if (request_type == "embedding" || request_type == "rerank") return std::nullopt;
  bool genai = std::any_of(span.attributes.begin(), span.attributes.end(),
                           [](const Attribute& a) { return IsGenAiKey(a.key); });
  for (const SpanEvent& e : span.events) genai = genai || StartsWith(e.name, "gen_ai.");
  if (!genai) return std::nullopt;

  ReadExchange read;
  Exchange& x = read.exchange;
  x.trace_id = span.trace_id;
  x.span_id = span.span_id;
  x.start_unix_nano = span.start_time_unix_nano;
  x.end_unix_nano = span.end_time_unix_nano;
  auto fail = [&](const Status& status) {
    read.status = status;
    return read;
  };

  // The first dialect that carries messages wins: a span emits one.
  auto current = ReadCurrent(span.attributes, x);
  if (!current.ok()) return fail(current.status());
  if (!*current) {
    for (const SpanEvent& e : span.events) {
      if (e.name != kDetailsEvent) continue;
      auto found = ReadCurrent(e.attributes, x);
      if (!found.ok()) return fail(found.status());
      Identify(e.attributes, {}, x);
      if (*found) break;
    }
  }
  if (x.input.empty() && x.output.empty()) {
    x.input = FlatMessages(CollectFlat(span.attributes, "gen_ai.prompt.", "", "", ""));
    x.output = FlatMessages(CollectFlat(span.attributes, "gen_ai.completion.", "", "", ""));
    x.dialect = "gen_ai.prompt.N";
  }
  if (x.input.empty() && x.output.empty()) {
    x.input = FlatMessages(CollectFlat(span.attributes, "llm.input_messages.", "message.", "tool_call.", "message_content."));
    x.output = FlatMessages(CollectFlat(span.attributes, "llm.output_messages.", "message.", "tool_call.", "message_content."));
    x.dialect = "llm.input_messages";
  }
  if (x.input.empty() && x.output.empty()) {
    x.dialect = "gen_ai events";
    for (const SpanEvent& e : span.events) {
      std::string role = EventRole(e.name);
      if (role.empty()) continue;
      auto body = SpanEventBody(e);
      if (!body.ok()) return fail(body.status());
      AddEventMessage(role, *body, x);
    }
  }
  if (x.input.empty() && x.output.empty()) {  // LiteLLM
    x.dialect = "gen_ai.content events";
    for (const SpanEvent& e : span.events) {
      const bool prompt = e.name == "gen_ai.content.prompt";
      if (!prompt && e.name != "gen_ai.content.completion") continue;
      const AnyValue* payload = FindAttribute(e.attributes, prompt ? "gen_ai.prompt" : "gen_ai.completion");
      if (!payload) continue;
      auto messages = Structured(*payload, prompt ? "gen_ai.prompt" : "gen_ai.completion");
      if (!messages.ok()) return fail(messages.status());
      std::vector<Message>& into = prompt ? x.input : x.output;
      if (messages->kind == AnyValue::Kind::kArray) {
        for (const AnyValue& m : messages->array) into.push_back(OpenAiMessage(m, prompt ? "user" : "assistant"));
      } else if (!messages->ToText().empty()) {
        into.push_back(Message{prompt ? "user" : "assistant", {MessagePart{Kind::kText, messages->ToText()}}, {}});
      }
    }
  }
  if (x.input.empty() && x.output.empty()) {  // OpenInference without messages
    std::string in = AttributeText(span.attributes, "input.value");
    std::string out = AttributeText(span.attributes, "output.value");
    x.dialect = "input.value";
    if (!in.empty()) x.input.push_back(Message{"user", {MessagePart{Kind::kText, in}}, {}});
    if (!out.empty()) x.output.push_back(Message{"assistant", {MessagePart{Kind::kText, out}}, {}});
  }
  Identify(span.attributes, resource, x);
  return read;
}

LogReading ReadLogs(const std::vector<LogRecord>& logs, const Attributes& resource) {
  LogReading out;
  std::unordered_map<std::string, size_t> by_span;  // trace id + span id -> exchange
  std::vector<std::vector<const LogRecord*>> groups;
  std::vector<std::string> keys;
  for (const LogRecord& log : logs) {
    std::string name = log.event_name.empty() ? AttributeText(log.attributes, "event.name") : log.event_name;
    if (EventRole(name).empty() && name != kDetailsEvent) {
      ++out.not_genai;
      continue;
    }
    if (log.span_id.empty()) {
      ReadExchange lone;
      lone.status = Status::BadRequest("a GenAI event log record (" + name +
                                       ") has no span context, so it cannot be joined to the rest of its model call: "
                                       "emit it within the span of the call");
      out.exchanges.push_back(std::move(lone));
      continue;
    }
    std::string key = log.trace_id + log.span_id;
    auto [it, inserted] = by_span.emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(&log);
  }
  for (const auto& group : groups) {
    ReadExchange read;
    Exchange& x = read.exchange;
    x.trace_id = group.front()->trace_id;
    x.span_id = group.front()->span_id;
    x.records = group.size();
    x.dialect = "gen_ai events";
    uint64_t first = UINT64_MAX, last = 0;
    for (const LogRecord* log : group) {
      uint64_t t = log->time_unix_nano ? log->time_unix_nano : log->observed_time_unix_nano;
      std::string name = log->event_name.empty() ? AttributeText(log->attributes, "event.name") : log->event_name;
      if (name == kDetailsEvent) {
        Exchange details;
        auto found = ReadCurrent(log->attributes, details);
        if (!found.ok()) {
          read.status = found.status();
          break;
        }
        x.input.insert(x.input.end(), details.input.begin(), details.input.end());
        x.output.insert(x.output.end(), details.output.begin(), details.output.end());
        x.dialect = details.dialect;
      } else {
        AddEventMessage(EventRole(name), log->body, x);
      }
      first = std::min(first, t);
      last = std::max(last, t);
      Identify(log->attributes, {}, x);
    }
    x.has_prompt = false;
    x.has_response = false;
    for (const LogRecord* log : group) {
      std::string name = log->event_name.empty() ? AttributeText(log->attributes, "event.name") : log->event_name;
      if (name == kDetailsEvent) x.has_prompt = x.has_response = true;
      else if (EventRole(name) == "choice") x.has_response = true;
      else x.has_prompt = true;
    }
    x.start_unix_nano = first == UINT64_MAX ? 0 : first;
    x.end_unix_nano = last;
    Identify({}, resource, x);
    out.exchanges.push_back(std::move(read));
  }
  return out;
}

}  // namespace aih::otlp
