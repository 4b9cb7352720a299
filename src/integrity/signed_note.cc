#include "integrity/signed_note.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/base64.h"

namespace aih::integrity {
namespace {

constexpr unsigned char kEd25519 = 0x01;  // the signature type of Ed25519 keys
constexpr std::string_view kDash = "\xe2\x80\x94 ";  // U+2014 and a space: a signature line starts so
constexpr size_t kMaxNoteBytes = 1 << 20;
constexpr int kMaxSignatures = 100;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Status CheckNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Status::BadRequest("a note's text must end with a newline");
  if (text.find("\n\n") != std::string_view::npos || text.front() == '\n') {
    return Status::BadRequest("a note's text may not hold a blank line (it separates the signatures)");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      return Status::BadRequest("a note's text may not hold control characters (one at byte " + std::to_string(i) + ")");
    }
  }
  return Status::Ok();
}

std::string Hex8(uint32_t v) {
  char out[9];
  std::snprintf(out, sizeof out, "%08x", v);
  return out;
}

}  // namespace

uint32_t NoteKeyId(std::string_view name, std::string_view public_key) {
  std::string input(name);
  input += '\n';
  input += static_cast<char>(kEd25519);
  input += public_key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1) std::abort();
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) | digest[3];
}

Status CheckNoteKeyName(std::string_view name) {
  if (name.empty()) return Status::BadRequest("a note key's name may not be empty");
  if (name.size() > 256) return Status::BadRequest("a note key's name is at most 256 bytes long");
  for (unsigned char c : name) {
    if (c <= 0x20 || c == 0x7f || c == '+') {
      return Status::BadRequest("a note key's name may not hold spaces, control characters or '+': '" +
                                std::string(name) + "'");
    }
  }
  return Status::Ok();
}

NoteSigner::NoteSigner(std::string name, std::string seed, std::string public_key)
    : name_(std::move(name)), seed_(std::move(seed)), public_key_(std::move(public_key)),
      key_id_(NoteKeyId(name_, public_key_)) {}

Result<NoteSigner> NoteSigner::FromSeed(std::string name, std::string_view seed) {
  AIH_RETURN_IF_ERROR(CheckNoteKeyName(name));
  if (seed.size() != 32) return Status::BadRequest("an Ed25519 private key is 32 bytes, not " + std::to_string(seed.size()));
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed), seed.size()));
  if (!key) return Status::Internal("OpenSSL refused the Ed25519 private key");
  std::string public_key(32, '\0');
  size_t length = public_key.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(public_key.data()), &length) != 1 ||
      length != 32) {
    return Status::Internal("OpenSSL cannot derive the Ed25519 public key");
  }
  return NoteSigner(std::move(name), std::string(seed), std::move(public_key));
}

std::string NoteSigner::VerifierKey() const {
  std::string typed(1, static_cast<char>(kEd25519));
  typed += public_key_;
  return name_ + "+" + Hex8(key_id_) + "+" + Base64Encode(typed);
}

Result<std::string> NoteSigner::Sign(std::string_view text) const {
  AIH_RETURN_IF_ERROR(CheckNoteText(text));
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed_), seed_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned char signature[64];
  size_t length = sizeof signature;
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &length, Bytes(text), text.size()) != 1 || length != 64) {
    return Status::Internal("OpenSSL failed to sign with Ed25519");
  }
  std::string blob(4, '\0');
  for (int i = 0; i < 4; ++i) blob[i] = static_cast<char>(key_id_ >> (24 - 8 * i));
  blob.append(reinterpret_cast<const char*>(signature), length);
  std::string note(text);
  note += '\n';
  note += kDash;
  note += name_ + " " + Base64Encode(blob) + "\n";
  return note;
}

Result<NoteVerifier> NoteVerifier::Parse(std::string_view verifier_key) {
  const size_t first = verifier_key.find('+');
  const size_t second = first == std::string_view::npos ? first : verifier_key.find('+', first + 1);
  // The key's base64 may itself hold '+': only the first two separate fields (as Go's note.NewVerifier).
  if (second == std::string_view::npos) {
    return Status::BadRequest("a verifier key is <name>+<key id>+<key>; this one is not");
  }
  const std::string name(verifier_key.substr(0, first));
  AIH_RETURN_IF_ERROR(CheckNoteKeyName(name));
  const std::string_view id_text = verifier_key.substr(first + 1, second - first - 1);
  auto typed = Base64Decode(verifier_key.substr(second + 1));
  if (!typed.ok()) return Status::BadRequest("a verifier key's key is not base64: " + typed.status().message());
  if (typed->size() != 33 || static_cast<unsigned char>((*typed)[0]) != kEd25519) {
    return Status::BadRequest("a verifier key's key must be an Ed25519 key (type 0x01 and 32 bytes)");
  }
  std::string public_key = typed->substr(1);
  const uint32_t id = NoteKeyId(name, public_key);
  if (id_text != Hex8(id)) {
    return Status::BadRequest("a verifier key's id is " + std::string(id_text) + " but its name and key give " + Hex8(id));
  }
  return NoteVerifier(name, std::move(public_key), id);
}

Result<std::string> NoteVerifier::Open(std::string_view note) const {
  if (note.size() > kMaxNoteBytes) return Status::BadRequest("the note is longer than 1 MiB");
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Status::BadRequest("the note has no signatures (no blank line)");
  const std::string_view text = note.substr(0, split + 1);
  AIH_RETURN_IF_ERROR(CheckNoteText(text));
  std::string_view signatures = note.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return Status::BadRequest("the note's signature lines must each end with a newline");
  }
  int count = 0;
  while (!signatures.empty()) {
    const size_t end = signatures.find('\n');
    const std::string_view line = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    if (++count > kMaxSignatures) return Status::BadRequest("the note has more than 100 signatures");
    if (line.substr(0, kDash.size()) != kDash) {
      return Status::BadRequest("a signature line must start with an em dash and a space: '" + std::string(line) + "'");
    }
    const std::string_view rest = line.substr(kDash.size());
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos) return Status::BadRequest("a signature line is '— <name> <signature>'");
    const std::string_view name = rest.substr(0, space);
    AIH_RETURN_IF_ERROR(CheckNoteKeyName(name));
    auto blob = Base64Decode(rest.substr(space + 1));
    if (!blob.ok() || blob->size() < 5) return Status::BadRequest("a signature of " + std::string(name) + " is malformed");
    const uint32_t id = (uint32_t{static_cast<unsigned char>((*blob)[0])} << 24) |
                        (uint32_t{static_cast<unsigned char>((*blob)[1])} << 16) |
                        (uint32_t{static_cast<unsigned char>((*blob)[2])} << 8) | static_cast<unsigned char>((*blob)[3]);
    if (name != name_ || id != key_id_) continue;  // another signer's: not ours to judge
    // The first signature of this key decides (as Go's note.Open): a bad one rejects the note.
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(public_key_), public_key_.size()));
    MdCtx ctx(EVP_MD_CTX_new());
    const std::string_view signature = std::string_view(*blob).substr(4);
    if (!key || !ctx || signature.size() != 64 || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(text), text.size()) != 1) {
      return Status::Unauthenticated("the note's signature by " + name_ + " does not verify: the text was altered or "
                                     "signed by another key");
    }
    return std::string(text);
  }
  return Status::Unauthenticated("the note carries no signature by " + name_ + " (key id " + Hex8(key_id_) + ")");
}

}  // namespace aih::integrity
