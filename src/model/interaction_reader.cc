#include "model/interaction_reader.h"

// simdjson.h is ~1 MB of header: only this file includes it.
#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "base/utf8.h"

namespace aih::model {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A pooled parser keeps its buffers (about 15 bytes per byte of input) for documents up to this
// size; a larger body's buffers are released after use so that one big batch does not pin memory.
constexpr size_t kRetainedCapacity = 4 << 20;

// ---------------------------------------------------------------------------------------------
// Error messages

// Where a value sits inside the item ("mentions[0].mentioned.user"). Built on the stack while the
// reader descends, and turned into text only when something is refused.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // the member name, unless this is an array element
  size_t index = 0;
  bool is_element = false;

  Path Member(std::string_view name) const { return Path{this, name, 0, false}; }
  Path Element(size_t i) const { return Path{this, {}, i, true}; }
};

void AppendPath(std::string& out, const Path& path) {
  if (path.parent == nullptr) return;  // the item itself
  AppendPath(out, *path.parent);
  if (path.is_element) {
    out += '[';
    out += std::to_string(path.index);
    out += ']';
  } else {
    if (!out.empty()) out += '.';
    out += path.key;
  }
}

Status Refuse(const Path& path, std::string_view message) {
  std::string text;
  AppendPath(text, path);
  if (!text.empty()) text += ": ";
  text += message;
  return Status::BadRequest(std::move(text));
}

// A writer's value quoted for a message: at most 64 bytes, cut on a UTF-8 character boundary (the
// input was validated as UTF-8, and the message must stay valid UTF-8 too).
std::string Quote(std::string_view text) {
  std::string out = "'";
  if (text.size() <= 64) {
    out += text;
  } else {
    size_t n = 64;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    out += text.substr(0, n);
    out += "...";
  }
  out += '\'';
  return out;
}

const char* TypeName(element value) {
  switch (value.type()) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON value";
}

std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Objects: which members each one may have

// The members an object may have, in the order their indexes are used by its reader.
struct Shape {
  const char* name;  // for messages: "an aiInteraction"
  std::span<const std::string_view> members;
};

Status UnknownMember(const Path& path, const Shape& shape, std::string_view key) {
  for (std::string_view member : shape.members) {
    if (EqualsIgnoringCase(member, key)) {
      return Refuse(path, "unknown property " + Quote(key) + "; did you mean '" +
                              std::string(member) + "'? (property names are case-sensitive)");
    }
  }
  return Refuse(path, "unknown property " + Quote(key) + "; " + shape.name + " has only " +
                          Join(shape.members));
}

// Calls `read(index, value, path_of_value)` for each member of `obj`, refusing unknown and
// duplicate members (simdjson keeps duplicates; Graph's clients would silently keep only one).
// `seen` receives the set of members present, by index.
template <typename ReadMember>
Status ReadMembers(object obj, const Path& path, const Shape& shape, uint32_t* seen,
                   ReadMember&& read) {
  const size_t count = shape.members.size();
  uint32_t present = 0;
  size_t next = 0;  // writers mostly send members in Graph's order: look there first
  for (simdjson::dom::key_value_pair field : obj) {
    int index = -1;
    for (size_t tried = 0, i = next; tried < count; ++tried, i = i + 1 == count ? 0 : i + 1) {
      if (shape.members[i] == field.key) {
        index = static_cast<int>(i);
        next = i + 1 == count ? 0 : i + 1;
        break;
      }
    }
    if (index < 0) return UnknownMember(path, shape, field.key);
    const uint32_t bit = 1u << index;
    if (present & bit) return Refuse(path, "duplicate property " + Quote(field.key));
    present |= bit;
    AIH_RETURN_IF_ERROR(read(index, field.value, path.Member(shape.members[index])));
  }
  if (seen) *seen = present;
  return Status::Ok();
}

template <typename ReadMember>
Status ReadMembers(object obj, const Path& path, const Shape& shape, ReadMember&& read) {
  return ReadMembers(obj, path, shape, nullptr, std::forward<ReadMember>(read));
}

// ---------------------------------------------------------------------------------------------
// Values

Status ReadOptString(element value, const Path& path, OptString& out) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    out.emplace(text);
    return Status::Ok();
  }
  if (value.is_null()) return Status::Ok();
  return Refuse(path, std::string("expected a string or null, got ") + TypeName(value));
}

