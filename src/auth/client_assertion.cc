#include "auth/client_assertion.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <simdjson.h>

#include "base/base64.h"
#include "auth/openssl_handles.h"
#include "auth/signing_key.h"
#include "base/hex.h"

namespace aih::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kMaxAssertionBytes = 64 * 1024;  // x5c chains make assertions larger than tokens

using X509Ptr = std::unique_ptr<X509, internal::OpenSslDeleter<X509_free>>;

Status Malformed(const std::string& what) { return Status::BadRequest("the client assertion is malformed: " + what); }

// One parser per thread, as in jwt.cc; each caller copies what it keeps before the next parse.
simdjson::dom::parser& Parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

// A JSON object with unique member names (a JWS must mean the same to every reader).
Result<object> ParseObject(const std::string& json, const char* name) {
  element root;
  object members;
  if (Parser().parse(json).get(root) != simdjson::SUCCESS || root.get_object().get(members) != simdjson::SUCCESS) {
    return Malformed(std::string("its ") + name + " is not a JSON object");
  }
  std::vector<std::string_view> names;
  for (auto member : members) names.push_back(member.key);
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) {
    return Malformed(std::string("its ") + name + " has a member twice");
  }
  return members;
}

Status ReadString(element value, const char* name, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return Malformed(std::string("'") + name + "' is not a string");
  out.assign(text);
  return Status::Ok();
}

Status ReadTime(element value, const char* name, int64_t& out) {
  if (value.type() == element_type::INT64) {
    out = value.get_int64().value_unsafe();
  } else if (value.type() == element_type::DOUBLE) {
    const double seconds = value.get_double().value_unsafe();
    if (!(seconds >= 0 && seconds < 253402300800.0)) return Malformed(std::string("'") + name + "' is out of range");
    out = static_cast<int64_t>(std::floor(seconds));
  } else {
    return Malformed(std::string("'") + name + "' is not a number of seconds since 1970");
  }
  if (out < 0 || out > 253402300799) return Malformed(std::string("'") + name + "' is out of range");
  return Status::Ok();
}

// A thumbprint header (x5t, x5t#S256): base64url of `size` digest bytes, returned as hex.
Status ReadThumbprint(element value, const char* name, size_t size, std::string& out) {
  std::string text;
  AIH_RETURN_IF_ERROR(ReadString(value, name, text));
  Result<std::string> digest = Base64UrlDecode(text);
  if (!digest.ok() || digest->size() != size) {
    return Malformed(std::string("'") + name + "' is not the base64url of a " + std::to_string(size * 8) +
                     "-bit certificate thumbprint");
  }
  out = Hex(*digest);
  return Status::Ok();
}

Status ReadHeader(const std::string& json, ClientAssertion& out) {
  Result<object> header = ParseObject(json, "header");
  if (!header.ok()) return header.status();
  for (auto member : *header) {
    const std::string_view name = member.key;
    if (name == "alg") {
      AIH_RETURN_IF_ERROR(ReadString(member.value, "alg", out.alg));
    } else if (name == "x5t") {
      AIH_RETURN_IF_ERROR(ReadThumbprint(member.value, "x5t", 20, out.sha1_thumbprint));
    } else if (name == "x5t#S256") {
      AIH_RETURN_IF_ERROR(ReadThumbprint(member.value, "x5t#S256", 32, out.sha256_thumbprint));
    } else if (name == "crit") {
      return Malformed("its header lists critical extensions (crit), which are not supported");
    }
  }
  // Only RSA signatures: "none" needs no key, and an HMAC would use the public certificate as a secret.
  if (out.alg != "RS256" && out.alg != "PS256") {
    return Malformed("it is signed with alg '" + out.alg.substr(0, 20) + "'; sign it with RS256 or PS256");
  }
  return Status::Ok();
}

Status ReadPayload(const std::string& json, ClientAssertion& out) {
  Result<object> payload = ParseObject(json, "payload");
  if (!payload.ok()) return payload.status();
  for (auto member : *payload) {
    const std::string_view name = member.key;
    if (name == "iss") {
      AIH_RETURN_IF_ERROR(ReadString(member.value, "iss", out.iss));
    } else if (name == "sub") {
      AIH_RETURN_IF_ERROR(ReadString(member.value, "sub", out.sub));
    } else if (name == "jti") {
      AIH_RETURN_IF_ERROR(ReadString(member.value, "jti", out.jti));
    } else if (name == "exp") {
      AIH_RETURN_IF_ERROR(ReadTime(member.value, "exp", out.exp));
    } else if (name == "nbf") {
      AIH_RETURN_IF_ERROR(ReadTime(member.value, "nbf", out.nbf));
    } else if (name == "aud") {
      std::string_view text;
      simdjson::dom::array items;
      if (member.value.get_string().get(text) == simdjson::SUCCESS) {
        out.aud.emplace_back(text);
      } else if (member.value.get_array().get(items) == simdjson::SUCCESS) {
        for (element item : items) {
          if (item.get_string().get(text) != simdjson::SUCCESS) return Malformed("'aud' is not a string or strings");
          out.aud.emplace_back(text);
        }
      } else {
        return Malformed("'aud' is not a string or strings");
      }
    }
  }
  return Status::Ok();
}

