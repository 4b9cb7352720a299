#include "store/interaction_store.h"

#include "base/utf8.h"
#include "model/interaction_writer.h"
#include "store/change_feed.h"
#include "store/search_document.h"

namespace aih::store {

const char* ToString(WriteResult result) {
  switch (result) {
    case WriteResult::kStored: return "stored";
    case WriteResult::kUnchanged: return "unchanged";
    case WriteResult::kUpdated: return "updated";
  }
  return "stored";
}

const char* ToString(ChangeType type) {
  switch (type) {
    case ChangeType::kCreated: return "created";
    case ChangeType::kUpdated: return "updated";
    case ChangeType::kDeleted: return "deleted";
  }
  return "created";
}

uint64_t ContentHash(std::string_view json) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64: stable across builds and engines
  for (unsigned char c : json) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

ItemToWrite PrepareItem(std::string tenant_id, std::string user_id, model::Interaction interaction) {
  if (interaction.id.empty()) model::AssignId(interaction);
  interaction.etag = interaction.id;
  ItemToWrite w;
  w.tenant_id = std::move(tenant_id);
  w.user_id = std::move(user_id);
  w.json = model::WriteInteraction(interaction);
  w.content_hash = ContentHash(w.json);
  w.search_document = SearchDocument(interaction);
  w.interaction = std::move(interaction);
  return w;
}

void KeepExportedEtag(ItemToWrite& item, std::string_view etag) {
  const std::string& id = item.interaction.id;
  if (etag.size() <= id.size() + 1 || etag.substr(0, id.size()) != id || etag[id.size()] != '.') return;
  int64_t version = 0;
  for (char c : etag.substr(id.size() + 1)) {
    if (c < '0' || c > '9' || version > (int64_t{1} << 40)) return;
    version = version * 10 + (c - '0');
  }
  if (version < 2 || EtagFor(id, version) != etag) return;  // "<id>.02" is no etag of ours
  item.version = version;
  item.interaction.etag = std::string(etag);
  item.json = model::WriteInteraction(item.interaction);
}

Rewrite RewriteOf(const ItemToWrite& item, uint64_t stored_hash, int64_t stored_version) {
  const std::string& id = item.interaction.id;
  if (stored_hash == item.content_hash) return {{WriteResult::kUnchanged, EtagFor(id, stored_version)}, stored_version, ""};
  model::Interaction changed = item.interaction;
  changed.etag = EtagFor(id, stored_version + 1);
  std::string json = model::WriteInteraction(changed);
  return {{WriteResult::kUpdated, std::move(changed.etag)}, stored_version + 1, std::move(json)};
}

integrity::LogLeaf LeafOfWrite(const ItemToWrite& item, WriteResult result, int64_t version, std::string sha256) {
  const std::string& id = item.interaction.id;
  return {result == WriteResult::kUpdated ? integrity::LeafKind::kUpdated : integrity::LeafKind::kStored,
          item.tenant_id, item.user_id, id, version, EtagFor(id, version), std::move(sha256)};
}

Status InteractionNotFound(const std::string& user_id, std::string_view id) {
  return Status::NotFound("user " + Printable(user_id) + " has no interaction '" + Printable(id) + "'");
}

std::string EtagFor(const std::string& id, int64_t version) {
  return version <= 1 ? id : id + "." + std::to_string(version);
}

Result<int64_t> InteractionStore::Delete(const std::string& tenant_id, const std::string& user_id,
                                         const std::optional<std::string>& id, const std::string& request_id) {
  Deletion deletion = id ? Deletion::One(tenant_id, user_id, *id) : Deletion::User(tenant_id, user_id);
  deletion.actor = "admin";
  deletion.request_id = request_id;
  auto result = Delete(deletion);
  if (!result.ok()) return result.status();
  return result->deleted;
}

}  // namespace aih::store
