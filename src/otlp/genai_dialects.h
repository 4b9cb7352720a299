// The GenAI dialects in use, read into Exchanges (exchange.h). One span (or the log records of one
// span) is one model call. What each dialect carries, and where:
//  - current GenAI conventions: gen_ai.input.messages, gen_ai.output.messages and
//    gen_ai.system_instructions (structured parts, or the same as a JSON string), as span attributes or
//    on a gen_ai.client.inference.operation.details event (a span event or a log record);
//  - the older event form: gen_ai.system.message, gen_ai.user.message, gen_ai.assistant.message,
//    gen_ai.tool.message and gen_ai.choice, as span events or log records (the body, or the
//    gen_ai.event.content attribute, holding {content, tool_calls, id, message, finish_reason});
//  - OpenLLMetry's flat gen_ai.prompt.N.* / gen_ai.completion.N.* (role, content, tool_call_id,
//    finish_reason, tool_calls.M.{id,name,arguments});
//  - OpenInference's llm.input_messages.N.message.* / llm.output_messages.N.message.* (role,
//    content, contents.M.message_content.{type,text,image.image.url}, tool_call_id,
//    tool_calls.M.tool_call.{id,function.name,function.arguments}), else input.value / output.value;
//  - LiteLLM's gen_ai.content.prompt / gen_ai.content.completion span events (gen_ai.prompt /
//    gen_ai.completion: OpenAI-shaped messages as JSON).
// The conversation is gen_ai.conversation.id, session.id or OpenLLMetry's association property; the
// user user.id, enduser.id or the association property user_id, on the span (or record) first, then
// the resource. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "base/status.h"
#include "otlp/exchange.h"
#include "otlp/telemetry.h"

namespace aih::otlp {

struct ReadExchange {
  Status status;  // failed: the span's GenAI content could not be read, and why
  Exchange exchange;
};

// nullopt when the span is no model call: not GenAI at all, or a GenAI operation that exchanges no
// messages (embeddings, a tool's execution, an agent's creation). Otherwise its exchange, whose
// messages may carry no content (HasContent) when the instrumentation did not capture it.
std::optional<ReadExchange> ReadSpan(const Span& span, const Attributes& resource);

struct LogReading {
  std::vector<ReadExchange> exchanges;  // one per span the GenAI records belong to, in first-seen order
  size_t not_genai = 0;                 // records that are no GenAI event
};
// The GenAI event records among `logs`, grouped by the span they belong to. A GenAI record without a
// span context is an exchange of its own that fails (nothing ties it to the rest of its call). An
// exchange says which side its records describe (input events: the prompt; choices: the response).
LogReading ReadLogs(const std::vector<LogRecord>& logs, const Attributes& resource);

}  // namespace aih::otlp
