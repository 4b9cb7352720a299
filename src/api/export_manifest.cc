#include "api/export_manifest.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <cstring>
#include <memory>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/base64.h"
#include "base/hex.h"
#include "base/utf8.h"
#include "integrity/checkpoint.h"
#include "integrity/log_leaf.h"
#include "integrity/merkle.h"
#include "integrity/signed_note.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "policy/directory_policy.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

constexpr std::string_view kManifestType = "aihistory-export-manifest v1";
constexpr std::string_view kUserAnnotation = "@aihistory.userId";

// The SHA-256 of a file, read in blocks (an export may be larger than memory).
Result<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return Status::Internal("SHA-256 is unavailable");
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), block.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::Unavailable("reading " + path + " failed");
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), 32);
}

// The version an etag names for interaction `id`: "<id>" is 1, "<id>.<n>" is n.
Result<int64_t> VersionOf(std::string_view id, std::string_view etag) {
  if (etag == id) return int64_t{1};
  if (etag.size() > id.size() + 1 && etag.substr(0, id.size()) == id && etag[id.size()] == '.') {
    int64_t n = 0;
    for (char c : etag.substr(id.size() + 1)) {
      if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) return Status::BadRequest("the etag '" + std::string(etag) + "' names no version");
      n = n * 10 + (c - '0');
    }
    if (n >= 2) return n;
  }
  return Status::BadRequest("the etag '" + std::string(etag) + "' is not one of interaction '" + std::string(id) + "'");
}

// The id and etag of a stored interaction's JSON.
Status IdAndEtag(std::string_view json, std::string* id, std::string* etag) {
  simdjson::padded_string padded(json);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view id_view, etag_view;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || root["id"].get_string().get(id_view) != simdjson::SUCCESS ||
      root["etag"].get_string().get(etag_view) != simdjson::SUCCESS) {
    return Status::BadRequest("it is not an interaction's JSON with an id and an etag");
  }
  *id = std::string(id_view);
  *etag = std::string(etag_view);
  return Status::Ok();
}

std::string B64(const integrity::Hash& h) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Status ExportManifestBuilder::Add(const store::PageRow& row) {
  Exported e;
  e.user_id = std::string(row.user_id);
  std::string etag;
  AIH_RETURN_IF_ERROR(IdAndEtag(row.json, &e.id, &etag).WithContext("an exported interaction"));
  AIH_ASSIGN_OR_RETURN(e.version, VersionOf(e.id, etag));
  e.content_sha256 = integrity::Sha256(row.json);
  if (rows_.empty() || row.ticks < from_ticks_) from_ticks_ = row.ticks;
  if (rows_.empty() || row.ticks > to_ticks_) to_ticks_ = row.ticks;
  rows_.push_back(std::move(e));
  return Status::Ok();
}

Result<store::StoredCheckpoint> ExportManifestBuilder::WriteProofs(std::ostream& out) {
  // The checkpoint comes after the export: every exported version's leaf is below its size.
  AIH_ASSIGN_OR_RETURN(const auto checkpoint, checkpoints_.Publish(scope_.tenant_id));
  store::LogStore& log = store_.log();
  std::string line;
  for (size_t n = 0; n < rows_.size(); ++n) {
    const Exported& e = rows_[n];
    AIH_ASSIGN_OR_RETURN(const auto leaf, log.FindLeaf(scope_.tenant_id, e.user_id, e.id, e.version));
    if (leaf.leaf.content_sha256 != e.content_sha256) {
      return Status::Internal("the log's leaf " + std::to_string(leaf.index) + " of interaction '" + e.id +
                              "' does not hold the SHA-256 of its exported JSON: run `aihistory verify`");
    }
    AIH_ASSIGN_OR_RETURN(const auto proof, log.InclusionProof(scope_.tenant_id, leaf.index, checkpoint.size));
    line = "{\"line\":" + std::to_string(n + 1) + ",\"leafIndex\":" + std::to_string(leaf.index) + ",\"leaf\":";
    AppendJsonString(line, integrity::EncodeLeaf(leaf.leaf));
    line += ",\"proof\":[";
    for (size_t i = 0; i < proof.size(); ++i) {
      if (i) line += ',';
      AppendJsonString(line, B64(proof[i]));
    }
    line += "]}\n";
    out << line;
  }
  return checkpoint;
}

