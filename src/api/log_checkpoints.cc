#include "api/log_checkpoints.h"

#include "base/env.h"
#include "integrity/checkpoint.h"

namespace aih::api {

Result<integrity::NoteSigner> SignerOf(const store::LogKeyRow& key) {
  const size_t plus = key.key.find('+');
  if (plus == std::string::npos) return Status::Internal("the stored log key '" + key.key + "' is not a verifier key");
  return integrity::NoteSigner::FromSeed(key.key.substr(0, plus), key.seed);
}

Result<store::LogKeyRow> LogCheckpoints::Rotate() {
  AIH_RETURN_IF_ERROR(integrity::CheckNoteKeyName(log_name_));
  AIH_ASSIGN_OR_RETURN(auto keys, store_.log().Keys());
  const std::string previous = !keys.empty() && keys.front().retired_at == 0 ? keys.front().key : "";
  std::string seed(32, '\0');
  if (!Env::Default().Random(reinterpret_cast<unsigned char*>(seed.data()), seed.size())) {
    return Status::Internal("the random generator failed to make a log key");
  }
  AIH_ASSIGN_OR_RETURN(auto signer, integrity::NoteSigner::FromSeed(log_name_, seed));
  store::LogKeyRow row{signer.VerifierKey(), seed, clock_.NowMillis(), 0};
  AIH_RETURN_IF_ERROR(store_.log().RotateKey(row, previous));
  return row;
}

Result<integrity::NoteSigner> LogCheckpoints::ActiveSigner() {
  for (int attempt = 0;; ++attempt) {
    AIH_ASSIGN_OR_RETURN(auto keys, store_.log().Keys());
    if (!keys.empty() && keys.front().retired_at == 0) return SignerOf(keys.front());
    auto made = Rotate();
    // Another server made the first key at the same time: use theirs.
    if (made.status().code() == Code::kConflict && attempt == 0) continue;
    if (!made.ok()) return made.status();
    return SignerOf(*made);
  }
}

Result<store::StoredCheckpoint> LogCheckpoints::Publish(const std::string& tenant_id) {
  AIH_RETURN_IF_ERROR(store_.log().AdoptPending());  // a store older than its log: its rows first
  AIH_ASSIGN_OR_RETURN(const auto signer, ActiveSigner());
  store::LogStore& log = store_.log();
  AIH_ASSIGN_OR_RETURN(const uint64_t size, log.Size(tenant_id));
  AIH_ASSIGN_OR_RETURN(const auto latest, log.LatestCheckpoint(tenant_id));
  const std::string key = signer.VerifierKey();
  if (latest && latest->size == size && latest->key == key) return *latest;
  AIH_ASSIGN_OR_RETURN(const integrity::Hash root, log.Root(tenant_id, size));
  AIH_ASSIGN_OR_RETURN(const std::string text, integrity::FormatCheckpoint({Origin(tenant_id), size, root, {}}));
  AIH_ASSIGN_OR_RETURN(std::string note, signer.Sign(text));
  store::StoredCheckpoint checkpoint{tenant_id, size, key, root, std::move(note), clock_.NowMillis()};
  AIH_RETURN_IF_ERROR(log.SaveCheckpoint(checkpoint));
  return checkpoint;
}

Status LogCheckpoints::PublishAll() {
  AIH_RETURN_IF_ERROR(store_.log().AdoptPending());
  AIH_ASSIGN_OR_RETURN(const auto tenants, store_.log().Tenants());
  Status first;
  for (const std::string& tenant : tenants) {
    auto published = Publish(tenant);
    if (!published.ok() && first.ok()) first = published.status().WithContext("tenant " + tenant);
  }
  return first;
}

}  // namespace aih::api
