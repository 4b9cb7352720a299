#include "model/interaction_writer.h"

#include "base/json_string.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace aih::model {
namespace {

void AppendOptString(std::string& out, const OptString& value) {
  if (value) {
    AppendJsonString(out, *value);
  } else {
    out += "null";
  }
}

void AppendUser(std::string& out, const std::optional<UserIdentity>& user) {
  if (!user) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.teamworkUserIdentity","id":)";
  AppendOptString(out, user->id);
  out += R"(,"displayName":)";
  AppendOptString(out, user->display_name);
  out += R"(,"userIdentityType":)";
  AppendOptString(out, user->user_identity_type);
  out += R"(,"tenantId":)";
  AppendOptString(out, user->tenant_id);
  out += '}';
}

void AppendApplication(std::string& out, const std::optional<ApplicationIdentity>& application) {
  if (!application) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.teamworkApplicationIdentity","id":)";
  AppendOptString(out, application->id);
  out += R"(,"displayName":)";
  AppendOptString(out, application->display_name);
  out += R"(,"applicationIdentityType":)";
  AppendOptString(out, application->application_identity_type);
  out += '}';
}

void AppendDevice(std::string& out, const std::optional<DeviceIdentity>& device) {
  if (!device) {
    out += "null";
    return;
  }
  out += R"({"id":)";
  AppendOptString(out, device->id);
  out += R"(,"displayName":)";
  AppendOptString(out, device->display_name);
  out += '}';
}

void AppendConversation(std::string& out, const std::optional<ConversationIdentity>& conversation) {
  if (!conversation) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.teamworkConversationIdentity","id":)";
  AppendOptString(out, conversation->id);
  out += R"(,"displayName":)";
  AppendOptString(out, conversation->display_name);
  out += R"(,"conversationIdentityType":)";
  AppendOptString(out, conversation->conversation_identity_type);
  out += '}';
}

void AppendTag(std::string& out, const std::optional<TagIdentity>& tag) {
  if (!tag) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.teamworkTagIdentity","id":)";
  AppendOptString(out, tag->id);
  out += R"(,"displayName":)";
  AppendOptString(out, tag->display_name);
  out += '}';
}

void AppendBody(std::string& out, const std::optional<Body>& body) {
  if (!body) {
    out += "null";
    return;
  }
  out += R"({"contentType":)";
  AppendJsonString(out, body->content_type);
  out += R"(,"content":)";
  AppendOptString(out, body->content);
  out += '}';
}

void AppendFrom(std::string& out, const std::optional<FromIdentitySet>& from) {
  if (!from) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.chatMessageFromIdentitySet","application":)";
  AppendApplication(out, from->application);
  out += R"(,"device":)";
  AppendDevice(out, from->device);
  out += R"(,"user":)";
  AppendUser(out, from->user);
  out += '}';
}

void AppendMentioned(std::string& out, const std::optional<MentionedIdentitySet>& mentioned) {
  if (!mentioned) {
    out += "null";
    return;
  }
  out += R"({"@odata.type":"#microsoft.graph.aiInteractionMentionedIdentitySet","application":)";
  AppendApplication(out, mentioned->application);
  out += R"(,"device":)";
  AppendDevice(out, mentioned->device);
  out += R"(,"user":)";
  AppendUser(out, mentioned->user);
  out += R"(,"conversation":)";
  AppendConversation(out, mentioned->conversation);
  out += R"(,"tag":)";
  AppendTag(out, mentioned->tag);
  out += '}';
}

void AppendAttachments(std::string& out, const std::vector<Attachment>& attachments) {
  out += '[';
  for (size_t i = 0; i < attachments.size(); ++i) {
    const Attachment& a = attachments[i];
    if (i > 0) out += ',';
    out += R"({"attachmentId":)";
    AppendOptString(out, a.attachment_id);
    out += R"(,"contentType":)";
    AppendOptString(out, a.content_type);
    out += R"(,"contentUrl":)";
    AppendOptString(out, a.content_url);
    out += R"(,"content":)";
    AppendOptString(out, a.content);
    out += R"(,"name":)";
    AppendOptString(out, a.name);
    out += '}';
  }
  out += ']';
}

void AppendContexts(std::string& out, const std::vector<Context>& contexts) {
  out += '[';
  for (size_t i = 0; i < contexts.size(); ++i) {
    const Context& c = contexts[i];
    if (i > 0) out += ',';
    out += R"({"contextReference":)";
    AppendOptString(out, c.context_reference);
    out += R"(,"contextType":)";
    AppendOptString(out, c.context_type);
    out += R"(,"displayName":)";
    AppendOptString(out, c.display_name);
    out += '}';
  }
  out += ']';
}

void AppendLinks(std::string& out, const std::vector<Link>& links) {
  out += '[';
  for (size_t i = 0; i < links.size(); ++i) {
    const Link& l = links[i];
    if (i > 0) out += ',';
    out += R"({"linkUrl":)";
    AppendOptString(out, l.link_url);
    out += R"(,"linkType":)";
    AppendOptString(out, l.link_type);
    out += R"(,"displayName":)";
    AppendOptString(out, l.display_name);
    out += '}';
  }
  out += ']';
}

void AppendMentions(std::string& out, const std::vector<Mention>& mentions) {
  out += '[';
  for (size_t i = 0; i < mentions.size(); ++i) {
    const Mention& m = mentions[i];
    if (i > 0) out += ',';
    out += R"({"mentionId":)";
    if (m.mention_id) {
      char buf[16];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *m.mention_id);
      out.append(buf, end);
    } else {
      out += "null";
    }
    out += R"(,"mentionText":)";
    AppendOptString(out, m.mention_text);
    out += R"(,"mentioned":)";
    AppendMentioned(out, m.mentioned);
    out += '}';
  }
  out += ']';
}