Result<std::string> ExportManifestBuilder::Finish(const std::string& export_path, const std::string& proofs_path) {
  store::StoredCheckpoint checkpoint;
  {
    std::ofstream proofs(proofs_path, std::ios::binary | std::ios::trunc);
    if (!proofs) return Status::Unavailable("cannot write " + proofs_path);
    AIH_ASSIGN_OR_RETURN(checkpoint, WriteProofs(proofs));
    proofs.flush();
    if (!proofs) return Status::Unavailable("writing " + proofs_path + " failed");
  }
  AIH_ASSIGN_OR_RETURN(const std::string file_sha, FileSha256(export_path));
  AIH_ASSIGN_OR_RETURN(const std::string proofs_sha, FileSha256(proofs_path));
  return Sign(checkpoint, std::filesystem::path(export_path).filename().string(), file_sha,
              std::filesystem::path(proofs_path).filename().string(), proofs_sha);
}

Result<std::string> ExportManifestBuilder::FinishInMemory(std::string_view export_text, const std::string& export_name,
                                                          const std::string& proofs_name, std::string* proofs) {
  std::ostringstream out;
  AIH_ASSIGN_OR_RETURN(const auto checkpoint, WriteProofs(out));
  *proofs = out.str();
  return Sign(checkpoint, export_name, integrity::Sha256(export_text), proofs_name, integrity::Sha256(*proofs));
}

Result<std::string> ExportManifestBuilder::Sign(const store::StoredCheckpoint& checkpoint,
                                                const std::string& export_name, const std::string& export_sha,
                                                const std::string& proofs_name, const std::string& proofs_sha) {
  std::string text = "{\"manifest\":";
  AppendJsonString(text, kManifestType);
  text += ",\"tenantId\":";
  AppendJsonString(text, scope_.tenant_id);
  text += ",\"userId\":";
  if (scope_.user_id.empty()) {
    text += "null";
  } else {
    AppendJsonString(text, scope_.user_id);
  }
  text += scope_.all ? ",\"all\":true" : ",\"all\":false";
  text += ",\"filter\":";
  if (scope_.filter.empty()) {
    text += "null";
  } else {
    AppendJsonString(text, scope_.filter);
  }
  text += ",\"count\":" + std::to_string(rows_.size()) + ",\"from\":";
  if (rows_.empty()) {
    text += "null,\"to\":null";
  } else {
    AppendJsonString(text, model::Timestamp{from_ticks_, 7}.ToString());
    text += ",\"to\":";
    AppendJsonString(text, model::Timestamp{to_ticks_, 7}.ToString());
  }
  text += ",\"file\":{\"name\":";
  AppendJsonString(text, export_name);
  text += ",\"sha256\":";
  AppendJsonString(text, Hex(export_sha));
  text += "},\"proofs\":{\"name\":";
  AppendJsonString(text, proofs_name);
  text += ",\"sha256\":";
  AppendJsonString(text, Hex(proofs_sha));
  text += "},\"checkpoint\":";
  AppendJsonString(text, checkpoint.note);
  text += ",\"verifierKey\":";
  AIH_ASSIGN_OR_RETURN(const auto signer, checkpoints_.ActiveSigner());
  AppendJsonString(text, signer.VerifierKey());
  text += "}\n";
  return signer.Sign(text);
}

