// search_bench: what $search costs on the embedded SQLite store (docs/benchmarks.md).
//
//   search_bench [--interactions N] [--users U] [--runs R] [--dir DIR] [--reuse] [--no-baseline]
//                [--postgres URL] [--copies K] [--pages-only]
//
// Seeds N interactions (the synthetic history, each body extended with a sentence in one of six
// languages) twice: into a store as it is, and into one whose search index is switched off (no search
// document made: an empty document is not indexed), and reports both ingest rates, per second of wall
// time and per CPU second (the machine is shared), and the bytes each wrote. Then, on the indexed
// store, p50 and p99 of a first page (100 rows, the store's Page, as the export reads it) for a common
// word, a rare word, a medium word (1% of the items), a phrase, a prefix, a prefix of more terms than
// a prefix is expanded to (one of two letters), a CJK substring, and lookups of
// a conversation, a request, a rare appClass and a rare locale ($filter), each search beside a raw
// FTS5 MATCH of the same terms in the same run (rowids of the first 101 matches, no rows read) and the
// same page read as one statement walking the history against the whole match list (the way a frequent
// term was read before search_windows.h), and the size of the index against the database's. On
// PostgreSQL (--postgres), beside each page, the raw GIN query and the page as one statement (how
// every search was read before postgres/search_window.h), in alternating rounds. --copies K makes the
// history K times as long before measuring (CopyHistory): how a first page grows with the history.
// --pages-only measures the store's pages and the raw queries only: the ways of before (and, on
// PostgreSQL, each way of reading the rest forced) can take minutes a case on a long history.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "model/interaction_writer.h"
#include "odata/filter.h"
#include "odata/search.h"
#include "seed/synthetic_history.h"
#include "store/interaction_store.h"
#include "store/page_sql.h"
#include "store/search_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/database.h"
#include "store/postgres/search_window.h"
#include "store/postgres/session.h"
#include "support/engine_query.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/session.h"
#include "store/store.h"
#include "process_stats.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace aih;

const char* const kSentences[] = {
    "Bitte fasse das Gespräch mit Frau Müller über die Straßenbahn zusammen.",
    "Résume la réunion à l'Élysée sur le budget de Noël.",
    "我们明天在北京开会讨论预算和招聘计划。",
    "東京のデータベース移行計画を要約してください。",
    "สรุปการประชุมงบประมาณประจำไตรมาส",
    "Summarize the quarterly revenue forecast for the board.",
};

const char* const kRareApp = "IPM.SkypeTeams.Message.Copilot.Planner";
const char* const kRareLocale = "is-is";

struct Args {
  int interactions = 100000;
  int users = 10;
  int runs = 50;
  std::string dir;
  bool reuse = false;  // --reuse: measure the searches on the indexed store a previous run left in --dir
  std::string postgres;  // --postgres URL: measure PostgreSQL instead
  bool baseline = true;  // --no-baseline: seed only the indexed store (a large history, searches only)
  int copies = 1;        // --copies K: the store's history K times over (CopyHistory)
  bool pages_only = false;  // --pages-only: no comparison with the ways of before
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Ingest {
  double per_second = 0;      // interactions per second of wall time
  double per_cpu_second = 0;  // per CPU second of this process (the machine is shared: see process_stats.h)
  double written_mb = 0;      // bytes the process wrote to storage (/proc/self/io write_bytes)
};

// Bytes this process has caused to be written to storage so far.
int64_t WrittenBytes() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (!f) return 0;
  char line[128];
  long long n = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "write_bytes: %lld", &n) == 1) break;
  }
  std::fclose(f);
  return n;
}

// PrepareItem without the search document.
store::ItemToWrite PrepareUnindexed(std::string tenant, std::string user, model::Interaction in) {
  if (in.id.empty()) model::AssignId(in);
  in.etag = in.id;
  store::ItemToWrite w;
  w.tenant_id = std::move(tenant);
  w.user_id = std::move(user);
  w.json = model::WriteInteraction(in);
  w.content_hash = store::ContentHash(w.json);
  w.interaction = std::move(in);
  return w;
}