// Writes the value of the top-level property kInteractionProperties[index].
void AppendProperty(std::string& out, const Interaction& x, int index) {
  switch (index) {
    case 0: AppendJsonString(out, x.id); return;
    case 1: AppendOptString(out, x.session_id); return;
    case 2: AppendOptString(out, x.request_id); return;
    case 3: AppendJsonString(out, x.app_class); return;
    case 4:
      out += '"';
      out += ToString(x.interaction_type);
      out += '"';
      return;
    case 5: AppendOptString(out, x.conversation_type); return;
    case 6:
      // Contract: etag equals id until the interaction is modified; an unset etag means "never".
      AppendJsonString(out, x.etag.empty() ? x.id : x.etag);
      return;
    case 7:
      out += '"';
      x.created.AppendTo(out);
      out += '"';
      return;
    case 8: AppendOptString(out, x.locale); return;
    case 9: AppendBody(out, x.body); return;
    case 10: AppendFrom(out, x.from); return;
    case 11: AppendAttachments(out, x.attachments); return;
    case 12: AppendContexts(out, x.contexts); return;
    case 13: AppendLinks(out, x.links); return;
    case 14: AppendMentions(out, x.mentions); return;
  }
}

size_t Size(const OptString& s) { return s ? s->size() : 0; }

// A capacity close above the final size, so that a typical interaction is written with one
// allocation: the fixed text of an interaction is about 400 bytes, plus ~100 per array element and
// identity, plus the strings themselves (with a little room for escapes).
size_t EstimateSize(const Interaction& x) {
  size_t n = 512 + x.id.size() * 2 + Size(x.session_id) + Size(x.request_id) + x.app_class.size() +
             Size(x.conversation_type) + x.etag.size() + Size(x.locale);
  if (x.body) n += Size(x.body->content) * 9 / 8 + 64;
  if (x.from) n += 512;
  for (const Attachment& a : x.attachments) {
    n += 96 + Size(a.attachment_id) + Size(a.content_type) + Size(a.content_url) +
         Size(a.content) * 9 / 8 + Size(a.name);
  }
  for (const Context& c : x.contexts) {
    n += 64 + Size(c.context_reference) + Size(c.context_type) + Size(c.display_name);
  }
  for (const Link& l : x.links)
    n += 64 + Size(l.link_url) + Size(l.link_type) + Size(l.display_name);
  n += x.mentions.size() * 640;
  return n;
}

std::string Write(const Interaction& x, uint32_t properties) {
  std::string out;
  out.reserve(EstimateSize(x));
  out += '{';
  bool first = true;
  for (int i = 0; i < 15; ++i) {
    if (!(properties & (1u << i))) continue;
    if (!first) out += ',';
    first = false;
    out += '"';
    out += kInteractionProperties[i];
    out += "\":";
    AppendProperty(out, x, i);
  }
  out += '}';
  return out;
}

}  // namespace

// The escaper is base's (base/json_string.h); model keeps its name for the many callers.
void AppendJsonString(std::string& out, std::string_view text) { aih::AppendJsonString(out, text); }

std::string WriteInteraction(const Interaction& interaction) {
  return Write(interaction, (1u << 15) - 1);
}

std::string WriteSelected(const Interaction& interaction,
                          const std::vector<std::string>& properties) {
  uint32_t selected = 0;
  for (const std::string& name : properties) {
    for (int i = 0; i < 15; ++i) {
      if (name == kInteractionProperties[i]) selected |= 1u << i;
    }
  }
  return Write(interaction, selected);
}

std::string PrependAnnotation(std::string_view json, std::string_view name,
                              std::string_view value) {
  // Stored JSON is compact, but tolerate whitespace around the opening brace.
  size_t open = json.find('{');
  if (open == std::string_view::npos) return std::string(json);
  size_t next = json.find_first_not_of(" \t\r\n", open + 1);
  const bool empty = next != std::string_view::npos && json[next] == '}';

  std::string out;
  out.reserve(json.size() + name.size() + value.size() + 8);
  out.append(json.data(), open + 1);
  AppendJsonString(out, name);
  out += ':';
  AppendJsonString(out, value);
  if (!empty) out += ',';
  out.append(json.data() + open + 1, json.size() - open - 1);
  return out;
}

}  // namespace aih::model