Status ReadRequiredString(element value, const Path& path, std::string_view* out) {
  if (value.get_string().get(*out) != simdjson::SUCCESS) {
    return Refuse(path, std::string("expected a string, got ") + TypeName(value));
  }
  return Status::Ok();
}

Status NotOneOf(const Path& path, std::string_view text,
                std::span<const std::string_view> allowed) {
  return Refuse(path,
                Quote(text) + " is not one of " + Join(allowed) + " (values are case-sensitive)");
}

// A nullable enum member: kept as the string, which must be spelled exactly as Graph does.
Status ReadEnum(element value, const Path& path, std::span<const std::string_view> allowed,
                OptString& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    if (value.is_null()) return Status::Ok();
    return Refuse(path, std::string("expected a string or null, got ") + TypeName(value));
  }
  if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
    return NotOneOf(path, text, allowed);
  }
  out.emplace(text);
  return Status::Ok();
}

// "@odata.type": accepted where Graph writes one, if it names the type the reader expects (the
// writer then writes it back); any other type would be silently lost, so it is refused.
Status CheckODataType(element value, const Path& path, std::span<const std::string_view> expected) {
  std::string_view text;
  AIH_RETURN_IF_ERROR(ReadRequiredString(value, path, &text));
  if (std::find(expected.begin(), expected.end(), text) != expected.end()) return Status::Ok();
  std::string wanted;
  for (std::string_view type : expected) {
    if (!wanted.empty()) wanted += " or ";
    wanted += Quote(type);
  }
  return Refuse(path, "expected " + wanted + ", got " + Quote(text));
}

// A server-side identifier (id, @aihistory.userId): it ends up in URLs, filters and logs.
Status CheckIdentifier(std::string_view text, const Path& path) {
  if (text.empty()) return Refuse(path, "must not be empty");
  if (text.size() > kMaxKeyBytes) {
    return Refuse(path, "is " + std::to_string(text.size()) + " bytes long; at most " +
                            std::to_string(kMaxKeyBytes) + " are allowed");
  }
  if (HasControlCharacter(text)) return Refuse(path, "must not contain control characters");
  return Status::Ok();
}

// An optional identifier: null is the same as absent.
Status ReadIdentifier(element value, const Path& path, std::string& out, const char* hint) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    if (value.is_null()) return Status::Ok();
    return Refuse(path, std::string("expected a string, got ") + TypeName(value) + hint);
  }
  AIH_RETURN_IF_ERROR(CheckIdentifier(text, path));
  out.assign(text);
  return Status::Ok();
}

Status ReadMentionId(element value, const Path& path, std::optional<int32_t>& out) {
  switch (value.type()) {
    case element_type::NULL_VALUE: return Status::Ok();
    case element_type::INT64: {
      const int64_t n = value.get_int64().value_unsafe();
      if (n < INT32_MIN || n > INT32_MAX) break;
      out = static_cast<int32_t>(n);
      return Status::Ok();
    }
    case element_type::UINT64: break;
    case element_type::DOUBLE:
      return Refuse(path,
                    "expected a 32-bit integer number, got a number with a fraction or an "
                    "exponent");
    default:
      return Refuse(path, std::string("expected a 32-bit integer number, got ") + TypeName(value));
  }
  return Refuse(path,
                "expected a 32-bit integer number, got a number outside "
                "-2147483648..2147483647");
}

// null, or an object read by `read`.
template <typename T, typename Read>
Status ReadOptObject(element value, const Path& path, std::optional<T>& out, Read&& read) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) {
    if (value.is_null()) return Status::Ok();
    return Refuse(path, std::string("expected an object or null, got ") + TypeName(value));
  }
  return read(obj, path, out.emplace());
}

