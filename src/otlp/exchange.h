// Exchange: one call of a model as the GenAI dialects describe it (genai_dialects.h), in one shape:
// the messages sent and the messages received, with who, when and in which conversation. The
// mapping (interaction_mapping.h) makes a userPrompt and an aiResponse of it. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aih::otlp {

// One part of a message, after the current GenAI conventions' part types.
struct MessagePart {
  enum class Kind { kText, kToolCall, kToolCallResponse, kBlob, kFile, kUri, kReasoning, kOther };
  MessagePart() = default;
  explicit MessagePart(Kind k, std::string text = {}) : kind(k), content(std::move(text)) {}

  Kind kind = Kind::kText;
  std::string content;    // kText, kReasoning: the text; kToolCallResponse: the response (text or JSON);
                          // kBlob: the data in base64; kOther: the whole part as JSON
  std::string id;         // kToolCall, kToolCallResponse: the call id; kFile: the file id
  std::string name;       // kToolCall: the tool; kOther: the part's type
  std::string arguments;  // kToolCall: the arguments as JSON (or text as sent)
  std::string mime_type, modality, uri;  // kBlob, kFile, kUri

  friend bool operator==(const MessagePart&, const MessagePart&) = default;
};

struct Message {
  std::string role;  // "system", "user", "assistant", "tool", ... as the dialect names it
  std::vector<MessagePart> parts;
  std::string finish_reason;  // output messages
  friend bool operator==(const Message&, const Message&) = default;
};

struct Exchange {
  std::string trace_id, span_id;  // raw bytes; the interactions' ids derive from them
  uint64_t start_unix_nano = 0, end_unix_nano = 0;
  std::string conversation_id;  // empty: none named
  std::string user;             // the owner as the telemetry names it (object id or UPN); empty: none
  std::string model;            // the model that answered (or was asked)
  std::string dialect;          // which convention carried the content, for messages and the docs
  std::vector<Message> input, output;
  size_t records = 1;           // the spans or log records it was read from
  // Which of the two interactions the telemetry describes. A span describes both; the log records of
  // one call may come in two exports (the SDK batches records, not calls), each holding one side, and
  // recording the side an export lacks would overwrite what the other export stored.
  bool has_prompt = true, has_response = true;

  // Whether any message carries anything (content capture may be off: then only roles remain).
  bool HasContent() const;
};

}  // namespace aih::otlp
