// `aihistory audit`: the audit log (store/audit_log.h) read from the store directly, oldest first, as
// NDJSON (the admin API's entry objects, one per line) or a table for people. Read-only: there is no
// command that changes or deletes an entry. The read is itself recorded (actor "operator").
#include <cctype>
#include <iomanip>
#include <iostream>

#include "api/audit_record.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "model/timestamp.h"
#include "odata/audit_filter.h"
#include "store/store.h"

namespace aih::cli {
namespace {

constexpr int kAuditPageRows = 1000;

// --since: a date with an offset, or an age such as 90m, 24h, 7d.
Result<int64_t> SinceMillis(const std::string& since, int64_t now_ms) {
  auto date = model::Timestamp::Parse(since);
  if (date.ok()) return date->UnixMillis();
  if (since.size() >= 2 && std::isdigit(static_cast<unsigned char>(since[0]))) {
    size_t used = 0;
    int64_t n = 0;
    try {
      n = std::stoll(since, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    const std::string unit = since.substr(used);
    const int64_t unit_ms = unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : unit == "d" ? 86'400'000 : 0;
    if (used > 0 && unit_ms > 0 && n >= 0 && n < 365'000) return now_ms - n * unit_ms;
  }
  return Status::BadRequest("--since '" + since + "' is neither a date with an offset (2026-01-01T00:00:00Z) nor an "
                            "age such as 90m, 24h or 7d");
}

void PrintRow(const store::AuditEntry& e) {
  std::string time = model::Timestamp::FromUnixMillis(e.time_ms).ToString();
  std::cout << std::left << std::setw(25) << time << ' ' << std::setw(36) << (e.tenant_id.empty() ? "-" : e.tenant_id)
            << ' ' << std::setw(9) << store::ToString(e.actor_kind) << ' ' << std::setw(36)
            << (e.actor_id.empty() ? "-" : e.actor_id) << ' ' << std::setw(28) << e.action << ' '
            << (e.success ? "ok  " : "FAIL") << ' ' << std::setw(4) << e.status << ' ' << std::right << std::setw(7)
            << e.count << "  " << e.target << "\n";
}

}  // namespace

int RunAudit(const AuditOptions& o) {
  if (o.format != "ndjson" && o.format != "table") {
    std::cerr << "aihistory audit: --format must be ndjson or table\n";
    return kUsageExitCode;
  }
  SystemClock clock;
  std::string filter_text = o.filter;
  if (!o.since.empty()) {
    auto since = SinceMillis(o.since, clock.NowMillis());
    if (!since.ok()) {
      std::cerr << "aihistory audit: " << since.status().message() << "\n";
      return kUsageExitCode;
    }
    filter_text = (filter_text.empty() ? "" : filter_text + " and ") + "createdDateTime ge " +
                  model::Timestamp::FromUnixMillis(*since).ToString();
  }
  auto filter = odata::AuditFilter::Parse(filter_text);
  if (!filter.ok()) {
    std::cerr << "aihistory audit: --filter: " << filter.status().message() << "\n";
    return kUsageExitCode;
  }
  auto store = store::OpenStore(o.store, store::OpenMode::kMustExist);
  if (!store.ok()) {
    std::cerr << "aihistory audit: " << store.status().message() << "\n";
    return 1;
  }
  store::AuditQuery query;
  query.tenant_id = o.tenant_id;
  query.filter = *filter;
  query.limit = kAuditPageRows;
  if (o.format == "table") {
    std::cout << std::left << std::setw(25) << "TIME" << ' ' << std::setw(36) << "TENANT" << ' ' << std::setw(9)
              << "ACTOR" << ' ' << std::setw(36) << "ACTOR ID" << ' ' << std::setw(28) << "ACTION" << ' ' << "OUT "
              << ' ' << std::setw(4) << "HTTP" << ' ' << std::right << std::setw(7) << "COUNT" << "  TARGET\n";
  }
  int64_t shown = 0;
  for (;;) {
    int rows = 0;
    std::string line;
    Status s = (*store)->audit().Page(query, [&](const store::AuditEntry& e) {
      ++rows;
      query.after_seq = e.seq;
      ++shown;
      if (o.format == "table") {
        PrintRow(e);
      } else {
        line.clear();
        api::AppendAuditEntryJson(line, e);
        std::cout << line << "\n";
      }
      return true;
    });
    if (!s.ok()) {
      std::cerr << "aihistory audit: " << s.message() << "\n";
      return 1;
    }
    if (rows < kAuditPageRows) break;
  }
  std::cout.flush();
  store::AuditEntry read;
  read.time_ms = clock.NowMillis();
  read.tenant_id = o.tenant_id;
  read.actor_kind = store::AuditActor::kOperator;
  read.actor_id = "aihistory audit";
  read.action = "auditLog.read";
  read.target = "auditLog";
  read.count = shown;
  read.details = "{\"format\":\"" + o.format + "\"}";
  Status recorded = (*store)->audit().Append({read});
  if (!recorded.ok()) std::cerr << "aihistory audit: note: this read could not be recorded: " << recorded.message() << "\n";
  return 0;
}

}  // namespace aih::cli