// null (read as empty, the way Graph writes an empty array), or an array of objects.
template <typename T, typename Read>
Status ReadArray(element value, const Path& path, std::vector<T>& out, Read&& read) {
  array elements;
  if (value.get_array().get(elements) != simdjson::SUCCESS) {
    if (value.is_null()) return Status::Ok();
    return Refuse(path, std::string("expected an array or null, got ") + TypeName(value));
  }
  out.reserve(elements.size());
  size_t i = 0;
  for (element e : elements) {
    const Path element_path = path.Element(i++);
    object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      return Refuse(element_path, std::string("expected an object, got ") + TypeName(e));
    }
    AIH_RETURN_IF_ERROR(read(obj, element_path, out.emplace_back()));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// The aiInteraction and what it contains

constexpr std::string_view kUserIdentityTypes[] = {"aadUser",
                                                   "onPremiseAadUser",
                                                   "anonymousGuest",
                                                   "federatedUser",
                                                   "personalMicrosoftAccountUser",
                                                   "skypeUser",
                                                   "phoneUser",
                                                   "unknownFutureValue",
                                                   "emailUser"};
// Not azureCommunicationServicesUser: it exists only in beta, and Microsoft's v1.0 clients silently
// drop a value they do not know; the contract's list (section 5) is the one both versions share.
constexpr std::string_view kApplicationIdentityTypes[] = {"aadApplication",  "bot",
                                                          "tenantBot",       "office365Connector",
                                                          "outgoingWebhook", "unknownFutureValue"};
constexpr std::string_view kConversationIdentityTypes[] = {"team", "channel", "chat",
                                                           "unknownFutureValue"};
constexpr std::string_view kBodyContentTypes[] = {"text", "html"};
constexpr std::string_view kInteractionTypes[] = {"userPrompt", "aiResponse", "unknownFutureValue"};

constexpr std::string_view kUserType[] = {"#microsoft.graph.teamworkUserIdentity"};
constexpr std::string_view kApplicationType[] = {"#microsoft.graph.teamworkApplicationIdentity"};
constexpr std::string_view kConversationType[] = {"#microsoft.graph.teamworkConversationIdentity"};
constexpr std::string_view kTagType[] = {"#microsoft.graph.teamworkTagIdentity"};
constexpr std::string_view kFromType[] = {"#microsoft.graph.chatMessageFromIdentitySet"};
constexpr std::string_view kMentionedType[] = {
    "#microsoft.graph.aiInteractionMentionedIdentitySet"};
// v1.0 types body as itemBody, beta as chatMessageBody: a writer using either SDK may send its own.
constexpr std::string_view kBodyType[] = {"#microsoft.graph.itemBody",
                                          "#microsoft.graph.chatMessageBody"};
constexpr std::string_view kAttachmentType[] = {"#microsoft.graph.aiInteractionAttachment"};
constexpr std::string_view kContextType[] = {"#microsoft.graph.aiInteractionContext"};
constexpr std::string_view kLinkType[] = {"#microsoft.graph.aiInteractionLink"};
constexpr std::string_view kMentionType[] = {"#microsoft.graph.aiInteractionMention"};
constexpr std::string_view kAiInteractionType[] = {"#microsoft.graph.aiInteraction"};

constexpr std::string_view kUserMembers[] = {"@odata.type", "id", "displayName", "userIdentityType",
                                             "tenantId"};
constexpr Shape kUserShape{"a teamworkUserIdentity", kUserMembers};

Status ReadUser(object obj, const Path& path, UserIdentity& out) {
  return ReadMembers(obj, path, kUserShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kUserType);
      case 1: return ReadOptString(v, p, out.id);
      case 2: return ReadOptString(v, p, out.display_name);
      case 3: return ReadEnum(v, p, kUserIdentityTypes, out.user_identity_type);
      default: return ReadOptString(v, p, out.tenant_id);
    }
  });
}

constexpr std::string_view kApplicationMembers[] = {"@odata.type", "id", "displayName",
                                                    "applicationIdentityType"};
constexpr Shape kApplicationShape{"a teamworkApplicationIdentity", kApplicationMembers};

Status ReadApplication(object obj, const Path& path, ApplicationIdentity& out) {
  return ReadMembers(obj, path, kApplicationShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kApplicationType);
      case 1: return ReadOptString(v, p, out.id);
      case 2: return ReadOptString(v, p, out.display_name);
      default: return ReadEnum(v, p, kApplicationIdentityTypes, out.application_identity_type);
    }
  });
}

// Graph writes no @odata.type on a device, so none is accepted (it could not be written back).
constexpr std::string_view kDeviceMembers[] = {"id", "displayName"};
constexpr Shape kDeviceShape{"a device identity", kDeviceMembers};

