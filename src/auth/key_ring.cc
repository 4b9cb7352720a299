#include "auth/key_ring.h"

#include <algorithm>

namespace aih::auth {

KeyRing::KeyRing(KeyRepository& repository, KeyRingOptions options)
    : repository_(repository), options_(std::move(options)) {}

Result<std::unique_ptr<KeyRing>> KeyRing::Open(KeyRepository& repository, KeyRingOptions options,
                                               int64_t now) {
  std::unique_ptr<KeyRing> ring(new KeyRing(repository, std::move(options)));
  std::lock_guard lock(ring->update_mu_);
  Result<std::vector<std::string>> reloaded = ring->Reload(now);
  if (!reloaded.ok()) return reloaded.status();
  if (ring->active_kid_.empty()) AIH_RETURN_IF_ERROR(ring->RotateLocked(now));
  return ring;
}

int64_t KeyRing::PublishDelay() const {
  return options_.refresh_interval_seconds + options_.clock_skew_seconds;
}

SigningKey KeyRing::ActiveKey(int64_t now) const {
  std::lock_guard lock(mu_);
  for (const Entry& entry : entries_) {
    if (entry.created_at + PublishDelay() <= now) return entry.key;
  }
  return entries_.front().key;  // only young keys (the first key of a new store): no other choice
}

KeySet KeyRing::TrustedKeys(int64_t now) const {
  std::lock_guard lock(mu_);
  KeySet keys;
  for (const Entry& entry : entries_) {
    // Add cannot refuse: our kids are thumbprints, so one kid is one key.
    if (entry.retire_after == 0 || entry.retire_after > now) (void)keys.Add(entry.key.verifying_key());
  }
  return keys;
}

Status KeyRing::Rotate(int64_t now) {
  std::lock_guard lock(update_mu_);
  // Start from the repository's view, so that only a rotation racing this one can win over it.
  Result<std::vector<std::string>> reloaded = Reload(now);
  if (!reloaded.ok()) return reloaded.status();
  return RotateLocked(now);
}

Status KeyRing::Refresh(int64_t now) {
  std::lock_guard lock(update_mu_);
  Result<std::vector<std::string>> expired = Reload(now);
  if (!expired.ok()) return expired.status();
  if (active_kid_.empty() || active_created_at_ + options_.rotation_interval_seconds <= now) {
    AIH_RETURN_IF_ERROR(RotateLocked(now));
  }
  for (const std::string& kid : *expired) {
    AIH_RETURN_IF_ERROR(repository_.Delete(kid).WithContext("deleting the retired signing key '" + kid + "'"));
  }
  return Status::Ok();
}

Status KeyRing::RotateLocked(int64_t now) {
  Result<SigningKey> key = options_.new_key ? options_.new_key() : SigningKey::Generate();
  if (!key.ok()) return key.status().WithContext("creating a signing key");
  const StoredKey stored{key->kid(), key->PrivatePem(), now, 0};
  const int64_t retire_after = now + PublishDelay() + options_.max_token_lifetime_seconds +
                               2 * options_.clock_skew_seconds;
  Status rotated = repository_.Rotate(stored, active_kid_, retire_after);
  // kConflict: another server rotated since our Reload; its new key serves as well as ours would.
  if (!rotated.ok() && rotated.code() != Code::kConflict) {
    return rotated.WithContext("storing a new signing key");
  }
  Result<std::vector<std::string>> reloaded = Reload(now);
  if (!reloaded.ok()) return reloaded.status();
  if (active_kid_.empty()) {
    return Status::Internal("the key store has no active signing key right after a rotation; its Rotate "
                            "must store the new key as the active one");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> KeyRing::Reload(int64_t now) {
  Result<std::vector<StoredKey>> stored = repository_.Load();
  if (!stored.ok()) return stored.status().WithContext("loading the signing keys");
  std::vector<Entry> known;
  {
    std::lock_guard lock(mu_);
    known = entries_;
  }
  std::vector<Entry> live;
  std::vector<std::string> expired;
  std::string active_kid;
  int64_t active_created_at = 0;
  for (const StoredKey& s : *stored) {
    if (s.retire_after != 0 && s.retire_after <= now) {
      expired.push_back(s.kid);
      continue;
    }
    if (s.retire_after == 0 && (active_kid.empty() || s.created_at > active_created_at)) {
      active_kid = s.kid;
      active_created_at = s.created_at;
    }
    auto same = std::find_if(known.begin(), known.end(), [&](const Entry& e) { return e.key.kid() == s.kid; });
    if (same != known.end()) {  // parsing a PEM costs more than the whole reload otherwise
      live.push_back({same->key, s.created_at, s.retire_after});
      continue;
    }
    Result<SigningKey> key = SigningKey::FromPrivatePem(s.private_pem);
    if (!key.ok()) {
      return Status::Internal("the stored signing key '" + s.kid + "' cannot be read (" +
                              key.status().message() +
                              "); the key store is damaged: delete that key and a new one will be made");
    }
    if (key->kid() != s.kid) {
      return Status::Internal("the signing key stored as '" + s.kid + "' is in fact key '" + key->kid() +
                              "'; the key store is damaged: delete that key and a new one will be made");
    }
    live.push_back({std::move(*key), s.created_at, s.retire_after});
  }
  std::sort(live.begin(), live.end(), [](const Entry& a, const Entry& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.key.kid() > b.key.kid();
  });
  active_kid_ = std::move(active_kid);
  active_created_at_ = active_created_at;
  // An empty store keeps the keys we had, so ActiveKey always has one; Refresh then makes a new key.
  if (!live.empty()) {
    std::lock_guard lock(mu_);
    entries_ = std::move(live);
  }
  return expired;
}

}  // namespace aih::auth
