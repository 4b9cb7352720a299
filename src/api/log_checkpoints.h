// LogCheckpoints: signs each tenant's verifiable log (store/log_store.h) into checkpoints
// (c2sp.org/tlog-checkpoint inside a c2sp.org/signed-note, integrity/checkpoint.h, signed_note.h)
// with the deployment's Ed25519 log key, and keeps them in the store.
//
// The key is the store's: the first server (or command) that needs one makes it, and every server
// of the store then signs with it. Rotate() makes a new active key; the retired ones stay listed, so
// that the checkpoints they signed still verify. A tenant's checkpoint names its log by the origin
// "<log name>/<tenant id>"; the key's name is the log name.
//
// Threading: thread-safe (it holds nothing but the store and the clock).
#pragma once

#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "integrity/signed_note.h"
#include "store/store.h"

namespace aih::api {

inline constexpr const char* kDefaultLogName = "aihistory";

class LogCheckpoints {
 public:
  LogCheckpoints(store::Store& store, const Clock& clock, std::string log_name = kDefaultLogName)
      : store_(store), clock_(clock), log_name_(std::move(log_name)) {}

  std::string Origin(const std::string& tenant_id) const { return log_name_ + "/" + tenant_id; }

  // The active key's signer; on a store without a key, a new key is made and stored first.
  Result<integrity::NoteSigner> ActiveSigner();
  // Makes a new key the active one (the previous one is retired, and still listed). Returns it.
  Result<store::LogKeyRow> Rotate();

  // A checkpoint of the tenant's log as it is now, signed with the active key and kept; when the
  // log has not grown since the newest kept checkpoint and that one is of the active key, it is
  // returned unchanged.
  Result<store::StoredCheckpoint> Publish(const std::string& tenant_id);
  // Publish() for every tenant that has a log (the periodic publication); the first failure is
  // returned after trying every tenant.
  Status PublishAll();

 private:
  store::Store& store_;
  const Clock& clock_;
  const std::string log_name_;
};

// The signer of a stored key row (its name is the verifier key's first field).
Result<integrity::NoteSigner> SignerOf(const store::LogKeyRow& key);

}  // namespace aih::api