Status ReadDevice(object obj, const Path& path, DeviceIdentity& out) {
  return ReadMembers(obj, path, kDeviceShape, [&](int i, element v, const Path& p) {
    return i == 0 ? ReadOptString(v, p, out.id) : ReadOptString(v, p, out.display_name);
  });
}

constexpr std::string_view kConversationMembers[] = {"@odata.type", "id", "displayName",
                                                     "conversationIdentityType"};
constexpr Shape kConversationShape{"a teamworkConversationIdentity", kConversationMembers};

Status ReadConversation(object obj, const Path& path, ConversationIdentity& out) {
  return ReadMembers(obj, path, kConversationShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kConversationType);
      case 1: return ReadOptString(v, p, out.id);
      case 2: return ReadOptString(v, p, out.display_name);
      default: return ReadEnum(v, p, kConversationIdentityTypes, out.conversation_identity_type);
    }
  });
}

constexpr std::string_view kTagMembers[] = {"@odata.type", "id", "displayName"};
constexpr Shape kTagShape{"a teamworkTagIdentity", kTagMembers};

Status ReadTag(object obj, const Path& path, TagIdentity& out) {
  return ReadMembers(obj, path, kTagShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kTagType);
      case 1: return ReadOptString(v, p, out.id);
      default: return ReadOptString(v, p, out.display_name);
    }
  });
}

constexpr std::string_view kFromMembers[] = {"@odata.type", "application", "device", "user"};
constexpr Shape kFromShape{"a chatMessageFromIdentitySet", kFromMembers};

Status ReadFrom(object obj, const Path& path, FromIdentitySet& out) {
  return ReadMembers(obj, path, kFromShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kFromType);
      case 1: return ReadOptObject(v, p, out.application, ReadApplication);
      case 2: return ReadOptObject(v, p, out.device, ReadDevice);
      default: return ReadOptObject(v, p, out.user, ReadUser);
    }
  });
}

constexpr std::string_view kMentionedMembers[] = {"@odata.type", "application",  "device",
                                                  "user",        "conversation", "tag"};
constexpr Shape kMentionedShape{"an aiInteractionMentionedIdentitySet", kMentionedMembers};

Status ReadMentioned(object obj, const Path& path, MentionedIdentitySet& out) {
  return ReadMembers(obj, path, kMentionedShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kMentionedType);
      case 1: return ReadOptObject(v, p, out.application, ReadApplication);
      case 2: return ReadOptObject(v, p, out.device, ReadDevice);
      case 3: return ReadOptObject(v, p, out.user, ReadUser);
      case 4: return ReadOptObject(v, p, out.conversation, ReadConversation);
      default: return ReadOptObject(v, p, out.tag, ReadTag);
    }
  });
}

constexpr std::string_view kBodyMembers[] = {"@odata.type", "contentType", "content"};
constexpr Shape kBodyShape{"a body", kBodyMembers};

Status ReadBody(object obj, const Path& path, Body& out) {
  uint32_t seen = 0;
  AIH_RETURN_IF_ERROR(
      ReadMembers(obj, path, kBodyShape, &seen, [&](int i, element v, const Path& p) {
        switch (i) {
          case 0: return CheckODataType(v, p, kBodyType);
          case 1: {
            std::string_view type;
            AIH_RETURN_IF_ERROR(ReadRequiredString(v, p, &type));
            if (type != "text" && type != "html") return NotOneOf(p, type, kBodyContentTypes);
            out.content_type.assign(type);
            return Status::Ok();
          }
          default: return ReadOptString(v, p, out.content);
        }
      }));
  if (!(seen & (1u << 1))) return Refuse(path, "missing required property 'contentType'");
  return Status::Ok();
}

constexpr std::string_view kAttachmentMembers[] = {"@odata.type", "attachmentId", "contentType",
                                                   "contentUrl",  "content",      "name"};
constexpr Shape kAttachmentShape{"an aiInteractionAttachment", kAttachmentMembers};

Status ReadAttachment(object obj, const Path& path, Attachment& out) {
  return ReadMembers(obj, path, kAttachmentShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kAttachmentType);
      case 1: return ReadOptString(v, p, out.attachment_id);
      case 2: return ReadOptString(v, p, out.content_type);
      case 3: return ReadOptString(v, p, out.content_url);
      case 4: return ReadOptString(v, p, out.content);
      default: return ReadOptString(v, p, out.name);
    }
  });
}

