#include "store/search_document.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "odata/search_terms.h"

namespace aih::store {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Tags that sit inside a word ("<b>Mü</b>ller" is one word); every other tag separates words.
bool IsInlineTag(const std::string& name) {
  static const char* const kInline[] = {"a", "abbr", "b", "bdi", "bdo", "code", "em", "font", "i", "kbd", "mark",
                                        "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var", "wbr"};
  return std::find_if(std::begin(kInline), std::end(kInline), [&](const char* t) { return name == t; }) !=
         std::end(kInline);
}

void AppendCodePoint(std::string& out, uint32_t c) {
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Decodes the character reference at html[i] ('&'), appending it to `out`; returns the index after it,
// or i + 1 (the '&' kept as text) if it is none.
size_t DecodeReference(std::string_view html, size_t i, std::string& out) {
  const size_t semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 12) {
    out.push_back('&');
    return i + 1;
  }
  const std::string_view name = html.substr(i + 1, semi - i - 1);
  if (!name.empty() && name[0] == '#') {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t c = 0;
    bool ok = !digits.empty();
    for (char d : digits) {
      const int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(d)) ? std::tolower(d) - 'a' + 10
                                                                          : -1;
      if (v < 0 || c > 0x10FFFF) {
        ok = false;
        break;
      }
      c = c * (hex ? 16 : 10) + static_cast<uint32_t>(v);
    }
    if (ok) {
      AppendCodePoint(out, c);
      return semi + 1;
    }
  } else {
    static const std::pair<const char*, const char*> kNamed[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
    for (const auto& [n, text] : kNamed) {
      if (name == n) {
        out += text;
        return semi + 1;
      }
    }
  }
  out.push_back('&');
  return i + 1;
}

class DocumentBuilder {
 public:
  void Add(std::string_view text, std::string_view prefix = {}) {
    if (full_ || text.empty()) return;
    terms_.clear();
    odata::AppendSearchTerms(text, &terms_);
    for (const std::string& term : terms_) {
      const size_t need = (out_.empty() ? 0 : 1) + prefix.size() + term.size();
      if (out_.size() + need > kMaxDocumentBytes) {
        full_ = true;
        return;
      }
      if (!out_.empty()) out_.push_back(' ');
      out_.append(prefix).append(term);
    }
  }
  void Add(const model::OptString& text, std::string_view prefix = {}) {
    if (text) Add(std::string_view(*text), prefix);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  std::vector<std::string> terms_;
  bool full_ = false;
};

template <typename Identity>
void AddIdentity(DocumentBuilder& doc, const std::optional<Identity>& who) {
  if (who) doc.Add(who->display_name);
}

}  // namespace

std::string HtmlText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '&') {
      i = DecodeReference(html, i, out);
      continue;
    }
    if (c != '<') {
      out.push_back(c);
      ++i;
      continue;
    }
    const size_t close = html.find('>', i);
    if (close == std::string_view::npos) {  // not a tag: text
      out.push_back(c);
      ++i;
      continue;
    }
    size_t n = i + 1;
    if (n < close && html[n] == '/') ++n;
    size_t end = n;
    while (end < close && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    const std::string name = Lower(html.substr(n, end - n));
    const bool opening = html[i + 1] != '/';
    if (opening && (name == "script" || name == "style")) {
      // Their content is code, not text: skip to the closing tag (or the end).
      const std::string lowered = Lower(html.substr(close));
      const size_t stop = lowered.find("</" + name);
      if (stop == std::string::npos) break;
      const size_t stop_close = html.find('>', close + stop);
      i = stop_close == std::string_view::npos ? html.size() : stop_close + 1;
      out.push_back(' ');
      continue;
    }
    if (!IsInlineTag(name)) out.push_back(' ');
    i = close + 1;
  }
  return out;
}

std::string SearchDocument(const model::Interaction& in) {
  DocumentBuilder doc;
  if (in.body && in.body->content) {
    if (Lower(in.body->content_type) == "html") {
      doc.Add(std::string_view(HtmlText(*in.body->content)));
    } else {
      doc.Add(in.body->content);
    }
  }
  for (const model::Attachment& a : in.attachments) {
    doc.Add(a.name);
    doc.Add(a.content);
  }
  for (const model::Link& l : in.links) {
    doc.Add(l.display_name);
    doc.Add(l.link_url);
  }
  for (const model::Mention& m : in.mentions) {
    doc.Add(m.mention_text);
    if (!m.mentioned) continue;
    AddIdentity(doc, m.mentioned->user);
    AddIdentity(doc, m.mentioned->application);
    AddIdentity(doc, m.mentioned->device);
    AddIdentity(doc, m.mentioned->conversation);
    AddIdentity(doc, m.mentioned->tag);
  }
  if (in.from) {
    const std::string_view sender = odata::kSenderTermPrefix;
    if (in.from->user) {
      doc.Add(in.from->user->display_name, sender);
      doc.Add(in.from->user->id, sender);
    }
    if (in.from->application) {
      doc.Add(in.from->application->display_name, sender);
      doc.Add(in.from->application->id, sender);
    }
  }
  return doc.Take();
}

std::string TsvectorLiteral(std::string_view document) {
  std::string out;
  out.reserve(document.size() * 2);
  int position = 0;
  size_t i = 0;
  while (i < document.size()) {
    size_t end = document.find(' ', i);
    if (end == std::string_view::npos) end = document.size();
    if (end > i) {
      if (!out.empty()) out.push_back(' ');
      out.push_back('\'');
      for (char c : document.substr(i, end - i)) {
        if (c == '\'' || c == '\\') out.push_back(c == '\'' ? '\'' : '\\');
        out.push_back(c);
      }
      out += "':";
      position = std::min(position + 1, 16383);
      out += std::to_string(position);
    }
    i = end + 1;
  }
  return out;
}

}  // namespace aih::store