// Writes the history into `s`. Without the index, no search document is made either: what indexing
// costs is both.
Ingest Seed(store::Store& s, const Args& args, bool indexed) {
  seed::SyntheticOptions options;
  options.users = args.users;
  options.interactions_per_user = args.interactions / args.users;
  seed::SyntheticHistory history(options);
  int64_t written = 0;
  Clock::duration spent{};
  const double cpu_before = bench::CpuSeconds(getpid());
  const int64_t bytes_before = WrittenBytes();
  for (int u = 0; u < args.users; ++u) {
    std::vector<store::ItemToWrite> batch;
    auto flush = [&] {
      std::vector<store::ItemOutcome> out;
      const auto start = Clock::now();
      Status st = s.interactions().Write(batch, &out);
      spent += Clock::now() - start;
      if (!st.ok()) {
        std::fprintf(stderr, "write: %s\n", st.message().c_str());
        std::exit(1);
      }
      written += static_cast<int64_t>(batch.size());
      batch.clear();
    };
    int n = 0;
    for (auto& item : history.InteractionsOf(u)) {
      model::Interaction in = std::move(item.interaction);
      if (in.body && in.body->content) {
        *in.body->content += " ";
        *in.body->content += kSentences[n % 6];
        if (n % 10007 == 0) *in.body->content += " zyzzogeton";  // the rare word
        if (n % 100 == 7) *in.body->content += " quokka";  // a medium word: 1% of the items
        // Ticket numbers, as real histories are full of ids: 1,000 terms inc1000..inc1999, so that
        // "in*" starts far more terms than a prefix is expanded to (sqlite/prefix_terms.h).
        if (n % 10 == 5) *in.body->content += " ticket INC" + std::to_string(1000 + n / 10 % 1000);
      }
      // Rare property values, for #17's lookups: one item in 10,007 of an app and of a locale that
      // nothing else has.
      if (n % 10007 == 3) in.app_class = kRareApp;
      if (n % 10007 == 4) in.locale = kRareLocale;
      const auto start = Clock::now();
      store::ItemToWrite w = indexed ? store::PrepareItem(options.tenant_id, item.user_id, std::move(in))
                                     : PrepareUnindexed(options.tenant_id, item.user_id, std::move(in));
      spent += Clock::now() - start;  // the search document is part of what indexing costs
      batch.push_back(std::move(w));
      ++n;
      if (batch.size() == 100) flush();
    }
    if (!batch.empty()) flush();
  }
  Ingest out;
  out.per_second = static_cast<double>(written) / std::chrono::duration<double>(spent).count();
  out.per_cpu_second = static_cast<double>(written) / (bench::CpuSeconds(getpid()) - cpu_before);
  out.written_mb = static_cast<double>(WrittenBytes() - bytes_before) / 1e6;
  return out;
}

// --copies K: the store's history, as it is, K-1 more times, each copy older than the one before (its
// times moved back by the history's span; its ids, conversations and requests suffixed, so keys stay
// unique and a conversation stays the size it was). Written by SQL from the rows themselves, search
// terms included: a history of 10,000,000 in a fraction of seeding's time (seeding writes ~2,000/s
// here). The copies' JSON still names the original ids and times: the bench reads rows, it does not
// check them. Neither the verifiable log nor the change feed records them. Each copy is written in
// slices of the span, a transaction each, read through the tenant's time index; on SQLite the slice's
// rows are then entered into the FTS5 index, as the write does. The table's other indexes (all but
// its key and the time index) are dropped while copying and made again once after, from their own
// definitions: one build instead of 9,000,000 random inserts, the same indexes after. The copies'
// FTS5 entries are written in larger batches than ingest writes them.
constexpr int kCopySlices = 20;
constexpr const char* kCopyKeptIndexes[] = {"interactions_key", "interactions_pkey", "interactions_tenant_time"};

bool KeptWhileCopying(const std::string& index) {
  for (const char* kept : kCopyKeptIndexes) {
    if (index == kept) return true;
  }
  return false;
}