constexpr std::string_view kContextMembers[] = {"@odata.type", "contextReference", "contextType",
                                                "displayName"};
constexpr Shape kContextShape{"an aiInteractionContext", kContextMembers};

Status ReadContext(object obj, const Path& path, Context& out) {
  return ReadMembers(obj, path, kContextShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kContextType);
      case 1: return ReadOptString(v, p, out.context_reference);
      case 2: return ReadOptString(v, p, out.context_type);
      default: return ReadOptString(v, p, out.display_name);
    }
  });
}

constexpr std::string_view kLinkMembers[] = {"@odata.type", "linkUrl", "linkType", "displayName"};
constexpr Shape kLinkShape{"an aiInteractionLink", kLinkMembers};

Status ReadLink(object obj, const Path& path, Link& out) {
  return ReadMembers(obj, path, kLinkShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kLinkType);
      case 1: return ReadOptString(v, p, out.link_url);
      case 2: return ReadOptString(v, p, out.link_type);
      default: return ReadOptString(v, p, out.display_name);
    }
  });
}

constexpr std::string_view kMentionMembers[] = {"@odata.type", "mentionId", "mentionText",
                                                "mentioned"};
constexpr Shape kMentionShape{"an aiInteractionMention", kMentionMembers};

Status ReadMention(object obj, const Path& path, Mention& out) {
  return ReadMembers(obj, path, kMentionShape, [&](int i, element v, const Path& p) {
    switch (i) {
      case 0: return CheckODataType(v, p, kMentionType);
      case 1: return ReadMentionId(v, p, out.mention_id);
      case 2: return ReadOptString(v, p, out.mention_text);
      default: return ReadOptObject(v, p, out.mentioned, ReadMentioned);
    }
  });
}

// The 15 properties in Graph's order (their indexes match kInteractionProperties), then what a
// writer may add: the item's own @odata.type and the owner annotation.
constexpr std::string_view kItemMembers[] = {"id",
                                             "sessionId",
                                             "requestId",
                                             "appClass",
                                             "interactionType",
                                             "conversationType",
                                             "etag",
                                             "createdDateTime",
                                             "locale",
                                             "body",
                                             "from",
                                             "attachments",
                                             "contexts",
                                             "links",
                                             "mentions",
                                             "@odata.type",
                                             "@aihistory.userId"};
constexpr Shape kItemShape{"an aiInteraction", kItemMembers};
constexpr int kAppClass = 3, kInteractionTypeIndex = 4, kCreatedDateTime = 7;

// What a reader does with the etag a document carries.
enum class Etag { kIgnore, kKeep };

