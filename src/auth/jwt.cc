#include "auth/jwt.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <simdjson.h>

#include "base/base64.h"
#include "base/utc_time.h"
#include "auth/json_string.h"

namespace aih::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Bearer tokens travel in an HTTP header; Entra's largest stay under 10 KB.
constexpr size_t kMaxTokenBytes = 64 * 1024;
constexpr int64_t kMaxNumericDate = 253402300799;  // 9999-12-31T23:59:59Z
// In an accepted issuer, stands for the token's tid (VerifyOptions::issuers).
constexpr std::string_view kTenant = "{tenantid}";
// Values quoted from a token into a message are cut here, so messages stay short whatever they hold.
constexpr size_t kMaxQuotedBytes = 100;

Status Refuse(std::string message) { return Status::Unauthenticated(std::move(message)); }
Status Malformed(std::string_view what) { return Refuse("the token is malformed: " + std::string(what)); }

std::string QuoteClaim(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return "'" + std::string(text) + "'";
  size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

// One parser per thread: it keeps its buffers between tokens. A parse invalidates the previous
// document, so each caller copies what it needs before the next parse.
simdjson::dom::parser& Parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

struct CompactParts {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // "header.payload", the bytes the signature covers
};

Result<CompactParts> Split(std::string_view token) {
  if (token.size() > kMaxTokenBytes) {
    return Malformed("it is " + std::to_string(token.size()) + " bytes long; the limit is " +
                     std::to_string(kMaxTokenBytes));
  }
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Malformed("expected three base64url parts separated by '.' (header.payload.signature)");
  }
  return CompactParts{token.substr(0, first), token.substr(first + 1, second - first - 1),
                      token.substr(second + 1), token.substr(0, second)};
}

Result<std::string> Decode(std::string_view part, const char* name) {
  Result<std::string> bytes = Base64UrlDecode(part);
  if (!bytes.ok()) return Malformed(std::string("the ") + name + " is not base64url (" + bytes.status().message() + ")");
  return bytes;
}

// Parses `json` as an object whose member names are unique. JSON parsers disagree on which of two
// equal names wins; a token must mean the same to every reader, so duplicates are refused (RFC 7515
// section 5.2 allows it).
Result<object> ParseObject(const std::string& json, const char* name) {
  element root;
  if (auto error = Parser().parse(json).get(root)) {
    return Malformed(std::string("the ") + name + " is not JSON (" + simdjson::error_message(error) + ")");
  }
  object members;
  if (root.get_object().get(members) != simdjson::SUCCESS) {
    return Malformed(std::string("the ") + name + " is not a JSON object");
  }
  std::vector<std::string_view> names;
  for (auto member : members) names.push_back(member.key);
  std::sort(names.begin(), names.end());
  if (auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end()) {
    return Malformed(std::string("the ") + name + " has the member " + QuoteClaim(*twice) + " twice");
  }
  return members;
}

// Checks the header of a compact JWS and returns its kid.
Result<std::string> ReadHeader(std::string_view encoded) {
  Result<std::string> json = Decode(encoded, "header");
  if (!json.ok()) return json.status();
  Result<object> header = ParseObject(*json, "header");
  if (!header.ok()) return header.status();
  element value;
  std::string_view text;
  if (header->at_key("alg").get(value) != simdjson::SUCCESS) {
    return Refuse("the token's header has no alg; only tokens signed with RS256 are accepted");
  }
  if (value.get_string().get(text) != simdjson::SUCCESS) return Malformed("alg is not a string");
  // Only RS256: "none" would need no key, and HS256 would treat our public key as an HMAC secret.
  if (text != "RS256") {
    return Refuse("tokens signed with alg " + QuoteClaim(text) + " are not accepted; only RS256 is");
  }
  if (header->at_key("crit").error() == simdjson::SUCCESS) {
    return Refuse("the token's header lists critical extensions (crit), which this service does not "
                  "implement; request a plain RS256 token");
  }
  if (header->at_key("kid").get(value) != simdjson::SUCCESS) {
    return Refuse("the token's header has no kid, so its signing key cannot be found; request a token "
                  "from a trusted issuer");
  }
  if (value.get_string().get(text) != simdjson::SUCCESS) return Malformed("kid is not a string");
  return std::string(text);
}

Status ReadString(element value, std::string_view name, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return Malformed("claim " + QuoteClaim(name) + " must be a string");
  }
  out.assign(text);
  return Status::Ok();
}

Status ReadStringArray(element value, std::string_view name, std::vector<std::string>& out) {
  simdjson::dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS) {
    return Malformed("claim " + QuoteClaim(name) + " must be an array of strings");
  }
  for (element item : items) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return Malformed("claim " + QuoteClaim(name) + " must be an array of strings");
    }
    out.emplace_back(text);
  }
  return Status::Ok();
}

