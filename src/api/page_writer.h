// PageWriter: writes the items of an export page as the store reads them, for any sink: the HTTP
// response of the export API (export_resource.cc) and the NDJSON of `aihistory export`.
//
// It owns what both need and used to write twice: the splice of the stored canonical JSON (DESIGN
// decision 1: only $select re-serialises), the "@aihistory.userId" annotation of tenant-wide items,
// the keyset position of the last item written (kept in place, one copy per item: the next cursor and
// the resumption of a paused page both start from it), and the streaming threshold past which the
// text written so far is offered to the sink. The caller writes the page's head and tail around the
// items (text()), and decides when a page is full.
// Threading: one page, one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "odata/cursor.h"
#include "store/interaction_store.h"

namespace aih::api {

// Where a page's text goes once it passes the threshold.
class PageSink {
 public:
  virtual ~PageSink() = default;
  // May take `text` (leaving it empty, for reuse) or leave it to grow. False: stop reading for now
  // (the client has enough in hand or is gone; the output failed).
  virtual bool Offer(std::string& text) = 0;
};

struct PageLayout {
  const std::vector<std::string>* select = nullptr;  // $select; null or empty: the stored JSON as it is
  bool annotate_user = false;                        // "@aihistory.userId" first in each item
  std::string_view between = ",";                    // written between two items
  std::string_view after = "";                       // written after each item
  size_t part_bytes = 256 * 1024;                    // offer the text to the sink past this size
};

class PageWriter {
 public:
  PageWriter(PageLayout layout, PageSink& sink) : layout_(layout), sink_(sink) {}

  // The page's text not yet taken by the sink; the caller appends the head and the tail.
  std::string& text() { return text_; }

  // Writes one row. False: stop reading, because the row could not be written (status() says why),
  // or else because the sink asked to pause (the caller resumes after last()).
  bool Write(const store::PageRow& row);
  // Offers whatever text is left to the sink, whatever its size. False as for Offer.
  bool Flush() { return sink_.Offer(text_); }

  int written() const { return written_; }                  // items written, over the writer's life
  const odata::CursorPosition& last() const { return last_; }  // of the last item written
  const Status& status() const { return status_; }
  // The items written and their bytes since the last call (for metrics: one add per turn).
  std::pair<int64_t, int64_t> TakeCounts();

 private:
  Status AppendItem(const store::PageRow& row);

  PageLayout layout_;
  PageSink& sink_;
  std::string text_;
  int written_ = 0;
  odata::CursorPosition last_;
  Status status_;
  int64_t counted_items_ = 0, counted_bytes_ = 0;
};

}  // namespace aih::api