Status ReadInteraction(object obj, Etag etag, WriteItem& out) {
  const Path root;
  Interaction& x = out.interaction;
  uint32_t seen = 0;
  AIH_RETURN_IF_ERROR(
      ReadMembers(obj, root, kItemShape, &seen, [&](int i, element v, const Path& p) -> Status {
        switch (i) {
          case 0:
            return ReadIdentifier(
                v, p, x.id, " (send the id as a JSON string: Graph's clients drop numeric ids)");
          case 1: return ReadOptString(v, p, x.session_id);
          case 2: return ReadOptString(v, p, x.request_id);
          case kAppClass: {
            std::string_view app_class;
            AIH_RETURN_IF_ERROR(ReadRequiredString(v, p, &app_class));
            if (app_class.empty()) return Refuse(p, "must not be empty");
            x.app_class.assign(app_class);
            return Status::Ok();
          }
          case kInteractionTypeIndex: {
            std::string_view type;
            AIH_RETURN_IF_ERROR(ReadRequiredString(v, p, &type));
            if (type == "userPrompt") {
              x.interaction_type = InteractionType::kUserPrompt;
            } else if (type == "aiResponse") {
              x.interaction_type = InteractionType::kAiResponse;
            } else if (type == "unknownFutureValue") {
              x.interaction_type = InteractionType::kUnknownFutureValue;
            } else {
              return NotOneOf(p, type, kInteractionTypes);
            }
            return Status::Ok();
          }
          case 5: return ReadOptString(v, p, x.conversation_type);
          case 6: {  // server-owned: a writer's etag (often from an export) is ignored
            OptString value;
            AIH_RETURN_IF_ERROR(ReadOptString(v, p, value));
            if (value) (etag == Etag::kKeep ? x.etag : out.sent_etag) = std::move(*value);
            return Status::Ok();
          }
          case kCreatedDateTime: {
            std::string_view text;
            AIH_RETURN_IF_ERROR(ReadRequiredString(v, p, &text));
            Result<Timestamp> created = Timestamp::Parse(text);
            if (!created.ok()) return Refuse(p, created.status().message());
            x.created = *created;
            return Status::Ok();
          }
          case 8: return ReadOptString(v, p, x.locale);
          case 9: return ReadOptObject(v, p, x.body, ReadBody);
          case 10: return ReadOptObject(v, p, x.from, ReadFrom);
          case 11: return ReadArray(v, p, x.attachments, ReadAttachment);
          case 12: return ReadArray(v, p, x.contexts, ReadContext);
          case 13: return ReadArray(v, p, x.links, ReadLink);
          case 14: return ReadArray(v, p, x.mentions, ReadMention);
          case 15: return CheckODataType(v, p, kAiInteractionType);
          default: return ReadIdentifier(v, p, out.user_id, "");
        }
      }));
  for (int required : {kAppClass, kInteractionTypeIndex, kCreatedDateTime}) {
    if (!(seen & (1u << required))) {
      return Refuse(root,
                    "missing required property '" + std::string(kItemMembers[required]) + "'");
    }
  }
  return Status::Ok();
}

// Reads one item of a batch. A refused item keeps nothing but its id and owner (when those are
// themselves valid), so that the response can tell the writer which item was refused.
void ReadBatchItem(element value, ParsedItem& out) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) {
    out.status =
        Status::BadRequest(std::string("expected an interaction object, got ") + TypeName(value));
    return;
  }
  out.status = ReadInteraction(obj, Etag::kIgnore, out.item);
  if (out.status.ok()) return;
  out.item = WriteItem{};
  const Path root;
  element member;
  if (obj.at_key("id").get(member) == simdjson::SUCCESS) {
    std::string id;
    if (ReadIdentifier(member, root, id, "").ok()) out.item.interaction.id = std::move(id);
  }
  if (obj.at_key("@aihistory.userId").get(member) == simdjson::SUCCESS) {
    std::string user_id;
    if (ReadIdentifier(member, root, user_id, "").ok()) out.item.user_id = std::move(user_id);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

// Whether `json` opens more than `max_depth` arrays and objects at once. simdjson reports
// unbalanced input (100,000 '[') as a structure error before it sees the depth: this tells the
// writer the real problem. Only called on the error path.
bool NestsDeeperThan(std::string_view json, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Status SyntaxError(simdjson::error_code error, std::string_view json, size_t max_depth) {
  const std::string too_deep = "the JSON nests deeper than " + std::to_string(max_depth) +
                               " levels (an interaction needs at most 7)";
  switch (error) {
    case simdjson::UTF8_ERROR: return Status::BadRequest("the body is not valid UTF-8");
    case simdjson::DEPTH_ERROR: return Status::BadRequest(too_deep);
    case simdjson::CAPACITY:
      return Status::TooLarge("the body is too large to parse: split the batch");
    case simdjson::MEMALLOC:
      return Status::Unavailable("not enough memory to parse the body: retry, or split the batch");
    case simdjson::EMPTY: return Status::BadRequest("the body is not valid JSON: it is empty");
    case simdjson::TAPE_ERROR:
      if (NestsDeeperThan(json, max_depth)) return Status::BadRequest(too_deep);
      return Status::BadRequest(
          "the body is not valid JSON: missing or superfluous commas, braces, brackets or keys, "
          "or content after the end");
    case simdjson::STRING_ERROR:
      return Status::BadRequest(
          "the body is not valid JSON: a string has a bad escape (for example a lone UTF-16 "
          "surrogate such as \\ud800)");
    case simdjson::UNESCAPED_CHARS:
      return Status::BadRequest(
          "the body is not valid JSON: a string contains a raw control character; escape it "
          "(\\n, \\t, \\u0001)");
    case simdjson::UNCLOSED_STRING:
      return Status::BadRequest("the body is not valid JSON: a string is not closed");
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return Status::BadRequest(
          "the body is not valid JSON: a number is malformed or too large to represent");
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return Status::BadRequest(
          "the body is not valid JSON: an unquoted word that is not true, false or null");
    default:
      return Status::BadRequest(std::string("the body is not valid JSON: ") +
                                simdjson::error_message(error));
  }
}

// Parsers are shared by all threads through a small pool rather than kept one per thread: a
// parser holds about 15 bytes per byte of the largest document it parsed, and a server has many
// more request threads (32 by default) than cores. Parsing is CPU-bound, so letting more threads
// parse at once than there are cores gains nothing; capping them bounds the memory to
// kMaxParsers x 15 x the batch size, whatever the number of connections.
class ParserPool {
 public:
  static ParserPool& Instance() {
    static ParserPool pool;
    return pool;
  }

  std::unique_ptr<simdjson::dom::parser> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    available_.wait(lock, [&] { return in_use_ < max_in_use_; });
    ++in_use_;
    if (idle_.empty()) return std::make_unique<simdjson::dom::parser>();
    auto parser = std::move(idle_.back());
    idle_.pop_back();
    return parser;
  }

  void Release(std::unique_ptr<simdjson::dom::parser> parser) {
    // A parser grown by one big body gives its buffers back rather than pinning them.
    if (parser->capacity() > kRetainedCapacity) parser.reset();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --in_use_;
      if (parser) idle_.push_back(std::move(parser));
    }
    available_.notify_one();
  }

 private:
  ParserPool() : max_in_use_(std::max(2u, std::thread::hardware_concurrency())) {}

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<simdjson::dom::parser>> idle_;
  size_t in_use_ = 0;
  const size_t max_in_use_;
};