// aud: RFC 7519 allows one string or an array of strings.
Status ReadAudience(element value, std::vector<std::string>& out) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    out.emplace_back(text);
    return Status::Ok();
  }
  if (value.is_array()) return ReadStringArray(value, "aud", out);
  return Malformed("claim 'aud' must be a string or an array of strings");
}

// scp: Entra writes one space-separated string; some issuers (Okta) an array. Both are read.
Status ReadScopes(element value, std::vector<std::string>& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return ReadStringArray(value, "scp", out);
  while (!text.empty()) {
    const size_t space = text.find(' ');
    if (space != 0) out.emplace_back(text.substr(0, space));
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  }
  return Status::Ok();
}

// A NumericDate (RFC 7519): seconds since 1970, possibly fractional.
Status ReadNumericDate(element value, std::string_view name, int64_t& out) {
  auto out_of_range = [&] { return Malformed("claim " + QuoteClaim(name) + " is out of range"); };
  switch (value.type()) {
    case element_type::INT64: {
      const int64_t seconds = value.get_int64().value_unsafe();
      if (seconds < 0 || seconds > kMaxNumericDate) return out_of_range();
      out = seconds;
      return Status::Ok();
    }
    case element_type::DOUBLE: {
      const double seconds = value.get_double().value_unsafe();
      if (!(seconds >= 0 && seconds <= static_cast<double>(kMaxNumericDate))) return out_of_range();
      out = static_cast<int64_t>(std::floor(seconds));
      return Status::Ok();
    }
    case element_type::UINT64:  // above INT64_MAX
      return out_of_range();
    default:
      return Malformed("claim " + QuoteClaim(name) + " must be a number of seconds since 1970 (NumericDate)");
  }
}

Result<Claims> ReadClaims(std::string payload_json) {
  Result<object> payload = ParseObject(payload_json, "payload");
  if (!payload.ok()) return payload.status();
  Claims claims;
  std::string azp;
  for (auto member : *payload) {
    const std::string_view name = member.key;
    Status read;
    if (name == "iss") read = ReadString(member.value, name, claims.iss);
    else if (name == "aud") read = ReadAudience(member.value, claims.aud);
    else if (name == "tid") read = ReadString(member.value, name, claims.tid);
    else if (name == "sub") read = ReadString(member.value, name, claims.sub);
    else if (name == "oid") read = ReadString(member.value, name, claims.oid);
    else if (name == "appid") read = ReadString(member.value, name, claims.appid);
    else if (name == "azp") read = ReadString(member.value, name, azp);
    else if (name == "roles") read = ReadStringArray(member.value, name, claims.roles);
    else if (name == "scp") read = ReadScopes(member.value, claims.scp);
    else if (name == "iat") read = ReadNumericDate(member.value, name, claims.iat);
    else if (name == "nbf") read = ReadNumericDate(member.value, name, claims.nbf);
    else if (name == "exp") read = ReadNumericDate(member.value, name, claims.exp);
    AIH_RETURN_IF_ERROR(read);
  }
  if (claims.appid.empty()) claims.appid = std::move(azp);  // Entra v1 tokens say appid, v2 azp
  claims.payload_json = std::move(payload_json);
  return claims;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool IssuerMatches(std::string_view accepted, const Claims& claims) {
  const size_t at = accepted.find(kTenant);
  if (at == std::string_view::npos) return accepted == claims.iss;
  if (claims.tid.empty()) return false;
  const std::string_view prefix = accepted.substr(0, at);
  const std::string_view suffix = accepted.substr(at + kTenant.size());
  const std::string_view iss = claims.iss;
  return iss.size() == prefix.size() + claims.tid.size() + suffix.size() && iss.starts_with(prefix) &&
         iss.ends_with(suffix) && iss.substr(prefix.size(), claims.tid.size()) == claims.tid;
}

Status CheckIssuer(const Claims& claims, const VerifyOptions& options) {
  for (const std::string& accepted : options.issuers) {
    if (IssuerMatches(accepted, claims)) return Status::Ok();
  }
  // Name the accepted issuers, with the token's tenant filled in: that is the URL to get a token from.
  std::string accepted;
  for (std::string issuer : options.issuers) {
    if (size_t at = issuer.find(kTenant); at != std::string::npos && !claims.tid.empty()) {
      issuer.replace(at, kTenant.size(), claims.tid);
    }
    accepted += (accepted.empty() ? "" : " or ") + issuer;
  }
  if (claims.iss.empty()) return Refuse("the token has no issuer (iss); request a token from " + accepted);
  return Refuse("the token's issuer " + QuoteClaim(claims.iss) + " is not accepted; request a token from " +
                accepted);
}

Status CheckAudience(const Claims& claims, const VerifyOptions& options) {
  for (const std::string& aud : claims.aud) {
    if (std::find(options.audiences.begin(), options.audiences.end(), aud) != options.audiences.end()) {
      return Status::Ok();
    }
  }
  const std::string remedy = "; request a token with scope=" + options.audiences.front() + "/.default";
  if (claims.aud.empty()) return Refuse("the token has no audience (aud)" + remedy);
  std::string named;
  for (const std::string& aud : claims.aud) named += (named.empty() ? "" : ", ") + QuoteClaim(aud);
  return Refuse("the token's audience " + named + " is not accepted" + remedy);
}

Status CheckLifetime(const Claims& claims, const VerifyOptions& options) {
  const int64_t now = options.now ? *options.now : static_cast<int64_t>(std::time(nullptr));
  const int64_t skew = std::max<int64_t>(0, options.clock_skew_seconds);
  // Written as now - skew and nbf - skew so that no configured skew can overflow.
  if (claims.exp == 0) {
    return Refuse("the token has no expiry (exp); request an access token from a trusted issuer");
  }
  if (now - skew >= claims.exp) {
    return Refuse("the access token has expired (exp " + FormatUtc(claims.exp) + "); request a new one");
  }
  if (claims.nbf != 0 && claims.nbf - skew > now) {
    return Refuse("the access token is not valid yet (nbf " + FormatUtc(claims.nbf) +
                  "); if it was just issued, the clocks of this server and of the token's issuer differ "
                  "by more than " + std::to_string(skew) + " s");
  }
  return Status::Ok();
}

std::string PayloadJson(const Claims& claims) {
  std::string out = "{";
  auto name = [&](std::string_view member) {
    if (out.size() > 1) out += ',';
    internal::AppendJsonString(out, member);
    out += ':';
  };
  auto text = [&](std::string_view member, const std::string& value) {
    if (value.empty()) return;
    name(member);
    internal::AppendJsonString(out, value);
  };
  auto texts = [&](std::string_view member, const std::vector<std::string>& values) {
    if (values.empty()) return;
    name(member);
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      internal::AppendJsonString(out, values[i]);
    }
    out += ']';
  };
  auto number = [&](std::string_view member, int64_t value) {
    if (value == 0) return;
    name(member);
    out += std::to_string(value);
  };
  text("iss", claims.iss);
  if (claims.aud.size() == 1) {
    text("aud", claims.aud.front());
  } else {
    texts("aud", claims.aud);
  }
  text("tid", claims.tid);
  text("sub", claims.sub);
  text("oid", claims.oid);
  text("appid", claims.appid);  // both names: Entra v1 readers look for appid, v2 readers for azp
  text("azp", claims.appid);
  texts("roles", claims.roles);
  text("scp", Join(claims.scp, " "));
  number("iat", claims.iat);
  number("nbf", claims.nbf);
  number("exp", claims.exp);
  out += '}';
  return out;
}

}  // namespace

