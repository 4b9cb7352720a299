#include "auth/signing_key.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "base/base64.h"
#include "auth/json_string.h"
#include "auth/openssl_handles.h"

namespace aih::auth {
namespace {

using internal::BignumPtr;
using internal::BioPtr;
using internal::CryptoFailure;
using internal::MdCtxPtr;
using internal::OpenSslError;
using internal::ParamBuildPtr;
using internal::ParamPtr;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;

constexpr size_t kMaxPemBytes = 64 * 1024;

std::shared_ptr<EVP_PKEY> Share(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }

std::string StripLeadingZeros(std::string bytes) {
  size_t zeros = bytes.find_first_not_of('\0');
  bytes.erase(0, zeros == std::string::npos ? bytes.size() : zeros);
  return bytes;
}

Result<std::string> BignumParam(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return Status::Internal(std::string("cannot read the RSA parameter ") + name + ": " + OpenSslError());
  }
  BignumPtr bn(raw);
  std::string out(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string ReadBio(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

// Refuses to prompt for a passphrase: our keys are stored unencrypted (the database is the vault),
// and a server must never block on a terminal.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

// ----- VerifyingKey -----

VerifyingKey::VerifyingKey(std::string kid, std::shared_ptr<evp_pkey_st> key, std::string n,
                           std::string e)
    : kid_(std::move(kid)), key_(std::move(key)), n_(std::move(n)), e_(std::move(e)) {}

Result<VerifyingKey> VerifyingKey::FromJwk(std::string kid, std::string_view n, std::string_view e) {
  Result<std::string> n_bytes = Base64UrlDecode(n);
  if (!n_bytes.ok()) return n_bytes.status().WithContext("the RSA modulus (n) of key '" + kid + "'");
  Result<std::string> e_bytes = Base64UrlDecode(e);
  if (!e_bytes.ok()) return e_bytes.status().WithContext("the RSA exponent (e) of key '" + kid + "'");
  return FromComponents(std::move(kid), std::move(*n_bytes), std::move(*e_bytes));
}

Result<VerifyingKey> VerifyingKey::FromComponents(std::string kid, std::string n_bytes,
                                                  std::string e_bytes) {
  // RFC 7518 asks for minimal big-endian octets; some issuers prepend a zero byte. Both mean the same.
  n_bytes = StripLeadingZeros(std::move(n_bytes));
  e_bytes = StripLeadingZeros(std::move(e_bytes));
  auto as_bignum = [](const std::string& bytes) {
    return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<int>(bytes.size()), nullptr));
  };
  BignumPtr n = as_bignum(n_bytes);
  BignumPtr e = as_bignum(e_bytes);
  if (!n || !e) CryptoFailure("allocating a BIGNUM");
  const int n_bits = BN_num_bits(n.get());
  AIH_RETURN_IF_ERROR(CheckRsaBits(n_bits, "key '" + kid + "' is a"));
  if (e_bytes.empty() || e_bytes.size() > 32) {
    return Status::BadRequest("key '" + kid + "' has an RSA exponent (e) of " +
                              std::to_string(e_bytes.size()) + " bytes; expected 1 to 32 (usually AQAB)");
  }
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return Status::Internal("cannot build RSA key parameters: " + OpenSslError());
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Status::BadRequest("key '" + kid + "' is not a usable RSA public key: " + OpenSslError());
  }
  PkeyPtr key(raw);
  // Catches an even modulus, an even or unit exponent, small factors: numbers no RSA key has.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return Status::BadRequest("key '" + kid + "' is not a valid RSA public key: " + OpenSslError());
  }
  return VerifyingKey(std::move(kid), Share(key.release()), Base64UrlEncode(n_bytes),
                      Base64UrlEncode(e_bytes));
}

int VerifyingKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::string VerifyingKey::ToJwk() const {
  std::string out = R"({"kty":"RSA","use":"sig","alg":"RS256","kid":)";
  internal::AppendJsonString(out, kid_);
  out += R"(,"n":")" + n_ + R"(","e":")" + e_ + R"("})";
  return out;
}