// A parser from the pool for the duration of one read, set to refuse nesting deeper than
// `max_depth`. Pooled parsers keep their buffers (and the padded copy of the input) across reads.
// A thread holds at most one at a time (no read nests another), so the bounded pool cannot deadlock.
class PooledParser {
 public:
  explicit PooledParser(size_t max_depth)
      : max_depth_(max_depth), parser_(ParserPool::Instance().Acquire()) {}
  ~PooledParser() { ParserPool::Instance().Release(std::move(parser_)); }
  PooledParser(const PooledParser&) = delete;
  PooledParser& operator=(const PooledParser&) = delete;

  // Parses `json` (which needs no padding: simdjson copies it into its own padded buffer).
  simdjson::error_code Parse(std::string_view json, element* root) {
    simdjson::dom::parser& p = *parser_;
    // simdjson fails when the depth *reaches* its limit; we allow max_depth levels.
    const size_t limit = max_depth_ + 1;
    if (p.max_depth() != limit) {
      simdjson::error_code error =
          p.allocate(std::max<size_t>(p.capacity(), std::max<size_t>(json.size(), 4096)), limit);
      if (error) return error;
    }
    return p.parse(json.data(), json.size()).get(*root);
  }

 private:
  size_t max_depth_;
  std::unique_ptr<simdjson::dom::parser> parser_;
};

std::string_view SkipByteOrderMark(std::string_view body) {
  // Some Windows tools write one; it is not JSON, and it carries no information.
  if (body.size() >= 3 && std::memcmp(body.data(), "\xEF\xBB\xBF", 3) == 0) body.remove_prefix(3);
  return body;
}

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Calls `on_line(number, line)` for every line with content (1-based numbers, blank lines
// counted). Stops and returns false as soon as `on_line` does.
template <typename OnLine>
bool ForEachLine(std::string_view body, OnLine&& on_line) {
  size_t number = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    const void* newline = std::memchr(body.data() + pos, '\n', body.size() - pos);
    const size_t end = newline
                           ? static_cast<size_t>(static_cast<const char*>(newline) - body.data())
                           : body.size();
    ++number;
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (!IsBlank(line) && !on_line(number, line)) return false;
  }
  return true;
}

Status CheckItemCount(size_t count, const ReaderLimits& limits) {
  if (count == 0) return Status::BadRequest("the batch has no items");
  if (count > limits.max_items) {
    return Status::TooLarge("the batch has " + std::to_string(count) + " items; at most " +
                            std::to_string(limits.max_items) +
                            " are accepted per request: split it");
  }
  return Status::Ok();
}

