#include "integrity/log_leaf.h"

#include <openssl/evp.h>

#include <charconv>

#include "base/hex.h"

namespace aih::integrity {
namespace {

constexpr std::string_view kMagic = "aihistory-log-leaf v1";

void AppendEscaped(std::string& out, std::string_view field) {
  static const char kDigits[] = "0123456789ABCDEF";
  for (unsigned char c : field) {
    if (c < 0x20 || c == 0x7f || c == '%') {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Unescape(std::string_view field, std::string_view name) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(field[i]);
    if (c < 0x20 || c == 0x7f) return Status::BadRequest("the leaf's " + std::string(name) + " holds a raw control character");
    if (c != '%') {
      out.push_back(static_cast<char>(c));
      continue;
    }
    const int hi = i + 2 < field.size() ? HexValue(field[i + 1]) : -1;
    const int lo = i + 2 < field.size() ? HexValue(field[i + 2]) : -1;
    if (hi < 0 || lo < 0) return Status::BadRequest("the leaf's " + std::string(name) + " has a bad %-escape");
    const unsigned char byte = static_cast<unsigned char>(hi * 16 + lo);
    if (!(byte < 0x20 || byte == 0x7f || byte == '%')) {
      return Status::BadRequest("the leaf's " + std::string(name) + " escapes a byte that is written as itself");
    }
    out.push_back(static_cast<char>(byte));
    i += 2;
  }
  return out;
}

// The value of the line "<name> <value>" at the front of `text`, which is advanced past it.
Result<std::string_view> TakeLine(std::string_view& text, std::string_view name) {
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return Status::BadRequest("the leaf ends before its " + std::string(name) + " line");
  std::string_view line = text.substr(0, newline);
  text.remove_prefix(newline + 1);
  if (line.size() <= name.size() || line.substr(0, name.size()) != name || line[name.size()] != ' ') {
    return Status::BadRequest("the leaf's line '" + std::string(line) + "' should be its " + std::string(name) + " line");
  }
  return line.substr(name.size() + 1);
}

}  // namespace

const char* ToString(LeafKind kind) {
  switch (kind) {
    case LeafKind::kStored: return "stored";
    case LeafKind::kUpdated: return "updated";
    case LeafKind::kDeleted: return "deleted";
  }
  return "stored";
}

std::string Sha256(std::string_view bytes) {
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), 32);
}

std::string EncodeLeaf(const LogLeaf& leaf) {
  std::string out;
  out.reserve(160 + leaf.tenant_id.size() + leaf.user_id.size() + 2 * leaf.interaction_id.size());
  out.append(kMagic).append("\nkind ").append(ToString(leaf.kind)).append("\ntenant ");
  AppendEscaped(out, leaf.tenant_id);
  out.append("\nuser ");
  AppendEscaped(out, leaf.user_id);
  out.append("\nid ");
  AppendEscaped(out, leaf.interaction_id);
  out.append("\nversion ").append(std::to_string(leaf.version)).append("\netag ");
  AppendEscaped(out, leaf.etag);
  out.append("\nsha256 ").append(Hex(leaf.content_sha256)).append("\n");
  return out;
}

Result<LogLeaf> ParseLeaf(std::string_view text) {
  const size_t first = text.find('\n');
  if (first == std::string_view::npos || text.substr(0, first) != kMagic) {
    return Status::BadRequest("a leaf begins with the line '" + std::string(kMagic) + "'");
  }
  text.remove_prefix(first + 1);
  LogLeaf leaf;
  AIH_ASSIGN_OR_RETURN(std::string_view kind, TakeLine(text, "kind"));
  if (kind == "stored") {
    leaf.kind = LeafKind::kStored;
  } else if (kind == "updated") {
    leaf.kind = LeafKind::kUpdated;
  } else if (kind == "deleted") {
    leaf.kind = LeafKind::kDeleted;
  } else {
    return Status::BadRequest("the leaf's kind '" + std::string(kind) + "' is not stored, updated or deleted");
  }
  AIH_ASSIGN_OR_RETURN(std::string_view tenant, TakeLine(text, "tenant"));
  AIH_ASSIGN_OR_RETURN(leaf.tenant_id, Unescape(tenant, "tenant"));
  AIH_ASSIGN_OR_RETURN(std::string_view user, TakeLine(text, "user"));
  AIH_ASSIGN_OR_RETURN(leaf.user_id, Unescape(user, "user"));
  AIH_ASSIGN_OR_RETURN(std::string_view id, TakeLine(text, "id"));
  AIH_ASSIGN_OR_RETURN(leaf.interaction_id, Unescape(id, "id"));
  AIH_ASSIGN_OR_RETURN(std::string_view version, TakeLine(text, "version"));
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), leaf.version);
  if (ec != std::errc() || end != version.data() + version.size() || leaf.version < 1 ||
      (version.size() > 1 && version[0] == '0')) {
    return Status::BadRequest("the leaf's version '" + std::string(version) + "' is not a positive decimal number");
  }
  AIH_ASSIGN_OR_RETURN(std::string_view etag, TakeLine(text, "etag"));
  AIH_ASSIGN_OR_RETURN(leaf.etag, Unescape(etag, "etag"));
  AIH_ASSIGN_OR_RETURN(std::string_view digest, TakeLine(text, "sha256"));
  if (digest.size() != 64) return Status::BadRequest("the leaf's sha256 is not 64 hex digits");
  for (size_t i = 0; i < 64; i += 2) {
    auto lower = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    const int hi = lower(digest[i]), lo = lower(digest[i + 1]);
    if (hi < 0 || lo < 0) return Status::BadRequest("the leaf's sha256 is not 64 lower-case hex digits");
    leaf.content_sha256.push_back(static_cast<char>(hi * 16 + lo));
  }
  if (!text.empty()) return Status::BadRequest("the leaf has text after its sha256 line");
  return leaf;
}

}  // namespace aih::integrity
