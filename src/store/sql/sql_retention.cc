#include "store/sql/sql_retention.h"

#include <algorithm>
#include <limits>
#include <map>

namespace aih::store::sql {
namespace {

RetentionPolicy::Action ActionOf(std::string_view text) {
  if (text == "retain") return RetentionPolicy::Action::kRetain;
  if (text == "retainThenDelete") return RetentionPolicy::Action::kRetainThenDelete;
  return RetentionPolicy::Action::kDelete;
}

RetentionPolicy::Party PartyOf(std::string_view text) {
  if (text == "first-party") return RetentionPolicy::Party::kFirstParty;
  if (text == "third-party") return RetentionPolicy::Party::kThirdParty;
  return RetentionPolicy::Party::kAll;
}

}  // namespace

Status SqlRetention::CreatePolicy(const RetentionPolicy& p) {
  return db_.Transaction([&](Session& c) {
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(c.Query(
        "INSERT INTO retention_policies (tenant_id, policy_id, display_name, app_class, party, action, period_days,"
        " created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, policy_id) DO NOTHING",
        {p.tenant_id, p.id, p.display_name, p.app_class,
         std::string(p.party == RetentionPolicy::Party::kAll ? "" : ToString(p.party)), std::string(ToString(p.action)),
         p.period_days, p.created_ms},
        nullptr, &inserted));
    if (inserted == 0) return Status::Conflict("the retention policy '" + p.id + "' exists already");
    for (const std::string& user : p.user_ids) {
      AIH_RETURN_IF_ERROR(c.Query(
          "INSERT INTO retention_policy_users (tenant_id, policy_id, user_id) VALUES ($1, $2, $3)"
          " ON CONFLICT (tenant_id, policy_id, user_id) DO NOTHING",
          {p.tenant_id, p.id, user}));
    }
    return Status::Ok();
  });
}

Result<std::vector<RetentionPolicy>> SqlRetention::ListPolicies(const std::string& tenant_id) {
  std::vector<RetentionPolicy> policies;
  Status s = db_.Read([&](Session& c) {
    policies.clear();
    std::map<std::string, size_t> index;
    AIH_RETURN_IF_ERROR(c.Query(
        "SELECT policy_id, display_name, app_class, party, action, period_days, created_ms FROM retention_policies"
        " WHERE tenant_id = $1 ORDER BY created_ms, policy_id",
        {tenant_id}, [&](const Row& row) {
          RetentionPolicy p;
          p.tenant_id = tenant_id;
          p.id = row.String(0);
          p.display_name = row.String(1);
          p.app_class = row.String(2);
          p.party = PartyOf(row.Text(3));
          p.action = ActionOf(row.Text(4));
          p.period_days = row.Int(5);
          p.created_ms = row.Int(6);
          index.emplace(p.id, policies.size());
          policies.push_back(std::move(p));
        }));
    AIH_RETURN_IF_ERROR(c.Query("SELECT policy_id, user_id FROM retention_policy_users WHERE tenant_id = $1",
                                {tenant_id}, [&](const Row& row) {
                                  auto it = index.find(row.String(0));
                                  if (it != index.end()) policies[it->second].user_ids.push_back(row.String(1));
                                }));
    for (RetentionPolicy& p : policies) std::sort(p.user_ids.begin(), p.user_ids.end());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return policies;
}

Status SqlRetention::DeletePolicy(const std::string& tenant_id, const std::string& policy_id) {
  return db_.Transaction([&](Session& c) {
    int64_t deleted = 0;
    AIH_RETURN_IF_ERROR(c.Query("DELETE FROM retention_policies WHERE tenant_id = $1 AND policy_id = $2",
                                {tenant_id, policy_id}, nullptr, &deleted));
    if (deleted == 0) return Status::NotFound("there is no retention policy '" + policy_id + "' in this tenant");
    return c.Query("DELETE FROM retention_policy_users WHERE tenant_id = $1 AND policy_id = $2", {tenant_id, policy_id});
  });
}

Result<std::vector<RetentionCandidate>> SqlRetention::Candidates(const std::string& tenant_id, int64_t before_ticks,
                                                                 const RetentionCandidate& after, int limit) {
  std::vector<RetentionCandidate> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    // The keyset of the tenant-wide index (tenant_id, created_ticks, id, user_id), ascending.
    return c.Query(
        "SELECT user_id, id, created_ticks, app_class FROM interactions WHERE tenant_id = $1 AND created_ticks < $2"
        " AND (created_ticks > $3 OR (created_ticks = $3 AND (id > $4 OR (id = $4 AND user_id > $5))))"
        " ORDER BY created_ticks, id, user_id LIMIT $6",
        {tenant_id, before_ticks, after.created_ticks, after.id, after.user_id, int64_t{limit}}, [&](const Row& row) {
          out.push_back({row.String(0), row.String(1), row.Int(2), row.String(3)});
        });
  });
  if (!s.ok()) return s;
  return out;
}

Result<bool> SqlRetention::AcquireLease(const std::string& tenant_id, const std::string& holder, int64_t now_ms,
                                        int64_t ttl_ms) {
  bool held = false;
  Status s = db_.Transaction([&](Session& c) {
    held = false;
    int64_t changed = 0;
    AIH_RETURN_IF_ERROR(c.Query(
        "INSERT INTO retention_leases (tenant_id, holder, lease_until_ms) VALUES ($1, $2, $3)"
        " ON CONFLICT (tenant_id) DO UPDATE SET holder = excluded.holder, lease_until_ms = excluded.lease_until_ms"
        " WHERE retention_leases.holder = excluded.holder OR retention_leases.lease_until_ms < $4",
        {tenant_id, holder, now_ms + ttl_ms, now_ms}, nullptr, &changed));
    held = changed > 0;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return held;
}

}  // namespace aih::store::sql