Result<ParsedBatch> ReadNdjson(std::string_view body, const ReaderLimits& limits) {
  // Counting first refuses an oversized batch before any parsing, and sizes the result once.
  size_t count = 0;
  ForEachLine(body, [&](size_t, std::string_view) {
    ++count;
    return true;
  });
  AIH_RETURN_IF_ERROR(CheckItemCount(count, limits));

  ParsedBatch batch;
  batch.items.reserve(count);
  PooledParser parser(limits.max_depth);
  Status failure;
  ForEachLine(body, [&](size_t number, std::string_view line) {
    element root;
    if (simdjson::error_code error = parser.Parse(line, &root)) {
      failure =
          SyntaxError(error, line, limits.max_depth).WithContext("line " + std::to_string(number));
      return false;
    }
    ReadBatchItem(root, batch.items.emplace_back());
    return true;
  });
  if (!failure.ok()) return failure;
  return batch;
}

// The page annotations of an export: a page may be sent back as it was exported.
bool IsPageAnnotation(std::string_view key) {
  return key == "@odata.context" || key == "@odata.nextLink" || key == "@odata.count";
}

Result<ParsedBatch> ReadJson(std::string_view body, const ReaderLimits& limits) {
  PooledParser parser(limits.max_depth);
  element root;
  if (simdjson::error_code error = parser.Parse(body, &root)) {
    if (error == simdjson::EMPTY) return Status::BadRequest("the batch has no items");
    return SyntaxError(error, body, limits.max_depth);
  }
  ParsedBatch batch;
  array items;
  object obj;
  if (root.get_array().get(items) == simdjson::SUCCESS) {
    // a JSON array of interactions
  } else if (root.get_object().get(obj) == simdjson::SUCCESS) {
    element value;
    if (obj.at_key("value").get(value) != simdjson::SUCCESS) {  // one interaction
      batch.items.emplace_back();
      ReadBatchItem(root, batch.items.back());
      return batch;
    }
    bool has_value = false;
    for (simdjson::dom::key_value_pair field : obj) {
      if (field.key == "value" && !has_value) {
        has_value = true;
      } else if (field.key == "value") {
        return Status::BadRequest("the batch object has more than one 'value'");
      } else if (!IsPageAnnotation(field.key)) {
        return Status::BadRequest(
            "the batch object {\"value\":[...]} may have no other property; "
            "found " +
            Quote(field.key) + " (to send one interaction, leave out 'value')");
      }
    }
    if (value.get_array().get(items) != simdjson::SUCCESS) {
      return Status::BadRequest(std::string("'value' must be an array of interactions, got ") +
                                TypeName(value));
    }
  } else {
    return Status::BadRequest(
        std::string("the body must be a JSON array of interactions, an object {\"value\":[...]}, "
                    "or one interaction object; got ") +
        TypeName(root));
  }
  AIH_RETURN_IF_ERROR(CheckItemCount(items.size(), limits));
  batch.items.resize(items.size());
  size_t i = 0;
  for (element item : items) ReadBatchItem(item, batch.items[i++]);
  return batch;
}

}  // namespace

Result<ParsedBatch> ReadBatch(std::string_view body, bool ndjson, const ReaderLimits& limits) {
  body = SkipByteOrderMark(body);
  return ndjson ? ReadNdjson(body, limits) : ReadJson(body, limits);
}

namespace {

Result<WriteItem> ReadOneItem(std::string_view json, Etag etag) {
  json = SkipByteOrderMark(json);
  const ReaderLimits limits;
  PooledParser parser(limits.max_depth);
  element root;
  if (simdjson::error_code error = parser.Parse(json, &root)) {
    return SyntaxError(error, json, limits.max_depth);
  }
  object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return Status::BadRequest(std::string("expected an interaction object, got ") + TypeName(root));
  }
  WriteItem item;
  AIH_RETURN_IF_ERROR(ReadInteraction(obj, etag, item));
  return item;
}

}  // namespace

Result<WriteItem> ReadItem(std::string_view json) { return ReadOneItem(json, Etag::kIgnore); }

Result<WriteItem> ReadStoredItem(std::string_view json) { return ReadOneItem(json, Etag::kKeep); }

}  // namespace aih::model