Result<store::PageQuery> ExportQuery(store::Store& store, const std::string& tenant_id, const std::string& user,
                                     bool all) {
  store::PageQuery query;
  query.tenant_id = tenant_id;
  policy::DirectoryPolicy policy(store.directory());
  if (user.empty()) {
    if (all) return query;
    auto scope = policy.TenantExportScope(tenant_id);
    if (!scope.ok()) return scope.status();
    scope->ApplyTo(query);
    return query;
  }
  if (all) {
    auto found = store.directory().FindUser(tenant_id, user);
    if (!found.ok()) {
      if (found.status().code() != Code::kNotFound) return found.status();
      return Status::NotFound("tenant " + tenant_id + " has no user '" + Printable(user) + "'");
    }
    query.user_id = found->id;
    return query;
  }
  auto scope = policy.UserExportScope(tenant_id, user);
  if (!scope.ok()) {
    if (scope.status().code() == Code::kNotFound) {
      return Status::NotFound("tenant " + tenant_id + " has no user '" + Printable(user) + "'");
    }
    if (scope.status().code() == Code::kForbidden) {
      return Status::Forbidden(scope.status().message() + " (a full backup, --all or \"all\": true, exports them anyway)");
    }
    return scope.status();
  }
  scope->ApplyTo(query);
  return query;
}