std::string SignJwt(const SigningKey& key, const Claims& claims) {
  std::string header = R"({"alg":"RS256","typ":"JWT","kid":)";
  internal::AppendJsonString(header, key.kid());
  header += '}';
  std::string token = Base64UrlEncode(header) + '.' + Base64UrlEncode(PayloadJson(claims));
  const std::string signature = key.Sign(token);
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

Result<Claims> VerifyJwt(std::string_view token, const KeySet& trusted, const VerifyOptions& options) {
  if (options.issuers.empty() || options.audiences.empty()) {
    return Status::Internal("token verification is configured without an accepted issuer or audience, so "
                            "no token can be accepted; configure both");
  }
  Result<CompactParts> parts = Split(token);
  if (!parts.ok()) return parts.status();
  Result<std::string> kid = ReadHeader(parts->header);
  if (!kid.ok()) return kid.status();
  const VerifyingKey* key = trusted.Find(*kid);
  if (key == nullptr) {
    return Refuse("the token is signed with an unknown key (kid " + QuoteClaim(*kid) +
                  "); request a new token: its issuer may have rotated its keys, or is not trusted here");
  }
  Result<std::string> signature = Decode(parts->signature, "signature");
  if (!signature.ok()) return signature.status();
  if (!key->Verify(parts->signing_input, *signature)) return Refuse("the token's signature is invalid");

  Result<std::string> payload = Decode(parts->payload, "payload");
  if (!payload.ok()) return payload.status();
  Result<Claims> claims = ReadClaims(std::move(*payload));
  if (!claims.ok()) return claims.status();
  AIH_RETURN_IF_ERROR(CheckIssuer(*claims, options));
  AIH_RETURN_IF_ERROR(CheckAudience(*claims, options));
  AIH_RETURN_IF_ERROR(CheckLifetime(*claims, options));
  return claims;
}

Result<std::string> ReadKeyId(std::string_view token) {
  Result<CompactParts> parts = Split(token);
  if (!parts.ok()) return parts.status();
  return ReadHeader(parts->header);
}

}  // namespace aih::auth
