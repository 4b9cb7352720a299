#include "otlp/interaction_mapping.h"

#include <map>

#include "base/hex.h"
#include "otlp/genai_dialects.h"

namespace aih::otlp {
namespace {

using Kind = MessagePart::Kind;

constexpr size_t kMaxRejectionLines = 10;
constexpr const char* kToolCallType = "application/vnd.opentelemetry.gen-ai.tool-call+json";
constexpr const char* kToolResponseType = "application/vnd.opentelemetry.gen-ai.tool-call-response";
constexpr const char* kPartType = "application/vnd.opentelemetry.gen-ai.part+json";

model::OptString Opt(const std::string& s) { return s.empty() ? model::OptString() : model::OptString(s); }

model::Timestamp At(uint64_t unix_nano) {
  model::Timestamp t;
  t.ticks = static_cast<int64_t>(unix_nano / 100);
  t.fraction_digits = 7;
  return t;
}

bool IsAssistant(const std::string& role) { return role == "assistant" || role == "model"; }
bool IsInstructions(const std::string& role) { return role == "system" || role == "developer"; }

// Everything of `message` that is not body text, onto the interaction; body text appended to `text`.
void Place(const Message& message, bool output, const std::map<std::string, std::string>& tool_names,
           model::Interaction& into, std::string& text) {
  for (const MessagePart& part : message.parts) {
    switch (part.kind) {
      case Kind::kText:
        if (IsInstructions(message.role)) {
          into.attachments.push_back({std::nullopt, std::string("text/plain"), std::nullopt, part.content,
                                      std::string(message.role == "developer" ? "developer instructions"
                                                                              : "system instructions")});
        } else if (message.role == "tool") {
          into.attachments.push_back({std::nullopt, std::string(kToolResponseType), std::nullopt, part.content,
                                      std::nullopt});
        } else {
          if (!text.empty() && !part.content.empty()) text += "\n\n";
          text += part.content;
        }
        break;
      case Kind::kToolCall:
        into.attachments.push_back(
            {Opt(part.id), std::string(kToolCallType), std::nullopt, part.arguments, Opt(part.name)});
        break;
      case Kind::kToolCallResponse: {
        auto name = tool_names.find(part.id);
        into.attachments.push_back({Opt(part.id), std::string(kToolResponseType), std::nullopt, part.content,
                                    name == tool_names.end() ? std::nullopt : Opt(name->second)});
        break;
      }
      case Kind::kReasoning:
        into.attachments.push_back({std::nullopt, std::string("text/plain"), std::nullopt, part.content,
                                    std::string("reasoning")});
        break;
      case Kind::kBlob:
        into.attachments.push_back({std::nullopt, std::string(part.mime_type.empty() ? "application/octet-stream"
                                                                                      : part.mime_type),
                                    std::nullopt, part.content, Opt(part.modality)});
        break;
      case Kind::kFile:
        into.contexts.push_back({Opt(part.id), std::string("file"), Opt(part.mime_type.empty() ? part.modality
                                                                                               : part.mime_type)});
        break;
      case Kind::kUri:
        if (output) into.links.push_back({Opt(part.uri), Opt(part.modality.empty() ? "uri" : part.modality), std::nullopt});
        into.contexts.push_back({Opt(part.uri), std::string("uri"), Opt(part.modality)});
        break;
      case Kind::kOther:
        into.attachments.push_back({std::nullopt, std::string(kPartType), std::nullopt, part.content, Opt(part.name)});
        break;
    }
  }
}

void Reject(Mapping& out, size_t records, const std::string& why) {
  out.rejected += records;
  if (out.rejections.size() < kMaxRejectionLines) out.rejections.push_back(why);
}

// Adds one call's items (or counts it) to `out`.
void Add(const ReadExchange& read, const Result<std::string>& app_class, const MappingOptions& options,
         std::string_view what, Mapping& out) {
  const Exchange& x = read.exchange;
  const std::string name = std::string(what) + " " + Hex(x.span_id);
  if (!read.status.ok()) return Reject(out, x.records, name + ": " + read.status.message());
  if (!x.HasContent()) {
    ++out.contentless;
    if (!options.record_contentless) return;
  }
  if (!app_class.ok()) return Reject(out, x.records, name + ": " + app_class.status().message());
  if (x.span_id.empty()) return Reject(out, x.records, name + ": the span has no span id");
  const size_t exchange = out.records_of_exchange.size();
  out.records_of_exchange.push_back(x.records);
  out.name_of_exchange.push_back(name);
  std::vector<model::WriteItem> both = ToInteractions(x, *app_class, options);
  for (size_t side = 0; side < 2; ++side) {
    if (!(side == 0 ? x.has_prompt : x.has_response)) continue;
    model::WriteItem& item = both[side];
    model::ParsedItem parsed;
    if (x.user.empty()) {
      parsed.status = Status::BadRequest(
          "the call names no user: set the attribute user.id or enduser.id (object id or user principal name) "
                 "on the span or the resource, so that the interaction has its owner");
    }
    parsed.item = std::move(item);
    out.items.push_back(std::move(parsed));
    out.exchange_of_item.push_back(exchange);
  }
}

}  // namespace

std::vector<model::WriteItem> ToInteractions(const Exchange& x, const std::string& app_class,
                                             const MappingOptions& options) {
  const std::string trace = Hex(x.trace_id), span = Hex(x.span_id);
  const std::string request = trace + "-" + span;

  std::map<std::string, std::string> tool_names;  // call id -> tool, to name the responses
  for (const auto* messages : {&x.input, &x.output}) {
    for (const Message& m : *messages) {
      for (const MessagePart& p : m.parts) {
        if (p.kind == Kind::kToolCall && !p.id.empty()) tool_names[p.id] = p.name;
      }
    }
  }

  auto common = [&](model::Interaction& i, model::InteractionType type, const char* suffix, uint64_t at) {
    i.id = request + suffix;
    i.etag = i.id;
    i.session_id = x.conversation_id.empty() ? trace : x.conversation_id;
    i.request_id = request;
    i.app_class = app_class;
    i.interaction_type = type;
    i.created = At(at);
  };

  std::vector<model::WriteItem> out(2);
  model::Interaction& prompt = out[0].interaction;
  common(prompt, model::InteractionType::kUserPrompt, "-prompt", x.start_unix_nano ? x.start_unix_nano : x.end_unix_nano);
  size_t first_new = 0;
  for (size_t i = 0; i < x.input.size(); ++i) {
    if (IsAssistant(x.input[i].role)) first_new = i + 1;
  }
  std::string text;
  for (size_t i = first_new; i < x.input.size(); ++i) Place(x.input[i], /*output=*/false, tool_names, prompt, text);
  prompt.body = model::Body{"text", text};
  prompt.from = model::FromIdentitySet{std::nullopt, std::nullopt,
                                       model::UserIdentity{Opt(x.user), std::nullopt, std::string("aadUser"), std::nullopt}};

  model::Interaction& response = out[1].interaction;
  common(response, model::InteractionType::kAiResponse, "-response", std::max(x.end_unix_nano, x.start_unix_nano));
  text.clear();
  for (const Message& m : x.output) Place(m, /*output=*/true, tool_names, response, text);
  response.body = model::Body{"text", text};
  response.from = model::FromIdentitySet{
      model::ApplicationIdentity{Opt(options.writer_app_id), Opt(x.model), std::string("bot")}, std::nullopt,
      std::nullopt};
  for (model::WriteItem& item : out) item.user_id = x.user;
  return out;
}

Mapping MapTraces(const Telemetry& telemetry, const AppClassOf& app_class_of, const MappingOptions& options) {
  Mapping out;
  for (const ResourceTelemetry& resource : telemetry.resources) {
    out.received += resource.spans.size();
    std::optional<Result<std::string>> app_class;  // asked once per resource, when it has a call
    for (const Span& span : resource.spans) {
      std::optional<ReadExchange> read = ReadSpan(span, resource.resource);
      if (!read) {
        ++out.not_genai;
        continue;
      }
      if (!app_class) app_class = app_class_of(resource.resource);
      Add(*read, *app_class, options, "span", out);
    }
  }
  return out;
}

Mapping MapLogs(const Telemetry& telemetry, const AppClassOf& app_class_of, const MappingOptions& options) {
  Mapping out;
  for (const ResourceTelemetry& resource : telemetry.resources) {
    out.received += resource.logs.size();
    LogReading reading = ReadLogs(resource.logs, resource.resource);
    out.not_genai += reading.not_genai;
    if (reading.exchanges.empty()) continue;
    Result<std::string> app_class = app_class_of(resource.resource);
    for (const ReadExchange& read : reading.exchanges) Add(read, app_class, options, "the log records of span", out);
  }
  return out;
}

}  // namespace aih::otlp