Result<ExportVerification> VerifyExport(const std::string& verifier_key, const std::string& manifest_path,
                                        const std::string& export_path, const std::string& proofs_path) {
  AIH_ASSIGN_OR_RETURN(const auto verifier, integrity::NoteVerifier::Parse(verifier_key));
  AIH_ASSIGN_OR_RETURN(const std::string note, ReadAll(manifest_path));
  auto text = verifier.Open(note);
  if (!text.ok()) return Status::BadRequest("the manifest does not verify with the key: " + text.status().message());
  simdjson::padded_string padded(*text);
  simdjson::dom::parser parser;
  simdjson::dom::element m;
  std::string_view type, tenant, file_sha, proofs_name, proofs_sha, checkpoint_note;
  uint64_t count = 0;
  if (parser.parse(padded).get(m) != simdjson::SUCCESS || m["manifest"].get_string().get(type) != simdjson::SUCCESS ||
      type != kManifestType || m["tenantId"].get_string().get(tenant) != simdjson::SUCCESS ||
      m["count"].get_uint64().get(count) != simdjson::SUCCESS ||
      m["file"]["sha256"].get_string().get(file_sha) != simdjson::SUCCESS ||
      m["proofs"]["name"].get_string().get(proofs_name) != simdjson::SUCCESS ||
      m["proofs"]["sha256"].get_string().get(proofs_sha) != simdjson::SUCCESS ||
      m["checkpoint"].get_string().get(checkpoint_note) != simdjson::SUCCESS) {
    return Status::BadRequest("the manifest is not an " + std::string(kManifestType) + " manifest");
  }
  const std::string tenant_id(tenant);
  auto checkpoint_text = verifier.Open(checkpoint_note);
  if (!checkpoint_text.ok()) {
    return Status::BadRequest("the manifest's checkpoint does not verify with the key: " + checkpoint_text.status().message());
  }
  AIH_ASSIGN_OR_RETURN(const auto checkpoint, integrity::ParseCheckpoint(*checkpoint_text));
  if (checkpoint.origin != std::string(kDefaultLogName) + "/" + tenant_id) {
    return Status::BadRequest("the manifest's checkpoint is of the log '" + checkpoint.origin + "', not tenant " + tenant_id + "'s");
  }
  const std::string proofs_file =
      !proofs_path.empty() ? proofs_path : (std::filesystem::path(manifest_path).parent_path() / std::string(proofs_name)).string();
  AIH_ASSIGN_OR_RETURN(const std::string export_sha, FileSha256(export_path));
  if (Hex(export_sha) != file_sha) {
    return Status::BadRequest("the export file " + export_path + " is not the one the manifest signs (its SHA-256 differs)");
  }
  AIH_ASSIGN_OR_RETURN(const std::string proof_file_sha, FileSha256(proofs_file));
  if (Hex(proof_file_sha) != proofs_sha) {
    return Status::BadRequest("the proofs file " + proofs_file + " is not the one the manifest signs (its SHA-256 differs)");
  }

  std::ifstream lines(export_path, std::ios::binary), proofs(proofs_file, std::ios::binary);
  std::string line, proof_line;
  ExportVerification out;
  out.tenant_id = tenant_id;
  out.checkpoint_size = checkpoint.size;
  simdjson::dom::parser line_parser;
  while (std::getline(lines, line)) {
    ++out.lines;
    const std::string at = "line " + std::to_string(out.lines) + " of the export";
    if (!std::getline(proofs, proof_line)) return Status::BadRequest(at + " has no proof");
    // The stored JSON is the line without its first member, "@aihistory.userId".
    simdjson::padded_string padded_line(line);
    simdjson::dom::element item;
    std::string_view user;
    if (line_parser.parse(padded_line).get(item) != simdjson::SUCCESS ||
        item[kUserAnnotation].get_string().get(user) != simdjson::SUCCESS) {
      return Status::BadRequest(at + " is not an exported interaction");
    }
    std::string prefix = "{";
    AppendJsonString(prefix, kUserAnnotation);
    prefix += ':';
    AppendJsonString(prefix, user);
    prefix += ',';
    if (line.compare(0, prefix.size(), prefix) != 0) return Status::BadRequest(at + " does not begin with its user");
    const std::string stored = "{" + line.substr(prefix.size());
    std::string id, etag;
    AIH_RETURN_IF_ERROR(IdAndEtag(stored, &id, &etag).WithContext(at));
    simdjson::padded_string padded_proof(proof_line);
    simdjson::dom::parser proof_parser;
    simdjson::dom::element p;
    std::string_view leaf_text;
    uint64_t index = 0;
    simdjson::dom::array hashes;
    if (proof_parser.parse(padded_proof).get(p) != simdjson::SUCCESS ||
        p["leaf"].get_string().get(leaf_text) != simdjson::SUCCESS ||
        p["leafIndex"].get_uint64().get(index) != simdjson::SUCCESS ||
        p["proof"].get_array().get(hashes) != simdjson::SUCCESS) {
      return Status::BadRequest("the proof of " + at + " is malformed");
    }
    AIH_ASSIGN_OR_RETURN(const auto leaf, integrity::ParseLeaf(leaf_text));
    if (leaf.kind == integrity::LeafKind::kDeleted || leaf.tenant_id != tenant_id || leaf.user_id != user ||
        leaf.interaction_id != id || leaf.etag != etag || leaf.content_sha256 != integrity::Sha256(stored)) {
      return Status::BadRequest(at + " (interaction '" + id + "') is not what its leaf records: it was altered");
    }
    std::vector<integrity::Hash> proof;
    for (simdjson::dom::element h : hashes) {
      std::string_view b64;
      if (h.get_string().get(b64) != simdjson::SUCCESS) return Status::BadRequest("the proof of " + at + " is malformed");
      auto bytes = Base64Decode(b64);
      if (!bytes.ok() || bytes->size() != 32) return Status::BadRequest("the proof of " + at + " is malformed");
      integrity::Hash hash;
      std::memcpy(hash.data(), bytes->data(), 32);
      proof.push_back(hash);
    }
    if (!integrity::VerifyInclusion(index, checkpoint.size, integrity::LeafHash(leaf_text), proof, checkpoint.root)) {
      return Status::BadRequest("the inclusion proof of " + at + " (interaction '" + id +
                                "') does not verify against the checkpoint");
    }
  }
  if (std::getline(proofs, proof_line)) return Status::BadRequest("the proofs file has more lines than the export");
  if (out.lines != count) {
    return Status::BadRequest("the export has " + std::to_string(out.lines) + " lines, the manifest signs " +
                              std::to_string(count));
  }
  return out;
}

}  // namespace aih::api
