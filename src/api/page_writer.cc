#include "api/page_writer.h"

#include "model/interaction_reader.h"
#include "model/interaction_writer.h"

namespace aih::api {
namespace {

constexpr const char* kUserAnnotation = "@aihistory.userId";

}  // namespace

Status PageWriter::AppendItem(const store::PageRow& row) {
  if (!layout_.select || layout_.select->empty()) {
    if (layout_.annotate_user) {
      text_ += model::PrependAnnotation(row.json, kUserAnnotation, row.user_id);
    } else {
      text_ += row.json;
    }
    return Status::Ok();
  }
  auto item = model::ReadStoredItem(row.json);  // keeps the stored etag
  if (!item.ok()) return Status::Internal("a stored interaction could not be re-read: " + item.status().message());
  std::string selected = model::WriteSelected(item->interaction, *layout_.select);
  text_ += layout_.annotate_user ? model::PrependAnnotation(selected, kUserAnnotation, row.user_id) : selected;
  return Status::Ok();
}

bool PageWriter::Write(const store::PageRow& row) {
  if (written_++) text_ += layout_.between;
  const size_t before = text_.size();
  status_ = AppendItem(row);
  ++counted_items_;
  counted_bytes_ += static_cast<int64_t>(text_.size() - before);
  if (!status_.ok()) return false;
  text_ += layout_.after;
  // Assigned in place: the strings keep their capacity from one item to the next.
  last_.ticks = row.ticks;
  last_.id = row.id;
  last_.user_id = row.user_id;
  return text_.size() < layout_.part_bytes || sink_.Offer(text_);
}

std::pair<int64_t, int64_t> PageWriter::TakeCounts() {
  std::pair<int64_t, int64_t> counts{counted_items_, counted_bytes_};
  counted_items_ = counted_bytes_ = 0;
  return counts;
}

}  // namespace aih::api
