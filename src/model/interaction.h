// Interaction: the aiInteraction resource of Microsoft Graph, one prompt or one response.
//
// These are plain values, comparable with ==. Reading them from writer JSON (with every check of
// section 5 of the contract) lives in interaction_reader.h; writing the canonical Graph JSON lives
// in interaction_writer.h. An absent scalar or object is std::nullopt and is written as JSON null;
// arrays are never null. Enum-like strings (userIdentityType, ...) are validated by the reader
// against the exact, case-sensitive Graph spelling and kept as strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/timestamp.h"

namespace aih::model {

using OptString = std::optional<std::string>;

enum class InteractionType { kUserPrompt, kAiResponse, kUnknownFutureValue };
const char* ToString(InteractionType type);  // "userPrompt", "aiResponse", "unknownFutureValue"

struct Body {
  std::string content_type;  // "text" or "html"
  OptString content;
  friend bool operator==(const Body&, const Body&) = default;
};

// #microsoft.graph.teamworkUserIdentity
struct UserIdentity {
  OptString id, display_name, user_identity_type, tenant_id;
  friend bool operator==(const UserIdentity&, const UserIdentity&) = default;
};
// #microsoft.graph.teamworkApplicationIdentity
struct ApplicationIdentity {
  OptString id, display_name, application_identity_type;
  friend bool operator==(const ApplicationIdentity&, const ApplicationIdentity&) = default;
};
// A device identity (no derived type).
struct DeviceIdentity {
  OptString id, display_name;
  friend bool operator==(const DeviceIdentity&, const DeviceIdentity&) = default;
};
// #microsoft.graph.teamworkConversationIdentity
struct ConversationIdentity {
  OptString id, display_name, conversation_identity_type;
  friend bool operator==(const ConversationIdentity&, const ConversationIdentity&) = default;
};
// #microsoft.graph.teamworkTagIdentity
struct TagIdentity {
  OptString id, display_name;
  friend bool operator==(const TagIdentity&, const TagIdentity&) = default;
};

// #microsoft.graph.chatMessageFromIdentitySet
struct FromIdentitySet {
  std::optional<ApplicationIdentity> application;
  std::optional<DeviceIdentity> device;
  std::optional<UserIdentity> user;
  friend bool operator==(const FromIdentitySet&, const FromIdentitySet&) = default;
};

// #microsoft.graph.aiInteractionMentionedIdentitySet
struct MentionedIdentitySet {
  std::optional<ApplicationIdentity> application;
  std::optional<DeviceIdentity> device;
  std::optional<UserIdentity> user;
  std::optional<ConversationIdentity> conversation;
  std::optional<TagIdentity> tag;
  friend bool operator==(const MentionedIdentitySet&, const MentionedIdentitySet&) = default;
};

struct Attachment {
  OptString attachment_id, content_type, content_url, content, name;
  friend bool operator==(const Attachment&, const Attachment&) = default;
};
struct Context {
  OptString context_reference, context_type, display_name;
  friend bool operator==(const Context&, const Context&) = default;
};
struct Link {
  OptString link_url, link_type, display_name;
  friend bool operator==(const Link&, const Link&) = default;
};
struct Mention {
  std::optional<int32_t> mention_id;
  OptString mention_text;
  std::optional<MentionedIdentitySet> mentioned;
  friend bool operator==(const Mention&, const Mention&) = default;
};

struct Interaction {
  std::string id;  // unique per user; empty until assigned (see AssignId)
  OptString session_id;
  OptString request_id;
  std::string app_class;
  InteractionType interaction_type = InteractionType::kUserPrompt;
  OptString conversation_type;
  std::string etag;  // server-owned: equals id until the interaction is modified
  Timestamp created;
  OptString locale;
  std::optional<Body> body;
  std::optional<FromIdentitySet> from;
  std::vector<Attachment> attachments;
  std::vector<Context> contexts;
  std::vector<Link> links;
  std::vector<Mention> mentions;
  friend bool operator==(const Interaction&, const Interaction&) = default;
};

// The most bytes of an id (the reader's rule) and of each field CheckIndexedFields checks.
inline constexpr size_t kMaxKeyBytes = 256;

// Whether each field the store indexes and matches exactly (appClass, conversationType, locale,
// sessionId, requestId) holds at most kMaxKeyBytes and no control character: a PostgreSQL index entry
// holds no NUL and at most about 2.7 KB, and these values are echoed in filters and logs. kBadRequest
// naming the field. Every way in (JSON, OTLP, import) goes through it (ingest/pipeline.h), so an
// interaction is refused the same on both engines, before it reaches a write.
Status CheckIndexedFields(const Interaction& interaction);

// The fifteen top-level property names in the order Graph writes them.
extern const char* const kInteractionProperties[15];
bool IsInteractionProperty(std::string_view name);

// Gives an interaction without an id one that sorts by creation time and stays unique:
// the 13-digit epoch milliseconds of createdDateTime, '-', and 16 random hex digits
// ("1768473000000-9f86d081884c7d65"). Graph's own ids are the bare milliseconds; the random part
// keeps two interactions of the same millisecond apart. An interaction that has an id keeps it.
// Instants before 1970 get the prefix 0000000000000 (their order is still kept by createdDateTime,
// which the store sorts on first).
void AssignId(Interaction& interaction);

}  // namespace aih::model
