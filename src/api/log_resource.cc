#include "api/log_resource.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "api/export_manifest.h"
#include "base/base64.h"
#include "directory/json_fields.h"
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

Result<std::string> ExportWithManifest(store::Store& store, LogCheckpoints& checkpoints, const std::string& tenant_id,
                                       const http::Request& request) {
  std::optional<std::string> user, file_name;
  std::optional<bool> all;
  if (!request.body.empty()) {
    AIH_ASSIGN_OR_RETURN(auto body, directory::JsonFields::Parse(request.body));
    AIH_RETURN_IF_ERROR(body.OnlyMembers({"userId", "all", "fileName"}));
    AIH_RETURN_IF_ERROR(body.Get("userId", &user));
    AIH_RETURN_IF_ERROR(body.Get("all", &all));
    AIH_RETURN_IF_ERROR(body.Get("fileName", &file_name));
  }
  const std::string name = file_name.value_or("export.ndjson");
  // A bare file name: the manifest names the files beside it, and a verifier looks there.
  if (name.empty() || name.size() > 200 || name == "." || name == ".." ||
      name.find_first_of(std::string("/\\\0", 3)) != std::string::npos ||
      std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
    return Status::BadRequest("\"fileName\" must be a file name of 1 to 200 characters, without a path or control "
                              "characters");
  }
  AIH_ASSIGN_OR_RETURN(store::PageQuery query, ExportQuery(store, tenant_id, user.value_or(""), all.value_or(false)));
  ExportManifestBuilder manifest(store, checkpoints, ExportScope{tenant_id, query.user_id, all.value_or(false), ""});
  std::string exported;
  int64_t count = 0;
  query.limit = 1000;
  for (;;) {
    int rows = 0;
    Status added;
    odata::CursorPosition last;
    AIH_RETURN_IF_ERROR(store.interactions().Page(query, [&](const store::PageRow& row) {
      if (++count > kMaxExportedWithManifest) return false;
      added = manifest.Add(row);
      if (!added.ok()) return false;
      exported += model::PrependAnnotation(row.json, "@aihistory.userId", row.user_id);
      exported += '\n';
      last.ticks = row.ticks;
      last.id = std::string(row.id);
      last.user_id = std::string(row.user_id);
      ++rows;
      return true;
    }));
    AIH_RETURN_IF_ERROR(added);
    if (count > kMaxExportedWithManifest) {
      return Status::BadRequest("the export holds more than " + std::to_string(kMaxExportedWithManifest) +
                                " interactions, more than this route answers at once: export one user at a time "
                                "(\"userId\"), or use `aihistory export --manifest`, which streams any size");
    }
    if (rows < query.limit) break;
    query.after = std::move(last);
  }
  const std::string proofs_name = name + ".manifest.proofs.ndjson";
  std::string proofs;
  AIH_ASSIGN_OR_RETURN(const std::string signed_manifest, manifest.FinishInMemory(exported, name, proofs_name, &proofs));
  std::string out = "{\"count\":" + std::to_string(count) + ",\"fileName\":";
  AppendJsonString(out, name);
  out += ",\"export\":";
  AppendJsonString(out, exported);
  out += ",\"manifest\":";
  AppendJsonString(out, signed_manifest);
  out += ",\"proofsFileName\":";
  AppendJsonString(out, proofs_name);
  out += ",\"proofs\":";
  AppendJsonString(out, proofs);
  return out + "}";
}

}  // namespace aih::api::log_routes
