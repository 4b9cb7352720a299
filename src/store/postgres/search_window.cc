#include "store/postgres/search_window.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/session.h"
#include "store/search_sql.h"

namespace aih::store::postgres {

// Plain index scans off: the window's rows are then read through bitmaps, and the planner ANDs the
// GIN index's with the time index's (the window's range) rather than fetching every row of either.
// Sequential scans off: a small table would be read whole. Custom plans: a generic plan knows neither
// the word nor the range. Index-only scans go too (enable_indexscan covers them), so the ends of the
// rows walked, found by an index-only walk, are read under the defaults.
const char* const kWindowPlanSettings =
    "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan";
const char* const kDefaultPlanSettings =
    "SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL plan_cache_mode TO DEFAULT";

namespace {

// The most rows one walk or window covers: a bound on one statement, far beyond any page's need.
constexpr int64_t kMaxStepRows = int64_t{1} << 24;
constexpr int64_t kStepRows = 1024;
// What reading the rest of a page costs, in µs, per row walked and tested (a row fetched from the
// table and its terms matched), per entry of the time index in a window's bitmap, per entry of the
// GIN index in a bitmap, and per match fetched from the table, filtered and sorted: measured at
// 1,000,000 interactions on the loaded 2-core machine of docs/benchmarks.md, each way forced
// (search_bench --postgres prints them). Only their ratios matter.
constexpr double kWalkPerRow = 2;
constexpr double kRangePerRow = 0.5;
constexpr double kGinPerMatch = 1;
constexpr double kFetchPerMatch = 4;

// The rows of a page, copied out of the result: the connection goes back to the pool before they go
// to a client that may read slowly.
struct PageRowCopy {
  std::string json, user_id, id;
  int64_t created_ticks = 0;
};

Status ReadRows(Connection& c, const PageSql& page, std::vector<PageRowCopy>* out) {
  AIH_ASSIGN_OR_RETURN(const Params params, ParamsOf(page.params));
  auto result = c.Query(page.sql, params);
  if (!result.ok()) return result.status();
  for (int r = 0; r < result->size(); ++r) {
    out->push_back({std::string(result->Text(r, 0)), std::string(result->Text(r, 1)), std::string(result->Text(r, 2)),
                    result->Int(r, 3)});
  }
  return Status::Ok();
}

// The position of the `rows`-th row of the history from `query`'s start; none when it holds fewer.
Result<std::optional<odata::CursorPosition>> EndOfRows(Connection& c, const PageQuery& query, int64_t rows) {
  const PageSql end_sql = BuildNewestRowsEndSql(query, static_cast<int>(rows), sql::PostgresDialect());
  AIH_ASSIGN_OR_RETURN(const Params params, ParamsOf(end_sql.params));
  auto end = c.Query(end_sql.sql, params);
  if (!end.ok()) return end.status();
  if (end->size() == 0) return std::optional<odata::CursorPosition>();
  odata::CursorPosition last;
  last.ticks = end->Int(0, 0);
  last.id = std::string(end->Text(0, 1));
  last.user_id = std::string(end->Text(0, 2));
  return std::optional<odata::CursorPosition>(std::move(last));
}

// The planner's count of the table's rows (as of its last VACUUM or ANALYZE; -1 before either).
Result<double> TableRows(Connection& c) {
  auto n = c.Query("SELECT reltuples::float8::text FROM pg_class WHERE oid = 'interactions'::regclass");
  if (!n.ok()) return n.status();
  if (n->size() == 0) return -1.0;
  return std::stod(std::string(n->Text(0, 0)));
}

}  // namespace

bool ReadsSearchByWindow(const PageQuery& query) {
  // The driving query is the part of the search that every result matches, as a full-text match: the
  // GIN index can then list the candidates. (Named for FTS5, the structure is the same.)
  return query.search && !query.filter && Fts5DrivingQuery(*query.search).has_value();
}

NextStep ChooseNextStep(int64_t found, int64_t walked, int64_t needed, double table_rows, const SearchSteps& steps) {
  using Rest = SearchSteps::Rest;
  if (found <= 0 || walked <= 0 || needed <= 0 || steps.rest == Rest::kMatches) return {};
  const double density = static_cast<double>(found) / static_cast<double>(walked);
  // Half as many rows again as the page needs at that density: one step fills it unless the matches
  // thin out, and few matches beyond the page are read.
  const double wanted = 1.5 * static_cast<double>(needed) / density;
  if (wanted > static_cast<double>(kMaxStepRows)) return {};
  // Rounded up to a multiple of kStepRows (a walk's LIMIT is in the statement's text: few texts).
  const int64_t rows = std::max(steps.min_rows, (static_cast<int64_t>(wanted) / kStepRows + 1) * kStepRows);
  if (steps.rest == Rest::kWalk) return {Rest::kWalk, rows};
  if (steps.rest == Rest::kWindows) return {Rest::kWindows, rows};
  // The word's matches in the table at that density: what the GIN index lists for a window or for
  // the matches, and what the matches fetch.
  const double matches = density * std::max(table_rows, static_cast<double>(walked));
  const double walk = static_cast<double>(needed) / density * kWalkPerRow;  // a walk stops once the page is full
  const double window = matches * kGinPerMatch + wanted * kRangePerRow;
  const double read_matches = matches * (kGinPerMatch + kFetchPerMatch);
  if (read_matches <= walk && read_matches <= window) return {};
  return {walk <= window ? Rest::kWalk : Rest::kWindows, rows};
}

PageSql BuildWindowPageSql(const PageQuery& query, const HistoryWindow& window) {
  return BuildPageSql(query, /*count_only=*/false, sql::PostgresDialect(), /*from_matches=*/false,
                      &window);
}

Status ReadSearchPage(Database& db, const PageQuery& query, const std::function<bool(const PageRow&)>& emit,
                      const SearchSteps& steps, SearchPageTrace* trace) {
  std::vector<PageRowCopy> rows;
  SearchPageTrace taken;
  Status s = db.Transaction([&](Connection& c) {
    rows.clear();
    taken = {};
    AIH_RETURN_IF_ERROR(c.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    AIH_RETURN_IF_ERROR(
        ReadRows(c, BuildNewestRowsPageSql(query, steps.newest_rows, sql::PostgresDialect()), &rows));
    if (static_cast<int>(rows.size()) >= query.limit) return Status::Ok();
    // Where the rows tested end: none when the history from the page's start holds no more.
    AIH_ASSIGN_OR_RETURN(std::optional<odata::CursorPosition> end, EndOfRows(c, query, steps.newest_rows));
    if (!end) return Status::Ok();
    AIH_ASSIGN_OR_RETURN(const double table_rows, TableRows(c));
    const int64_t newest_end_ticks = end->ticks;
    std::optional<odata::CursorPosition> last_row;  // read for the first window, with its spacing
    double ticks_per_row = 1;
    PageQuery rest = query;
    rest.after = std::move(*end);
    int64_t walked = steps.newest_rows;  // the rows of the history tested so far (estimated past the first)
    for (;;) {
      rest.limit = query.limit - static_cast<int>(rows.size());
      const NextStep next = ChooseNextStep(static_cast<int64_t>(rows.size()), walked, rest.limit, table_rows, steps);
      if (next.way == SearchSteps::Rest::kMatches) {
        taken.from_matches = true;
        return ReadRows(c, BuildPageSql(rest, /*count_only=*/false, sql::PostgresDialect(),
                                        /*from_matches=*/true),
                        &rows);
      }
      if (next.way == SearchSteps::Rest::kWalk) {
        ++taken.walks;
        const int walk = static_cast<int>(next.rows);
        AIH_RETURN_IF_ERROR(ReadRows(c, BuildNewestRowsPageSql(rest, walk, sql::PostgresDialect()), &rows));
        if (static_cast<int>(rows.size()) >= query.limit) return Status::Ok();
        AIH_ASSIGN_OR_RETURN(std::optional<odata::CursorPosition> walk_end, EndOfRows(c, rest, walk));
        if (!walk_end) return Status::Ok();
        walked += walk;
        rest.after = std::move(*walk_end);
        continue;
      }
      if (!last_row) {
        // Where the newest rows began (the page's start, or the history's first row), and the
        // history's last row: the rows' spacing in time sizes the windows, the last row ends them.
        int64_t start_ticks = 0;
        if (query.after) {
          start_ticks = query.after->ticks;
        } else {
          AIH_ASSIGN_OR_RETURN(std::optional<odata::CursorPosition> first, EndOfRows(c, query, 1));
          if (!first) return Status::Ok();
          start_ticks = first->ticks;
        }
        ticks_per_row = std::max(1.0, std::abs(static_cast<double>(newest_end_ticks - start_ticks)) / steps.newest_rows);
        PageQuery reversed = query;
        reversed.after.reset();
        reversed.ascending = !query.ascending;
        AIH_ASSIGN_OR_RETURN(last_row, EndOfRows(c, reversed, 1));
        if (!last_row) return Status::Ok();
      }
      // The window: about next.rows rows, as the time they span at the first rows' spacing, cut at a
      // tick (the position (tick, "", "") lies before every row of that tick and after every earlier
      // one, in either order), so that its bounds need no walk of the time index.
      const double span = static_cast<double>(next.rows) * ticks_per_row;
      const double from = static_cast<double>(rest.after->ticks);
      HistoryWindow w;
      const double cut = query.ascending ? std::ceil(from + span) : std::floor(from - span);
      w.to_the_end = query.ascending ? cut > static_cast<double>(last_row->ticks)
                                     : cut <= static_cast<double>(last_row->ticks);
      if (!w.to_the_end) w.last = odata::CursorPosition{static_cast<int64_t>(cut), "", ""};
      AIH_RETURN_IF_ERROR(c.Exec(kWindowPlanSettings));
      AIH_RETURN_IF_ERROR(ReadRows(c, BuildWindowPageSql(rest, w), &rows));
      AIH_RETURN_IF_ERROR(c.Exec(kDefaultPlanSettings));
      ++taken.windows;
      if (static_cast<int>(rows.size()) >= query.limit || w.to_the_end) return Status::Ok();
      walked += next.rows;
      rest.after = std::move(w.last);
    }
  });
  if (!s.ok()) return s;
  if (trace) *trace = taken;
  for (const PageRowCopy& r : rows) {
    if (!emit(PageRow{r.json, r.user_id, r.id, r.created_ticks})) break;
  }
  return Status::Ok();
}

}  // namespace aih::store::postgres
