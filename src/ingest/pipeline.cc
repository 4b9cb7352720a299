#include "ingest/pipeline.h"

namespace aih::ingest {
namespace {

// The directory could not answer (PostgreSQL restarting, ...): the item is not at fault.
bool DirectoryFailed(Code code) {
  return code == Code::kUnavailable || code == Code::kStorageFull || code == Code::kInternal;
}

// Gives the item its owner, or says why it has none.
Status Attribute(const Attribution& attribution, model::WriteItem& item) {
  if (item.user_id.empty()) {
    if (attribution.user_id.empty()) return Status::BadRequest(attribution.unnamed_refusal);
    item.user_id = attribution.user_id;
  } else if (attribution.binding && item.user_id != attribution.user_id) {
    return Status::BadRequest("@aihistory.userId '" + item.user_id + "' differs from the user in the path '" +
                              attribution.user_id + "'");
  }
  return Status::Ok();
}

// The directory's answer for each item of `checked`, in order: the owner's object id, or why the
// item is refused.
std::vector<Result<std::string>> Authorize(policy::AccessPolicy& policy, const Writer& writer,
                                           const std::vector<const model::WriteItem*>& checked) {
  switch (writer.kind()) {
    case Writer::Kind::kApplication:
      return policy.AuthorizeItems(*writer.principal(), checked);
    case Writer::Kind::kOperator: {
      std::vector<Result<std::string>> out;
      out.reserve(checked.size());
      for (const model::WriteItem* item : checked) {
        out.push_back(policy.CheckItem(writer.tenant_id(), *item));
        if (!out.back().ok() && DirectoryFailed(out.back().status().code())) break;  // no use asking on
      }
      return out;
    }
    case Writer::Kind::kGenerator:
      break;
  }
  std::vector<Result<std::string>> out;
  out.reserve(checked.size());
  for (const model::WriteItem* item : checked) out.push_back(item->user_id);
  return out;
}

}  // namespace

Result<IngestResult> Ingest(store::InteractionStore& store, policy::AccessPolicy& policy, const Writer& writer,
                            const Attribution& attribution, std::vector<model::ParsedItem> items) {
  IngestResult result;
  result.items.resize(items.size());
  std::vector<const model::WriteItem*> checked;  // the items to authorize, in order
  std::vector<size_t> checked_index;             // checked[k] is item checked_index[k]
  for (size_t i = 0; i < items.size(); ++i) {
    model::WriteItem& item = items[i].item;
    ItemReport& report = result.items[i];
    report.status = items[i].status;
    report.user_id = item.user_id;
    report.id = item.interaction.id;
    if (report.status.ok()) report.status = model::CheckIndexedFields(item.interaction);
    if (report.status.ok()) report.status = Attribute(attribution, item);
    if (!report.status.ok()) continue;
    checked.push_back(&item);
    checked_index.push_back(i);
  }

  std::vector<Result<std::string>> owners = Authorize(policy, writer, checked);
  std::vector<store::ItemToWrite> writes;
  std::vector<size_t> write_index;  // writes[k] is item write_index[k]
  writes.reserve(checked.size());
  for (size_t k = 0; k < checked.size(); ++k) {
    const size_t i = checked_index[k];
    ItemReport& report = result.items[i];
    Result<std::string>& owner = owners[k];
    if (!owner.ok()) {
      if (DirectoryFailed(owner.status().code())) return owner.status();
      report.status = owner.status();
      continue;
    }
    model::WriteItem& item = items[i].item;
    writes.push_back(store::PrepareItem(writer.tenant_id(), *owner, std::move(item.interaction)));
    // A moved tenant keeps its etags; a writer's etag is the server's to set, and ignored.
    if (writer.kind() == Writer::Kind::kOperator) store::KeepExportedEtag(writes.back(), item.sent_etag);
    report.user_id = writes.back().user_id;
    report.id = writes.back().interaction.id;
    result.written_bytes += writes.back().json.size();
    write_index.push_back(i);
  }

  result.written = writes.size();
  if (!writes.empty()) {
    std::vector<store::ItemOutcome> outcomes;
    AIH_RETURN_IF_ERROR(store.Write(writes, &outcomes));
    for (size_t k = 0; k < writes.size(); ++k) result.items[write_index[k]].outcome = outcomes[k];
  }
  for (const ItemReport& r : result.items) {
    if (!r.status.ok()) {
      ++result.refused;
      continue;
    }
    switch (r.outcome.result) {
      case store::WriteResult::kStored: ++result.stored; break;
      case store::WriteResult::kUnchanged: ++result.unchanged; break;
      case store::WriteResult::kUpdated: ++result.updated; break;
    }
  }
  return result;
}

}  // namespace aih::ingest
