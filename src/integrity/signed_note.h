// Signed notes (c2sp.org/signed-note) with Ed25519 keys: the envelope of a log's checkpoints, so that
// the tools of the transparency-log ecosystem (Go's golang.org/x/mod/sumdb/note, sigsum, ...) read
// and verify ours.
//
// A note is UTF-8 text ending in a newline, then a blank line, then one signature line per signer:
// "— <key name> <base64(key id || signature)>\n" (an em dash, U+2014). The key id is the first four
// bytes, big-endian, of SHA-256(key name || 0x0A || 0x01 || the 32-byte public key); 0x01 names
// Ed25519. The signature covers the text, its final newline included. A verifier learns a key as the
// text "<name>+<key id as 8 hex digits>+<base64(0x01 || public key)>".
//
// Threading: signers and verifiers are immutable; any thread may use them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::integrity {

// The key id of an Ed25519 key named `name` with the 32-byte `public_key`.
uint32_t NoteKeyId(std::string_view name, std::string_view public_key);

// Whether `name` may name a note key: non-empty, at most 256 bytes, no whitespace, '+' or control
// character. kBadRequest naming the problem otherwise.
Status CheckNoteKeyName(std::string_view name);

class NoteSigner {
 public:
  // A signer from the 32-byte Ed25519 private key seed.
  static Result<NoteSigner> FromSeed(std::string name, std::string_view seed);

  const std::string& name() const { return name_; }
  const std::string& public_key() const { return public_key_; }  // 32 bytes
  uint32_t key_id() const { return key_id_; }
  // The text a verifier is given: "<name>+<key id>+<base64(0x01 || public key)>".
  std::string VerifierKey() const;

  // The signed note of `text` (kBadRequest when the text may not be a note: empty, not ending in a
  // newline, holding a blank line or a control character other than newline).
  Result<std::string> Sign(std::string_view text) const;

 private:
  NoteSigner(std::string name, std::string seed, std::string public_key);
  std::string name_;
  std::string seed_;
  std::string public_key_;
  uint32_t key_id_;
};

class NoteVerifier {
 public:
  // Parses a verifier key (see above); kBadRequest naming what is wrong with it.
  static Result<NoteVerifier> Parse(std::string_view verifier_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }

  // The text of `note` when it carries a valid signature by this key. Signatures by other keys are
  // ignored; kBadRequest when the note is malformed, kUnauthenticated when no signature of this key
  // is there or it does not verify (the text was altered, or signed by another key of the same name).
  Result<std::string> Open(std::string_view note) const;

 private:
  NoteVerifier(std::string name, std::string public_key, uint32_t key_id)
      : name_(std::move(name)), public_key_(std::move(public_key)), key_id_(key_id) {}
  std::string name_;
  std::string public_key_;
  uint32_t key_id_;
};

}  // namespace aih::integrity