std::string VerifyingKey::Thumbprint() const {
  // RFC 7638 section 3.2: the required members only, in lexicographic order, no whitespace.
  const std::string canonical = R"({"e":")" + e_ + R"(","kty":"RSA","n":")" + n_ + R"("})";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    CryptoFailure("SHA-256 of a JWK");
  }
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string VerifyingKey::PublicPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) CryptoFailure("writing a public key PEM");
  return ReadBio(bio.get());
}

bool VerifyingKey::Verify(std::string_view message, std::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) CryptoFailure("allocating a digest context");
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  bool valid = EVP_DigestVerifyInit_ex(ctx.get(), &pkey_ctx, "SHA256", nullptr, nullptr, key_.get(),
                                       nullptr) == 1 &&
               EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) == 1 &&
               EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                message.size()) == 1;
  // A bad signature leaves errors on the queue; they are the expected outcome, not news for later calls.
  ERR_clear_error();
  return valid;
}

// ----- SigningKey -----

SigningKey::SigningKey(std::shared_ptr<evp_pkey_st> key, VerifyingKey public_key)
    : key_(std::move(key)), public_(std::move(public_key)) {}

Status CheckRsaBits(int bits, const std::string& what) {
  if (bits >= kMinRsaBits && bits <= kMaxRsaBits) return Status::Ok();
  return Status::BadRequest(what + " " + std::to_string(bits) + "-bit RSA key; only keys of " +
                            std::to_string(kMinRsaBits) + " to " + std::to_string(kMaxRsaBits) + " bits are accepted");
}

Result<SigningKey> SigningKey::FromKey(std::shared_ptr<evp_pkey_st> key) {
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1) {
    return Status::BadRequest("the key is not an RSA key; RS256 needs RSA (RSA-PSS keys are not accepted)");
  }
  const int bits = EVP_PKEY_get_bits(key.get());
  AIH_RETURN_IF_ERROR(CheckRsaBits(bits, "the key is a"));
  Result<std::string> n = BignumParam(key.get(), OSSL_PKEY_PARAM_RSA_N);
  if (!n.ok()) return n.status();
  Result<std::string> e = BignumParam(key.get(), OSSL_PKEY_PARAM_RSA_E);
  if (!e.ok()) return e.status();
  // The public half is a separate public-only key, so that what a KeySet holds carries no secret.
  Result<VerifyingKey> public_key = VerifyingKey::FromComponents("", std::move(*n), std::move(*e));
  if (!public_key.ok()) return public_key.status();
  public_key->kid_ = public_key->Thumbprint();
  return SigningKey(std::move(key), std::move(*public_key));
}

Result<SigningKey> SigningKey::Generate(int bits) {
  AIH_RETURN_IF_ERROR(CheckRsaBits(bits, "cannot generate a"));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return Status::Internal("RSA key generation failed: " + OpenSslError());
  }
  return FromKey(Share(raw));
}

Result<SigningKey> SigningKey::FromPrivatePem(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) {
    return Status::BadRequest("the private key PEM is " + std::to_string(pem.size()) +
                              " bytes long; an RSA key PEM is a few kilobytes");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) CryptoFailure("allocating a memory BIO");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (raw == nullptr) {
    return Status::BadRequest("the text is not an unencrypted PEM private key (\"-----BEGIN PRIVATE "
                              "KEY-----\"): " + OpenSslError());
  }
  return FromKey(Share(raw));
}

std::string SigningKey::PrivatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY"); no cipher: see NoPassphrase.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    CryptoFailure("writing a private key PEM");
  }
  return ReadBio(bio.get());
}

std::string SigningKey::Sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), &pkey_ctx, "SHA256", nullptr, nullptr, key_.get(), nullptr) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    CryptoFailure("RS256 signing");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    CryptoFailure("RS256 signing");
  }
  signature.resize(size);
  return signature;
}

}  // namespace aih::auth