std::string CopySliceSql(const std::function<std::string(int)>& p) {
  return "INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
         " conversation_type, locale, session_id, request_id, content_hash, version, json, search_terms,"
         " content_sha256) SELECT tenant_id, user_id, id || " + p(1) + ", created_ticks - " + p(2) +
         ", app_class, interaction_type, conversation_type, locale, session_id || " + p(1) + ", request_id || " +
         p(1) + ", content_hash, version, json, search_terms, content_sha256 FROM interactions"
         " WHERE tenant_id = " + p(5) + " AND created_ticks >= " + p(3) + " AND created_ticks < " + p(4);
}

// Whether `sql` returns a row, on an engine's own connection.
template <class Connection>
Result<bool> ExistsOn(Connection& c, const std::string& sql) {
  bool found = false;
  AIH_RETURN_IF_ERROR(testing::QueryOn(c, sql, {}, [&](const store::sql::Row&) { found = true; }));
  return found;
}

// Runs `exec(sql, suffix, back, from, to)` for every slice of every copy, reporting each copy done.
// A store that holds copies already is refused: copying it again would repeat their keys.
constexpr const char* kHasCopiesSql = "SELECT 1 FROM interactions WHERE id LIKE '%.c%' LIMIT 1";

template <typename Exec>
bool CopyHistory(int copies, int64_t lo, int64_t hi, const std::function<std::string(int)>& placeholder, Exec exec) {
  if (copies <= 1 || hi < lo) return true;
  const int64_t span = hi - lo + 1;
  const std::string sql = CopySliceSql(placeholder);
  const auto start = Clock::now();
  for (int c = 1; c < copies; ++c) {
    for (int slice = 0; slice < kCopySlices; ++slice) {
      const int64_t from = lo + span * slice / kCopySlices, to = lo + span * (slice + 1) / kCopySlices;
      if (!exec(sql, ".c" + std::to_string(c), span * c, from, to)) return false;
    }
    std::printf("copy %d of %d written (%.0f s)\n", c, copies - 1,
                std::chrono::duration<double>(Clock::now() - start).count());
    std::fflush(stdout);
  }
  return true;
}

struct Stats {
  double p50 = 0, p99 = 0;
  size_t rows = 0;
};

template <typename Fn>
Stats Measure(int runs, Fn fn) {
  std::vector<double> times;
  Stats s;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    s.rows = fn();
    times.push_back(Ms(Clock::now() - start));
  }
  std::sort(times.begin(), times.end());
  s.p50 = times[times.size() / 2];
  s.p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
  return s;
}

// The query kinds whose first page is measured (#17's list), on every engine.
struct Case {
  const char* name;
  std::string query;  // $search, or "" for a $filter
  std::string filter;
  bool walk = true;  // SQLite: also measure the walk by time against the whole match list (the way before windows)
};

std::vector<Case> Cases(const std::string& session, const std::string& request) {
  return {
      {"common word", "forecast", ""},
      {"rare word", "zyzzogeton", "", false},
      {"medium word", "quokka", ""},
      {"phrase", "\"revenue forecast\"", ""},
      {"prefix", "forec*", ""},
      {"prefix of many terms", "in*", ""},  // "in" in every prompt; "incident", "inc1000".."inc1999"
      {"CJK substring", "北京", ""},
      {"conversation", "", "sessionId eq '" + session + "'"},
      {"request", "", "requestId eq '" + request + "'"},
      {"rare appClass", "", std::string("appClass eq '") + kRareApp + "'"},
      {"rare locale", "", std::string("locale eq '") + kRareLocale + "'"},
  };
}

// A conversation and a request of the first user, looked up by the cases.
struct Lookups {
  std::string session, request;
};
constexpr const char* kLookupsSql =
    "SELECT session_id, request_id FROM interactions WHERE tenant_id = $1 AND user_id = $2"
    " AND session_id IS NOT NULL AND request_id IS NOT NULL LIMIT 1";

