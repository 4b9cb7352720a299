#include "store/sqlite/search_windows.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/page_sql.h"
#include "store/sqlite/prefix_terms.h"
#include "store/sqlite/session.h"

namespace aih::store::sqlite {
namespace {

// The first window: eight times the page, so that a term in one item of eight fills a page in one.
constexpr int kFirstWindowPerRow = 8;
constexpr int kMinWindow = 256;
// Windows grow fourfold up to this many positions (8 bytes each in memory, then freed).
constexpr int kMaxWindow = 1 << 20;
// More ranges than this and the narrowest gaps are read through: each range is one FTS5 subquery.
constexpr size_t kMaxRanges = 16;

}  // namespace

std::vector<std::pair<int64_t, int64_t>> RowidRangesOf(std::vector<int64_t> rowids, int64_t max_gap,
                                                       size_t max_ranges) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  if (rowids.empty()) return ranges;
  std::sort(rowids.begin(), rowids.end());
  // The gaps wide enough to split at, widest first; only the widest max_ranges - 1 are kept.
  std::vector<std::pair<int64_t, size_t>> gaps;  // (width, index of the rowid after it)
  for (size_t i = 1; i < rowids.size(); ++i) {
    const int64_t width = rowids[i] - rowids[i - 1];
    if (width > max_gap) gaps.emplace_back(width, i);
  }
  if (gaps.size() + 1 > max_ranges) {
    std::partial_sort(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(max_ranges - 1), gaps.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    gaps.resize(max_ranges - 1);
  }
  std::vector<size_t> splits;
  for (const auto& g : gaps) splits.push_back(g.second);
  std::sort(splits.begin(), splits.end());
  size_t start = 0;
  for (size_t split : splits) {
    ranges.emplace_back(rowids[start], rowids[split - 1]);
    start = split;
  }
  ranges.emplace_back(rowids[start], rowids.back());
  // Padded with empty ranges, never a repeated one: SQLite may read `seq IN (... UNION ALL ...)` as
  // a loop over the subquery's rows, where a rowid found twice would be a row read twice.
  size_t rounded = 1;
  while (rounded < ranges.size()) rounded *= 2;
  ranges.resize(rounded, {1, 0});
  return ranges;
}

ReadSnapshot::~ReadSnapshot() {
  if (open_) (void)c_.Exec("ROLLBACK");
}

Status ReadSnapshot::Begin() {
  AIH_RETURN_IF_ERROR(c_.Exec("BEGIN"));
  open_ = true;
  return Status::Ok();
}

Status ReadSearchPageByWindows(Connection& c, const PageQuery& query, const PrefixTerms& prefix_terms,
                               const std::function<bool(const PageRow&)>& emit, int max_document_rows) {
  PageQuery q = query;
  int window = std::max(kMinWindow, query.limit * kFirstWindowPerRow);
  // Each prefix as its terms, read in the caller's snapshot, so that FTS5 seeks in their lists. A prefix
  // with too many terms stays one, whose match lists FTS5 would merge whole for each window, whatever
  // its range: the window's rows are tested on their stored documents instead (search_sql.h).
  bool many_term_prefix = false;
  for (const std::string& prefix : FullTextPrefixes(*query.search)) {
    if (!prefix_terms.count(prefix)) many_term_prefix = true;
  }
  int64_t walked = 0;  // positions of the history read so far
  for (;;) {
    if (many_term_prefix && walked > 0 && walked + window > max_document_rows) {
      // The rest of the page in one statement: the history from here, each row tested against the
      // prefix's match list, read whole once.
      const PageSql rest = BuildPageSql(q, /*count_only=*/false, sql::SqliteDialect());
      return ReadPageRows(c, rest, emit);
    }
    // The window: the next positions in the page's order.
    const PageSql positions = BuildWindowSql(q, window, sql::SqliteDialect());
    std::vector<int64_t> rowids;
    rowids.reserve(static_cast<size_t>(window));
    HistoryWindow w;
    w.prefix_terms = &prefix_terms;
    {
      auto row = c.Prepare(positions.sql);
      if (!row.ok()) return row.status();
      BindArgs(*row, positions.params);
      Status status;
      while (row->Step(&status)) {
        rowids.push_back(row->Int(0));
        w.last.user_id = std::string(row->Text(1));
        w.last.id = std::string(row->Text(2));
        w.last.ticks = row->Int(3);
      }
      AIH_RETURN_IF_ERROR(status);
    }
    if (rowids.empty()) return Status::Ok();  // the history ends
    w.to_the_end = rowids.size() < static_cast<size_t>(window);
    walked += static_cast<int64_t>(rowids.size());
    w.rowid_ranges = RowidRangesOf(std::move(rowids), window, kMaxRanges);

    // The page's rows in that window.
    const PageSql page = BuildPageSql(q, /*count_only=*/false, sql::SqliteDialect(),
                                      /*from_matches=*/false, &w);
    int taken = 0;
    bool stopped = false;
    AIH_RETURN_IF_ERROR(ReadPageRows(c, page, [&](const PageRow& row) {
      if (!emit(row)) return !(stopped = true);
      ++taken;
      return true;
    }));
    if (stopped || taken == q.limit || w.to_the_end) return Status::Ok();
    q.limit -= taken;
    q.after = std::move(w.last);
    window = std::min(kMaxWindow, window * 4);
  }
}

}  // namespace aih::store::sqlite
