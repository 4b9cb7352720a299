#include "auth/key_set.h"

#include <simdjson.h>

namespace aih::auth {
namespace {

Status Malformed(const std::string& what) {
  return Status::BadRequest("the JWKS document is malformed: " + what);
}

// The member `name` of `object` as a string: nullopt when absent, an error when not a string.
Result<std::optional<std::string_view>> StringMember(simdjson::dom::object object, std::string_view name,
                                                     size_t index) {
  simdjson::dom::element value;
  if (object[name].get(value) != simdjson::SUCCESS) return std::optional<std::string_view>();
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return Malformed("key " + std::to_string(index) + ": \"" + std::string(name) + "\" is not a string");
  }
  return std::optional<std::string_view>(text);
}

}  // namespace

Result<KeySet> KeySet::FromJwks(std::string_view jwks_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (auto error = parser.parse(jwks_json.data(), jwks_json.size()).get(document)) {
    return Malformed(std::string("not JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::array keys;
  if (document["keys"].get_array().get(keys) != simdjson::SUCCESS) {
    return Malformed("expected an object with a \"keys\" array");
  }
  KeySet set;
  size_t index = 0;
  for (simdjson::dom::element element : keys) {
    simdjson::dom::object jwk;
    if (element.get_object().get(jwk) != simdjson::SUCCESS) {
      return Malformed("key " + std::to_string(index) + " is not an object");
    }
    auto kty = StringMember(jwk, "kty", index);
    auto use = StringMember(jwk, "use", index);
    auto alg = StringMember(jwk, "alg", index);
    auto kid = StringMember(jwk, "kid", index);
    for (const auto* member : {&kty, &use, &alg, &kid}) {
      if (!member->ok()) return member->status();
    }
    if (!*kty) return Malformed("key " + std::to_string(index) + " has no \"kty\"");
    const bool usable = **kty == "RSA" && (!*use || **use == "sig") && (!*alg || **alg == "RS256") &&
                        *kid && !(*kid)->empty();
    if (usable) {
      auto n = StringMember(jwk, "n", index);
      auto e = StringMember(jwk, "e", index);
      if (!n.ok()) return n.status();
      if (!e.ok()) return e.status();
      const std::string kid_text(**kid);
      if (!*n || !*e) return Malformed("RSA key '" + kid_text + "' has no \"n\" or no \"e\"");
      Result<VerifyingKey> key = VerifyingKey::FromJwk(kid_text, **n, **e);
      if (!key.ok()) return Malformed(key.status().message());
      if (Status added = set.Add(std::move(*key)); !added.ok()) return Malformed(added.message());
    }
    ++index;
  }
  if (set.empty()) {
    return Status::BadRequest("the JWKS document has no key usable for RS256 (kty \"RSA\", use \"sig\" or "
                              "absent, alg \"RS256\" or absent, and a kid)");
  }
  return set;
}

Status KeySet::Add(VerifyingKey key) {
  if (const VerifyingKey* present = Find(key.kid())) {
    if (present->n() == key.n() && present->e() == key.e()) return Status::Ok();
    return Status::Conflict("two different keys have the kid '" + key.kid() +
                            "'; a kid must name one key");
  }
  keys_.push_back(std::move(key));
  return Status::Ok();
}

const VerifyingKey* KeySet::Find(std::string_view kid) const {
  for (const VerifyingKey& key : keys_) {
    if (key.kid() == kid) return &key;
  }
  return nullptr;
}

std::string KeySet::ToJwks() const {
  std::string out = R"({"keys":[)";
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (i > 0) out += ',';
    out += keys_[i].ToJwk();
  }
  out += "]}";
  return out;
}

}  // namespace aih::auth