// One measured first page: its case, its scope, the store's query and its timing.
struct FirstPage {
  const Case& c;
  bool per_user;
  const store::PageQuery& query;
  Stats page;
};

// The store's first page (101 rows) of every case, per user and tenant-wide, each handed to `report`,
// which measures the engine's raw query beside it and prints the row.
void MeasureFirstPages(store::Store& s, const std::string& tenant, const std::string& user, const Lookups& lookups,
                       int runs, const std::function<void(const FirstPage&)>& report) {
  for (const Case& c : Cases(lookups.session, lookups.request)) {
    for (const bool per_user : {true, false}) {
      std::optional<odata::Search> search;
      std::optional<odata::Filter> filter;
      if (!c.query.empty()) search = std::move(*odata::Search::Parse(c.query));
      if (!c.filter.empty()) filter = std::move(*odata::Filter::Parse(c.filter));
      store::PageQuery q;
      q.tenant_id = tenant;
      q.user_id = per_user ? user : "";
      q.search = search ? &*search : nullptr;
      q.filter = filter ? &*filter : nullptr;
      q.limit = 101;
      Stats page = Measure(runs, [&] {
        size_t rows = 0;
        (void)s.interactions().Page(q, [&](const store::PageRow&) { return ++rows, true; });
        return rows;
      });
      report(FirstPage{c, per_user, q, page});
    }
  }
}

int64_t SqliteInt(store::sqlite::Connection& c, const std::string& sql) {
  int64_t n = -1;
  (void)testing::QueryOn(c, sql, {}, [&](const store::sql::Row& r) { n = r.Int(0); });
  return n;
}

// The scan nodes of a plan, on one line: "Index Scan Backward using interactions_user_time | ...".
std::string ScanNodes(const std::string& plan) {
  std::string out;
  size_t at = 0;
  while (at < plan.size()) {
    size_t end = plan.find('\n', at);
    if (end == std::string::npos) end = plan.size();
    std::string line = plan.substr(at, end - at);
    at = end + 1;
    if (line.find("Scan") == std::string::npos) continue;
    line.erase(0, line.find_first_not_of(" ->"));
    line = line.substr(0, line.find("  ("));
    out += (out.empty() ? "" : " | ") + line;
  }
  return out;
}