Result<std::string> DecodePart(std::string_view part, const char* name) {
  Result<std::string> bytes = Base64UrlDecode(part);
  if (!bytes.ok()) return Malformed(std::string("its ") + name + " is not base64url");
  return bytes;
}

X509Ptr ReadCertificate(const std::string& pem) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

// The SHA-256 thumbprint of a PEM certificate, lower-case hex; empty when it does not parse.
std::string Sha256Thumbprint(const std::string& pem) {
  X509Ptr cert = ReadCertificate(pem);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!cert || X509_digest(cert.get(), EVP_sha256(), digest, &length) != 1) return "";
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

Result<ClientAssertion> ParseClientAssertion(std::string_view jwt) {
  if (jwt.size() > kMaxAssertionBytes) {
    return Malformed("it is " + std::to_string(jwt.size()) + " bytes long; the limit is " +
                     std::to_string(kMaxAssertionBytes));
  }
  const size_t first = jwt.find('.');
  const size_t second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
  if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos) {
    return Malformed("expected a JWT: three base64url parts separated by '.'");
  }
  ClientAssertion out;
  Result<std::string> header = DecodePart(jwt.substr(0, first), "header");
  if (!header.ok()) return header.status();
  AIH_RETURN_IF_ERROR(ReadHeader(*header, out));
  Result<std::string> payload = DecodePart(jwt.substr(first + 1, second - first - 1), "payload");
  if (!payload.ok()) return payload.status();
  AIH_RETURN_IF_ERROR(ReadPayload(*payload, out));
  Result<std::string> signature = DecodePart(jwt.substr(second + 1), "signature");
  if (!signature.ok()) return signature.status();
  out.signature = std::move(*signature);
  out.signing_input.assign(jwt.substr(0, second));
  return out;
}

const store::AppCertificate* FindAssertionCertificate(const ClientAssertion& assertion,
                                                      const std::vector<store::AppCertificate>& certificates) {
  for (const store::AppCertificate& certificate : certificates) {
    if (!assertion.sha1_thumbprint.empty() && assertion.sha1_thumbprint == certificate.thumbprint) return &certificate;
    if (!assertion.sha256_thumbprint.empty() &&
        assertion.sha256_thumbprint == Sha256Thumbprint(certificate.certificate_pem)) {
      return &certificate;
    }
  }
  return nullptr;
}

Result<bool> VerifyAssertionSignature(const ClientAssertion& assertion, const std::string& certificate_pem,
                                      int64_t now) {
  X509Ptr cert = ReadCertificate(certificate_pem);
  if (!cert) return Status::BadRequest("the registered certificate cannot be read: " + internal::OpenSslError());
  time_t when = static_cast<time_t>(now);
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &when) < 0) {
    return Status::BadRequest("the certificate has expired; register a current one");
  }
  if (X509_cmp_time(X509_get0_notBefore(cert.get()), &when) > 0) {
    return Status::BadRequest("the certificate is not valid yet (its notBefore is in the future)");
  }
  EVP_PKEY* key = X509_get0_pubkey(cert.get());  // owned by the certificate
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return Status::BadRequest("the certificate's key is not an RSA key; only RSA certificates sign client assertions");
  }
  const int bits = EVP_PKEY_get_bits(key);
  AIH_RETURN_IF_ERROR(CheckRsaBits(bits, "the certificate's key is a"));
  internal::MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by `md`
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1) {
    internal::CryptoFailure("initialising an RS256/PS256 verification");
  }
  if (assertion.alg == "PS256") {
    // RFC 7518 section 3.5: MGF1 with SHA-256 and a salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      internal::CryptoFailure("configuring a PS256 verification");
    }
  }
  const int verified = EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(assertion.signature.data()),
                                        assertion.signature.size(),
                                        reinterpret_cast<const unsigned char*>(assertion.signing_input.data()),
                                        assertion.signing_input.size());
  internal::OpenSslError();  // a wrong signature leaves errors on the queue; they mean only "no"
  return verified == 1;
}

}  // namespace aih::auth
