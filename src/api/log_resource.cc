#include "api/log_resource.h"

#include <charconv>
#include <optional>

#include "base/base64.h"
#include "integrity/checkpoint.h"
#include "integrity/log_leaf.h"
#include "integrity/signed_note.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "odata/percent_encoding.h"

namespace aih::api::log_routes {
namespace {

using model::AppendJsonString;

std::string B64(const integrity::Hash& hash) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

void AppendTime(std::string& out, int64_t millis) {
  if (millis == 0) {
    out += "null";
    return;
  }
  AppendJsonString(out, model::Timestamp::FromUnixMillis(millis).ToString());
}

void AppendProof(std::string& out, const std::vector<integrity::Hash>& proof) {
  out += ",\"proof\":[";
  for (size_t i = 0; i < proof.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, B64(proof[i]));
  }
  out += ']';
}

// Query parameter `name`, percent-decoded; nullopt when absent.
Result<std::optional<std::string>> Param(const http::Request& request, std::string_view name) {
  std::string_view query = request.query();
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    AIH_ASSIGN_OR_RETURN(std::string value,
                         odata::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true));
    return std::optional<std::string>(std::move(value));
  }
  return std::optional<std::string>();
}

Result<std::optional<uint64_t>> NumberParam(const http::Request& request, std::string_view name) {
  AIH_ASSIGN_OR_RETURN(auto text, Param(request, name));
  if (!text) return std::optional<uint64_t>();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return Status::BadRequest(std::string(name) + " must be a whole number, not '" + *text + "'");
  }
  return std::optional<uint64_t>(value);
}

}  // namespace

std::string CheckpointJson(const store::StoredCheckpoint& cp, const std::string& origin) {
  std::string out = "{\"origin\":";
  AppendJsonString(out, origin);
  out += ",\"treeSize\":" + std::to_string(cp.size) + ",\"rootHash\":";
  AppendJsonString(out, B64(cp.root));
  out += ",\"verifierKey\":";
  AppendJsonString(out, cp.key);
  out += ",\"checkpoint\":";
  AppendJsonString(out, cp.note);
  out += ",\"createdDateTime\":";
  AppendTime(out, cp.created_at);
  return out + '}';
}

Result<std::string> ListKeys(store::Store& store) {
  AIH_ASSIGN_OR_RETURN(const auto keys, store.log().Keys());
  std::string out = "{\"value\":[";
  for (size_t i = 0; i < keys.size(); ++i) {
    out += i ? ",{\"verifierKey\":" : "{\"verifierKey\":";
    AppendJsonString(out, keys[i].key);
    out += keys[i].retired_at == 0 ? ",\"active\":true" : ",\"active\":false";
    out += ",\"createdDateTime\":";
    AppendTime(out, keys[i].created_at);
    out += ",\"retiredDateTime\":";
    AppendTime(out, keys[i].retired_at);
    out += '}';
  }
  return out + "]}";
}

Result<std::string> RotateKey(LogCheckpoints& checkpoints) {
  AIH_ASSIGN_OR_RETURN(const auto key, checkpoints.Rotate());
  std::string out = "{\"verifierKey\":";
  AppendJsonString(out, key.key);
  out += ",\"active\":true,\"createdDateTime\":";
  AppendTime(out, key.created_at);
  return out + ",\"retiredDateTime\":null}";
}

Result<std::string> LatestCheckpoint(store::Store& store, const std::string& tenant_id) {
  AIH_ASSIGN_OR_RETURN(const auto latest, store.log().LatestCheckpoint(tenant_id));
  if (!latest) {
    return Status::NotFound("this tenant's log has no checkpoint yet: POST to this address publishes one");
  }
  AIH_ASSIGN_OR_RETURN(const auto text, integrity::ParseCheckpoint(
                                            latest->note.substr(0, latest->note.find("\n\n") + 1)));
  return CheckpointJson(*latest, text.origin);
}

Result<std::string> PublishCheckpoint(LogCheckpoints& checkpoints, const std::string& tenant_id) {
  AIH_ASSIGN_OR_RETURN(const auto cp, checkpoints.Publish(tenant_id));
  return CheckpointJson(cp, checkpoints.Origin(tenant_id));
}

Result<std::string> Inclusion(store::Store& store, const std::string& tenant_id, const http::Request& request) {
  store::LogStore& log = store.log();
  AIH_ASSIGN_OR_RETURN(const auto index, NumberParam(request, "leafIndex"));
  AIH_ASSIGN_OR_RETURN(const auto user, Param(request, "userId"));
  AIH_ASSIGN_OR_RETURN(const auto id, Param(request, "interactionId"));
  AIH_ASSIGN_OR_RETURN(const auto version, NumberParam(request, "version"));
  AIH_ASSIGN_OR_RETURN(auto size, NumberParam(request, "treeSize"));
  std::optional<store::StoredLeaf> leaf;
  if (index) {
    if (user || id || version) return Status::BadRequest("give leafIndex, or userId, interactionId and version: not both");
    AIH_ASSIGN_OR_RETURN(leaf, log.Leaf(tenant_id, *index));
  } else if (user && id && version) {
    AIH_ASSIGN_OR_RETURN(leaf, log.FindLeaf(tenant_id, *user, *id, static_cast<int64_t>(*version)));
  } else {
    return Status::BadRequest("name the leaf: leafIndex=I, or userId=U&interactionId=X&version=V");
  }
  if (!size) {
    AIH_ASSIGN_OR_RETURN(const auto latest, log.LatestCheckpoint(tenant_id));
    if (latest && latest->size > leaf->index) {
      size = latest->size;
    } else {
      AIH_ASSIGN_OR_RETURN(size, log.Size(tenant_id));
    }
  }
  AIH_ASSIGN_OR_RETURN(const auto proof, log.InclusionProof(tenant_id, leaf->index, *size));
  AIH_ASSIGN_OR_RETURN(const auto root, log.Root(tenant_id, *size));
  std::string out = "{\"leafIndex\":" + std::to_string(leaf->index) + ",\"treeSize\":" + std::to_string(*size) +
                    ",\"leaf\":";
  AppendJsonString(out, integrity::EncodeLeaf(leaf->leaf));
  out += ",\"leafHash\":";
  AppendJsonString(out, B64(leaf->hash));
  out += ",\"rootHash\":";
  AppendJsonString(out, B64(root));
  AppendProof(out, proof);
  return out + '}';
}

Result<std::string> Consistency(store::Store& store, const std::string& tenant_id, const http::Request& request) {
  AIH_ASSIGN_OR_RETURN(const auto first, NumberParam(request, "first"));
  AIH_ASSIGN_OR_RETURN(const auto second, NumberParam(request, "second"));
  if (!first || !second) return Status::BadRequest("give both tree sizes: first=A&second=B");
  store::LogStore& log = store.log();
  AIH_ASSIGN_OR_RETURN(const auto proof, log.ConsistencyProof(tenant_id, *first, *second));
  AIH_ASSIGN_OR_RETURN(const auto first_root, log.Root(tenant_id, *first));
  AIH_ASSIGN_OR_RETURN(const auto second_root, log.Root(tenant_id, *second));
  std::string out = "{\"first\":" + std::to_string(*first) + ",\"second\":" + std::to_string(*second) +
                    ",\"firstRootHash\":";
  AppendJsonString(out, B64(first_root));
  out += ",\"secondRootHash\":";
  AppendJsonString(out, B64(second_root));
  AppendProof(out, proof);
  return out + '}';
}

}  // namespace aih::api::log_routes
