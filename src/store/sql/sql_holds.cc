#include "store/sql/sql_holds.h"

#include "store/interaction_store.h"
#include "store/sql/sql_deletion.h"

namespace aih::store::sql {
namespace {

Status CaseNotFound(const std::string& case_id) {
  return Status::NotFound("there is no eDiscovery case '" + case_id + "' in this tenant");
}
Status HoldNotFound(const std::string& hold_id) {
  return Status::NotFound("there is no legal hold '" + hold_id + "' in this tenant");
}

LegalCase ReadCaseRow(const std::string& tenant_id, const Row& row) {
  return LegalCase{tenant_id, row.String(0), row.String(1), row.String(2), row.Int(3)};
}

// ReadHolds (sql_deletion.h) in a read transaction of its own.
Result<std::vector<LegalHold>> ReadHoldsAlone(Database& db, const std::string& tenant_id, const std::string& case_id,
                                              const std::string& hold_id, bool active_only) {
  std::vector<LegalHold> holds;
  AIH_RETURN_IF_ERROR(db.Read([&](Session& c) {
    AIH_ASSIGN_OR_RETURN(holds, ReadHolds(c, tenant_id, case_id, hold_id, active_only));
    return Status::Ok();
  }));
  return holds;
}

constexpr const char* kCaseColumns = "SELECT case_id, display_name, description, created_ms FROM governance_cases";

}  // namespace

Status SqlHolds::CreateCase(const LegalCase& legal_case) {
  return db_.Transaction([&](Session& c) {
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(c.Query(
        "INSERT INTO governance_cases (tenant_id, case_id, display_name, description, created_ms)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, case_id) DO NOTHING",
        {legal_case.tenant_id, legal_case.id, legal_case.display_name, legal_case.description, legal_case.created_ms},
        nullptr, &inserted));
    if (inserted == 0) return Status::Conflict("the eDiscovery case '" + legal_case.id + "' exists already");
    return Status::Ok();
  });
}

Result<LegalCase> SqlHolds::GetCase(const std::string& tenant_id, const std::string& case_id) {
  std::optional<LegalCase> found;
  Status s = db_.Read([&](Session& c) {
    found.reset();
    return c.Query(std::string(kCaseColumns) + " WHERE tenant_id = $1 AND case_id = $2", {tenant_id, case_id},
                   [&](const Row& row) { found = ReadCaseRow(tenant_id, row); });
  });
  if (!s.ok()) return s;
  if (!found) return CaseNotFound(case_id);
  return *found;
}

Result<std::vector<LegalCase>> SqlHolds::ListCases(const std::string& tenant_id) {
  std::vector<LegalCase> cases;
  Status s = db_.Read([&](Session& c) {
    cases.clear();
    return c.Query(std::string(kCaseColumns) + " WHERE tenant_id = $1 ORDER BY created_ms, case_id", {tenant_id},
                   [&](const Row& row) { cases.push_back(ReadCaseRow(tenant_id, row)); });
  });
  if (!s.ok()) return s;
  return cases;
}

Status SqlHolds::CreateHold(const LegalHold& hold) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(SerialiseWithHolds(c, hold.tenant_id));
    auto has_case = c.Exists("SELECT 1 FROM governance_cases WHERE tenant_id = $1 AND case_id = $2",
                             {hold.tenant_id, hold.case_id});
    if (!has_case.ok()) return has_case.status();
    if (!*has_case) return CaseNotFound(hold.case_id);
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(c.Query(
        "INSERT INTO legal_holds (tenant_id, hold_id, case_id, display_name, content_query, start_ticks, end_ticks,"
        " status, created_ms, released_ms, content_search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10)"
        " ON CONFLICT (tenant_id, hold_id) DO NOTHING",
        {hold.tenant_id, hold.id, hold.case_id, hold.display_name, hold.content_query, hold.start_ticks,
         hold.end_ticks, std::string(hold.active ? "active" : "released"), hold.created_ms, hold.content_search},
        nullptr, &inserted));
    if (inserted == 0) return Status::Conflict("the legal hold '" + hold.id + "' exists already");
    for (const std::string& user : hold.user_ids) {
      AIH_RETURN_IF_ERROR(c.Query(
          "INSERT INTO legal_hold_users (tenant_id, hold_id, user_id) VALUES ($1, $2, $3)"
          " ON CONFLICT (tenant_id, hold_id, user_id) DO NOTHING",
          {hold.tenant_id, hold.id, user}));
    }
    return Status::Ok();
  });
}

Result<LegalHold> SqlHolds::GetHold(const std::string& tenant_id, const std::string& hold_id) {
  if (!db_.dialect().CanHold(hold_id)) return HoldNotFound(hold_id);
  std::vector<LegalHold> holds;
  AIH_ASSIGN_OR_RETURN(holds, ReadHoldsAlone(db_, tenant_id, "", hold_id, false));
  if (holds.empty()) return HoldNotFound(hold_id);
  return holds.front();
}

Result<std::vector<LegalHold>> SqlHolds::ListHolds(const std::string& tenant_id, const std::string& case_id,
                                                   bool active_only) {
  return ReadHoldsAlone(db_, tenant_id, case_id, "", active_only);
}

Result<LegalHold> SqlHolds::ReleaseHold(const std::string& tenant_id, const std::string& hold_id, int64_t now_ms) {
  if (!db_.dialect().CanHold(hold_id)) return HoldNotFound(hold_id);
  std::vector<LegalHold> holds;
  Status s = db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(SerialiseWithHolds(c, tenant_id));
    AIH_RETURN_IF_ERROR(c.Query(
        "UPDATE legal_holds SET status = 'released', released_ms = $3"
        " WHERE tenant_id = $1 AND hold_id = $2 AND status = 'active'",
        {tenant_id, hold_id, now_ms}));
    auto read = ReadHolds(c, tenant_id, "", hold_id, false);
    if (!read.ok()) return read.status();
    holds = std::move(*read);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (holds.empty()) return HoldNotFound(hold_id);
  return holds.front();
}

Result<std::vector<LegalHold>> SqlHolds::HoldsCovering(const std::string& tenant_id, const std::string& user_id,
                                                       const std::string& id) {
  std::vector<LegalHold> covering;
  bool stored = false;
  const bool holdable = db_.dialect().CanHold(user_id) && db_.dialect().CanHold(id);
  Status s = !holdable ? Status::Ok() : db_.Read([&](Session& c) {
    covering.clear();
    stored = false;
    model::Interaction item;
    AIH_RETURN_IF_ERROR(c.Query(std::string("SELECT ") + kItemFactColumns +
                                    " FROM interactions WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
                                {tenant_id, user_id, id}, [&](const Row& row) {
                                  stored = true;
                                  item = ReadItemFacts(row);
                                }));
    if (!stored) return Status::Ok();
    auto holds = ReadHolds(c, tenant_id, "", "", true);
    if (!holds.ok()) return holds.status();
    for (const LegalHold& hold : *holds) {
      auto coverage = HoldCoverage::For(hold);
      if (!coverage.ok()) return coverage.status();
      bool searched = false;
      if (coverage->search() != nullptr) {
        auto matches = SearchMatches(c, *coverage->search(), "user_id = $2 AND id = $3", {tenant_id, user_id, id});
        if (!matches.ok()) return matches.status();
        searched = !matches->empty();
      }
      if (coverage->Covers(user_id, item, searched)) covering.push_back(hold);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!stored) return InteractionNotFound(user_id, id);
  return covering;
}

}  // namespace aih::store::sql