int RunPostgres(const Args& args) {
  const std::string tenant = seed::SyntheticOptions{}.tenant_id;
  const std::string user = seed::SyntheticHistory(seed::SyntheticOptions{}).users()[0].id;
  auto s = store::OpenStore(args.postgres);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().message().c_str()), 1;
  if (!args.reuse) {
    std::printf("PostgreSQL: interactions %d, users %d, runs %d\n", args.interactions, args.users, args.runs);
    const Ingest with_index = Seed(**s, args, true);
    std::printf("ingest  with index %.0f/s (per CPU second of this process %.0f)\n", with_index.per_second,
                with_index.per_cpu_second);
  } else {
    std::printf("PostgreSQL: the store as a previous run seeded it, runs %d\n", args.runs);
  }
  auto conn = store::postgres::Connection::Open(args.postgres);
  if (!conn.ok()) return std::fprintf(stderr, "%s\n", conn.status().message().c_str()), 1;
  if (args.copies > 1) {
    int64_t lo = 0, hi = -1;
    (void)testing::QueryOn(**conn, "SELECT min(created_ticks), max(created_ticks) FROM interactions", {},
                                 [&](const store::sql::Row& r) { lo = r.Int(0), hi = r.Int(1); });
    if (auto copied = ExistsOn(**conn, kHasCopiesSql); !copied.ok() || *copied) {
      return std::fprintf(stderr, "--copies: this store holds copies already; seed a new one\n"), 1;
    }
    std::vector<std::pair<std::string, std::string>> set_aside;  // (name, CREATE INDEX statement)
    (void)testing::QueryOn(**conn, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'interactions'",
                                 {}, [&](const store::sql::Row& r) {
                                   if (!KeptWhileCopying(r.String(0))) set_aside.emplace_back(r.String(0), r.String(1));
                                 });
    for (const auto& [name, ddl] : set_aside) {
      if (Status st = (*conn)->Exec("DROP INDEX " + name); !st.ok()) return std::fprintf(stderr, "%s\n", st.message().c_str()), 1;
    }
    const bool copied = CopyHistory(
        args.copies, lo, hi, [](int n) { return "$" + std::to_string(n) + (n == 1 || n == 5 ? "::text" : "::bigint"); },
        [&](const std::string& sql, const std::string& suffix, int64_t back, int64_t from, int64_t to) {
          Status st = testing::QueryOn(**conn, sql, {suffix, back, from, to, tenant});
          if (!st.ok()) std::fprintf(stderr, "copy: %s\n", st.message().c_str());
          return st.ok();
        });
    // Building an index over the copies outlasts the connection's statement timeout.
    (void)(*conn)->Exec("SET maintenance_work_mem = '2GB'; SET statement_timeout = 0");
    for (const auto& [name, ddl] : set_aside) {
      if (Status st = (*conn)->Exec(ddl); !st.ok()) return std::fprintf(stderr, "%s: %s\n", ddl.c_str(), st.message().c_str()), 1;
    }
    if (!copied) return 1;
    (void)(*conn)->Exec("VACUUM interactions");
  }
  (void)(*conn)->Exec("ANALYZE interactions");
  std::string sizes;
  (void)testing::QueryOn(**conn,
                               "SELECT pg_total_relation_size('interactions')::text, pg_relation_size('interactions')::text,"
                               " pg_relation_size('interactions_search')::text,"
                               " (SELECT sum(pg_column_size(search_terms)) FROM interactions)::text",
                               {}, [&](const store::sql::Row& r) {
                                 sizes = "table with its indexes and TOAST " + std::to_string(std::stod(r.String(0)) / 1e6) +
                                         " MB, heap " + std::to_string(std::stod(r.String(1)) / 1e6) +
                                         " MB, GIN index " + std::to_string(std::stod(r.String(2)) / 1e6) +
                                         " MB, tsvector column " + std::to_string(std::stod(r.String(3)) / 1e6) + " MB";
                               });
  std::printf("size    %s\n", sizes.c_str());
  Lookups lookups;
  (void)testing::QueryOn(**conn, std::string(kLookupsSql), {tenant, user}, [&](const store::sql::Row& r) {
    lookups = {r.String(0), r.String(1)};
  });
  // The steps a search page took (postgres/search_window.h), read once more through the engine's own
  // database handle.
  auto db = store::postgres::Database::Open(args.postgres, store::postgres::Options{.pool_size = 1, .writers = 1});
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().message().c_str()), 1;
  std::printf("%-20s %-9s %10s %10s %10s %10s %10s %10s  steps; plan of the one statement\n", "first page", "scope", "p50 ms",
              "p99 ms", "raw p50", "raw p99", "one p50", "one p99");
  // Each case measured in alternating rounds (the machine is shared): the store's page, the raw
  // query, and (every fifth round: it may walk the whole history) the page as the one statement
  // BuildPageSql writes, the way every search was read before postgres/search_window.h.
  MeasureFirstPages(**s, tenant, user, lookups, /*runs=*/1, [&](const FirstPage& f) {
    const Case& c = f.c;
    const bool per_user = f.per_user;
    const store::PageQuery& q = f.query;
    const odata::Search* search = f.query.search;
    const store::PageSql sql = store::BuildPageSql(q, false, store::sql::PostgresDialect());
    const std::string tsquery = search ? store::FullTextQuery(search->root(), store::FullTextEngine::kPostgres) : "";
    std::vector<double> page_ms, raw_ms, one_ms;
    size_t page_rows = 0;
    for (int round = 0; round < args.runs; ++round) {
      auto start = Clock::now();
      page_rows = 0;
      (void)(*s)->interactions().Page(q, [&](const store::PageRow&) { return ++page_rows, true; });
      page_ms.push_back(Ms(Clock::now() - start));
      if (search) {
        start = Clock::now();
        (void)testing::QueryOn(**conn, "SELECT 1 FROM interactions WHERE search_terms @@ $1::tsquery LIMIT 101",
                                     {tsquery}, [&](const store::sql::Row&) {});
        raw_ms.push_back(Ms(Clock::now() - start));
      }
      if (round % 5 == 0 && !args.pages_only) {
        start = Clock::now();
        (void)testing::QueryOn(**conn, sql.sql, sql.params, [&](const store::sql::Row&) {});
        one_ms.push_back(Ms(Clock::now() - start));
      }
    }
    auto stats = [](std::vector<double> t) {
      Stats st;
      if (t.empty()) return st;
      std::sort(t.begin(), t.end());
      st.p50 = t[t.size() / 2];
      st.p99 = t[std::min(t.size() - 1, t.size() * 99 / 100)];
      return st;
    };
    Stats page = stats(page_ms), raw = stats(raw_ms), one = stats(one_ms);
    page.rows = page_rows;
      std::string plan;
      (void)testing::QueryOn(**conn, "EXPLAIN " + sql.sql, sql.params,
                                   [&](const store::sql::Row& r) { plan += r.String(0) + "\n"; });
      auto fmt = [](bool on, double v) { return on ? std::to_string(v).substr(0, 6) : std::string("-"); };
      std::string steps = "one statement";
      if (store::postgres::ReadsSearchByWindow(q) && !args.pages_only) {
        store::postgres::SearchPageTrace trace;
        (void)store::postgres::ReadSearchPage(**db, q, [](const store::PageRow&) { return true; }, {}, &trace);
        steps = "newest rows";
        if (trace.walks) steps += " + " + std::to_string(trace.walks) + " walk(s)";
        if (trace.windows) steps += " + " + std::to_string(trace.windows) + " window(s)";
        if (trace.from_matches) steps += " + older matches";
        // The rest of the page read each way, forced (p50 of 5): what the choice chose among.
        char ways[96];
        double p50[3];
        const store::postgres::SearchSteps::Rest forced[3] = {store::postgres::SearchSteps::Rest::kWalk,
                                                              store::postgres::SearchSteps::Rest::kWindows,
                                                              store::postgres::SearchSteps::Rest::kMatches};
        for (int w = 0; w < 3; ++w) {
          store::postgres::SearchSteps way;
          way.rest = forced[w];
          p50[w] = Measure(5, [&] {
                     (void)store::postgres::ReadSearchPage(**db, q, [](const store::PageRow&) { return true; }, way);
                     return size_t{0};
                   }).p50;
        }
        std::snprintf(ways, sizeof ways, " (forced: walk %.1f, windows %.1f, matches %.1f ms)", p50[0], p50[1], p50[2]);
        steps += ways;
      }
      std::printf("%-20s %-9s %10.2f %10.2f %10s %10s %10.2f %10.2f  (%zu rows) %s; %s\n", c.name,
                  per_user ? "user" : "tenant", page.p50, page.p99, fmt(search != nullptr, raw.p50).c_str(),
                  fmt(search != nullptr, raw.p99).c_str(), one.p50, one.p99, page.rows, steps.c_str(),
                  ScanNodes(plan).c_str());
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reuse") {
      args.reuse = true;
      continue;
    }
    if (a == "--no-baseline") {
      args.baseline = false;
      continue;
    }
    if (a == "--pages-only") {
      args.pages_only = true;
      continue;
    }
    if (i + 1 == argc) break;
    ++i;
    if (a == "--interactions") args.interactions = std::atoi(argv[i]);
    else if (a == "--users") args.users = std::atoi(argv[i]);
    else if (a == "--runs") args.runs = std::atoi(argv[i]);
    else if (a == "--dir") args.dir = argv[i];
    else if (a == "--postgres") args.postgres = argv[i];
    else if (a == "--copies") args.copies = std::atoi(argv[i]);
  }
  if (!args.postgres.empty()) return RunPostgres(args);
  if (args.dir.empty()) args.dir = (std::filesystem::temp_directory_path() / "aih-search-bench").string();
  const std::string with = args.dir + "/indexed", without = args.dir + "/unindexed";
  const std::string tenant = seed::SyntheticOptions{}.tenant_id;
  const std::string user = seed::SyntheticHistory(seed::SyntheticOptions{}).users()[0].id;

  if (args.reuse) std::printf("the store %s as a previous run seeded it, runs %d\n", with.c_str(), args.runs);
  else std::printf("interactions %d, users %d, runs %d\n", args.interactions, args.users, args.runs);
  if (!args.reuse) {
    std::filesystem::remove_all(args.dir);
    Ingest without_index;
    if (args.baseline) {
      auto s = store::OpenStore(without);
      if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().message().c_str()), 1;
      without_index = Seed(**s, args, false);
    }
    std::filesystem::remove_all(without);  // the disk holds one store of the size at a time
    auto s = store::OpenStore(with);
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().message().c_str()), 1;
    const Ingest with_index = Seed(**s, args, true);
    if (!args.baseline) without_index.per_second = without_index.per_cpu_second = 1;  // not measured
    std::printf("ingest  without index %.0f/s  with index %.0f/s  (%.0f%%)\n", without_index.per_second,
                with_index.per_second, 100.0 * with_index.per_second / without_index.per_second);
    std::printf("        per CPU second %.0f  %.0f  (%.0f%%); written %.0f MB  %.0f MB\n",
                without_index.per_cpu_second, with_index.per_cpu_second,
                100.0 * with_index.per_cpu_second / without_index.per_cpu_second, without_index.written_mb,
                with_index.written_mb);
  }
  auto s = store::OpenStore(with);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().message().c_str()), 1;

  auto conn = store::sqlite::Connection::Open(with + "/aihistory.db", false);
  if (!conn.ok()) return 1;
  if (args.copies > 1) {
    int64_t lo = 0, hi = -1;
    (void)testing::QueryOn(**conn, "SELECT min(created_ticks), max(created_ticks) FROM interactions", {},
                               [&](const store::sql::Row& st) { lo = st.Int(0), hi = st.Int(1); });
    (void)(*conn)->Exec("PRAGMA cache_size = -2000000");
    if (auto copied = ExistsOn(**conn, kHasCopiesSql); !copied.ok() || *copied) {
      return std::fprintf(stderr, "--copies: this store holds copies already; seed a new one\n"), 1;
    }
    std::vector<std::pair<std::string, std::string>> set_aside;  // (name, CREATE INDEX statement)
    (void)testing::QueryOn(**conn,
                               "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions'"
                               " AND sql IS NOT NULL",
                               {}, [&](const store::sql::Row& st) {
                                 if (!KeptWhileCopying(std::string(st.Text(0)))) {
                                   set_aside.emplace_back(std::string(st.Text(0)), std::string(st.Text(1)));
                                 }
                               });
    for (const auto& [name, ddl] : set_aside) {
      if (Status st = (*conn)->Exec("DROP INDEX " + name); !st.ok()) return std::fprintf(stderr, "%s\n", st.message().c_str()), 1;
    }
    const bool copied = CopyHistory(
        args.copies, lo, hi, [](int n) { return "?" + std::to_string(n); },
        [&](const std::string& sql, const std::string& suffix, int64_t back, int64_t from, int64_t to) {
          const int64_t before = SqliteInt(**conn, "SELECT coalesce(max(seq), 0) FROM interactions");
          Status st = (*conn)->Exec("BEGIN IMMEDIATE");
          if (st.ok()) st = testing::QueryOn(**conn, sql, {suffix, back, from, to, tenant});
          if (st.ok()) {
            st = testing::QueryOn(**conn,
                                      "INSERT INTO interaction_search (rowid, search_terms) SELECT seq, search_terms"
                                      " FROM interactions WHERE seq > ?1 AND search_terms <> ''",
                                      {before});
          }
          if (st.ok()) st = (*conn)->Exec("COMMIT");
          if (!st.ok()) std::fprintf(stderr, "copy: %s\n", st.message().c_str());
          return st.ok();
        });
    for (const auto& [name, ddl] : set_aside) {
      if (Status st = (*conn)->Exec(ddl); !st.ok()) return std::fprintf(stderr, "%s: %s\n", ddl.c_str(), st.message().c_str()), 1;
    }
    if (!copied) return 1;
  }
  const int64_t page_size = SqliteInt(**conn, "PRAGMA page_size");
  const int64_t db_pages = SqliteInt(**conn, "PRAGMA page_count");
  // The index's own tables, each summed by dbstat without visiting the rest of the file.
  const int64_t index_bytes = SqliteInt(
      **conn, "SELECT coalesce(sum(pgsize), -1) FROM dbstat('main', 1) WHERE name IN ('interaction_search_data',"
              " 'interaction_search_idx', 'interaction_search_docsize', 'interaction_search_config')");
  // A scan of every row: skipped with --pages-only.
  const int64_t document_bytes =
      args.pages_only ? -1 : SqliteInt(**conn, "SELECT sum(length(search_terms)) FROM interactions");
  std::printf("size    database %.1f MB  FTS5 index %.1f MB  search documents (in the rows) %.1f MB\n",
              db_pages * page_size / 1e6, index_bytes / 1e6, document_bytes / 1e6);

  Lookups lookups;
  std::string lookups_sql = kLookupsSql;
  std::replace(lookups_sql.begin(), lookups_sql.end(), '$', '?');
  auto found = testing::QueryOn(**conn, lookups_sql, {tenant, user}, [&](const store::sql::Row& st) {
    lookups = {std::string(st.Text(0)), std::string(st.Text(1))};
  });
  if (!found.ok()) return std::fprintf(stderr, "%s\n", found.message().c_str()), 1;
  std::printf("%-20s %-9s %10s %10s %10s %10s %10s %10s\n", "first page", "scope", "p50 ms", "p99 ms", "raw p50",
              "raw p99", "walk p50", "walk p99");
  MeasureFirstPages(**s, tenant, user, lookups, args.runs, [&](const FirstPage& f) {
    const Case& c = f.c;
    const bool per_user = f.per_user;
    const store::PageQuery& q = f.query;
    const odata::Search* search = f.query.search;
    const Stats& page = f.page;
      Stats raw;
      if (search) {
        const std::string match = store::FullTextQuery(search->root(), store::FullTextEngine::kFts5);
        raw = Measure(args.runs, [&] {
          size_t rows = 0;
          (void)testing::QueryOn(**conn, "SELECT rowid FROM interaction_search WHERE interaction_search MATCH ?1 LIMIT 101",
                                     {match}, [&](const store::sql::Row&) { ++rows; });
          return rows;
        });
      }
      // The same page as one statement that walks the history by time testing each row against the
      // whole FTS5 match list (read first, whole): how a frequent term was read before windows.
      Stats walk;
      const bool walked = search && c.walk && !args.pages_only;
      if (walked) {
        const store::PageSql sql = store::BuildPageSql(
            q, false, store::sql::SqliteDialect());
        walk = Measure(std::max(1, args.runs / 5), [&] {
          size_t rows = 0;
          (void)store::sqlite::ReadPageRows(**conn, sql, [&](const store::PageRow&) { return ++rows, true; });
          return rows;
        });
      }
      auto fmt = [](bool on, double v) { return on ? std::to_string(v).substr(0, 6) : std::string("-"); };
      std::printf("%-20s %-9s %10.2f %10.2f %10s %10s %10s %10s  (%zu rows)\n", c.name, per_user ? "user" : "tenant",
                  page.p50, page.p99, fmt(search != nullptr, raw.p50).c_str(), fmt(search != nullptr, raw.p99).c_str(),
                  fmt(walked, walk.p50).c_str(), fmt(walked, walk.p99).c_str(), page.rows);
  });
  return 0;
}
