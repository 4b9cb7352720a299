#include "model/interaction_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace aih::model {
namespace {

// For each byte: 0 if it is written as is, else the character after the backslash ('u' for \u00XX).
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

// Whether any of the 8 bytes in `word` is a control character, a quote or a backslash ("Bit
// Twiddling Hacks": hasless and haszero; bytes >= 0x80 of UTF-8 text are never flagged).
bool NeedsEscape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  const uint64_t quote_or_backslash =
      ((quote - kOnes) & ~quote & kHighs) | ((backslash - kOnes) & ~backslash & kHighs);
  return (below_space | quote_or_backslash) != 0;
}

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

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  const char* data = text.data();
  const size_t size = text.size();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < size) {
    // Bodies are long and rarely need escapes: skip 8 clean bytes at a time.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      if (!NeedsEscape(word)) {
        i += 8;
        continue;
      }
    }
    for (const size_t stop = std::min(size, i + 8); i < stop; ++i) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      const char escape = kEscapes[c];
      if (escape == 0) continue;
      out.append(data + run, i - run);
      run = i + 1;
      out += '\\';
      out += escape;
      if (escape == 'u') {
        out += "00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out.append(data + run, size - run);
  out += '"';
}

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
