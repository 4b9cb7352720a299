#include "cli/admin_holds.h"

#include <cstdio>

#include "base/clock.h"
#include "cli/confirm.h"
#include "directory/identifiers.h"
#include "directory/users.h"
#include "model/timestamp.h"
#include "policy/erasure.h"
#include "policy/legal_holds.h"
#include "policy/retention.h"
#include "policy/retention_sweep.h"
#include "base/guid.h"
#include "directory/tenants.h"
#include <algorithm>
#include <unistd.h>

namespace aih::cli {
namespace {

int64_t NowMs() { return SystemClock().NowMillis(); }

Result<std::string> Tenant(const AdminOptions& o) { return directory::CanonicalGuid(o.tenant_id, "--tenant"); }

std::string Range(int64_t ticks, int64_t none) {
  if (ticks == none) return "-";
  return model::Timestamp{ticks, 7}.ToString();
}

void PrintHold(const store::LegalHold& h) {
  std::string users;
  for (const auto& u : h.user_ids) users += (users.empty() ? "" : ",") + u;
  std::printf("%s  case %s  %-8s  %s\n  users: %s\n  query: %s\n  search: %s\n  created from %s to %s\n",
              h.id.c_str(), h.case_id.c_str(), h.active ? "active" : "released", h.display_name.c_str(), users.c_str(),
              h.content_query.empty() ? "(everything)" : h.content_query.c_str(),
              h.content_search.empty() ? "(none)" : h.content_search.c_str(),
              Range(h.start_ticks, store::LegalHold::kNoStart).c_str(), Range(h.end_ticks, store::LegalHold::kNoEnd).c_str());
}

Status CaseCreate(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto opened = policy::OpenCase(store, {*tenant, o.name, o.description}, NowMs());
  if (!opened.ok()) return opened.status();
  std::printf("opened case %s (%s)\n", opened->id.c_str(), opened->display_name.c_str());
  return Status::Ok();
}

Status CaseList(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto cases = store.holds().ListCases(*tenant);
  if (!cases.ok()) return cases.status();
  for (const auto& c : *cases) std::printf("%s  %s\n", c.id.c_str(), c.display_name.c_str());
  return Status::Ok();
}

Status HoldCreate(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  policy::HoldRequest request{*tenant, o.case_id, o.name, o.users, o.query, std::nullopt, std::nullopt, o.search};
  if (!o.from.empty()) request.start = o.from;
  if (!o.to.empty()) request.end = o.to;
  auto hold = policy::PlaceHold(store, request, NowMs());
  if (!hold.ok()) return hold.status();
  PrintHold(*hold);
  return Status::Ok();
}

Status HoldList(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto holds = store.holds().ListHolds(*tenant, o.case_id, false);
  if (!holds.ok()) return holds.status();
  for (const auto& h : *holds) PrintHold(h);
  return Status::Ok();
}

Status HoldRelease(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto hold = store.holds().ReleaseHold(*tenant, o.hold_id, NowMs());
  if (!hold.ok()) return hold.status();
  PrintHold(*hold);
  return Status::Ok();
}

Status InteractionsErase(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  policy::ErasureRequest request;
  request.tenant_id = *tenant;
  request.user = o.user;
  if (!o.interaction_id.empty()) request.interaction_id = o.interaction_id;
  if (!o.session_id.empty()) request.session_id = o.session_id;
  request.actor = "cli";
  request.now_ms = NowMs();
  const std::string what = request.interaction_id ? "the interaction " + *request.interaction_id
                           : request.session_id   ? "the session " + *request.session_id
                                                  : "everything";
  AIH_RETURN_IF_ERROR(Confirm("This erases " + what + " of user " + o.user + " in tenant " + *tenant +
                                  " for good; the ids and content hashes stay on record.",
                              o.yes));
  auto erased = policy::Erase(store, request);
  if (!erased.ok()) return erased.status();
  std::printf("erased %lld interactions of user %s\n", static_cast<long long>(erased->erased), erased->user_id.c_str());
  return Status::Ok();
}

Status InteractionsHolds(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto owner = directory::InteractionOwner(store.directory(), *tenant, o.user);
  if (!owner.ok()) return owner.status();
  auto holds = store.holds().HoldsCovering(*tenant, *owner, o.interaction_id);
  if (!holds.ok()) return holds.status();
  if (holds->empty()) std::printf("no active legal hold covers interaction %s\n", o.interaction_id.c_str());
  for (const auto& h : *holds) PrintHold(h);
  return Status::Ok();
}

Status ErasuresList(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  std::string user;
  if (!o.user.empty()) {
    auto id = directory::CanonicalGuid(o.user, "--user");
    if (!id.ok()) return id.status();
    user = *id;
  }
  auto erasures = store.erasures().List(*tenant, user, 1000);
  if (!erasures.ok()) return erasures.status();
  for (const auto& e : *erasures) {
    std::printf("%s  %s  %s  %016llx  %s by %s\n", model::Timestamp::FromUnixMillis(e.erased_ms).ToString().c_str(),
                e.user_id.c_str(), e.id.c_str(), static_cast<unsigned long long>(e.content_hash), e.reason.c_str(),
                e.actor.c_str());
  }
  return Status::Ok();
}

void PrintPolicy(const store::RetentionPolicy& p) {
  std::string users;
  for (const auto& u : p.user_ids) users += (users.empty() ? "" : ",") + u;
  std::printf("%s  %-16s %6lld days  appClass %s  %s  users %s  %s\n", p.id.c_str(), store::ToString(p.action),
              static_cast<long long>(p.period_days), p.app_class.empty() ? "*" : p.app_class.c_str(),
              store::ToString(p.party), users.empty() ? "all" : users.c_str(), p.display_name.c_str());
}

Status RetentionCreate(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(store.directory(), *tenant));
  store::RetentionPolicy p;
  p.tenant_id = *tenant;
  p.display_name = o.name;
  if (o.action == "retain") {
    p.action = store::RetentionPolicy::Action::kRetain;
  } else if (o.action == "delete") {
    p.action = store::RetentionPolicy::Action::kDelete;
  } else if (o.action == "retain-then-delete") {
    p.action = store::RetentionPolicy::Action::kRetainThenDelete;
  } else {
    return Status::BadRequest("--action must be retain, delete or retain-then-delete");
  }
  p.period_days = o.period_days;
  p.app_class = o.app_class;
  if (o.kind == "first-party") {
    p.party = store::RetentionPolicy::Party::kFirstParty;
  } else if (o.kind == "third-party") {
    p.party = store::RetentionPolicy::Party::kThirdParty;
  } else if (!o.kind.empty() && o.kind != "all") {
    return Status::BadRequest("--party must be all, first-party or third-party");
  }
  for (const std::string& ref : o.users) {
    auto user = directory::FindUser(store.directory(), *tenant, ref);
    if (!user.ok()) return user.status();
    p.user_ids.push_back(user->id);
  }
  std::sort(p.user_ids.begin(), p.user_ids.end());
  p.user_ids.erase(std::unique(p.user_ids.begin(), p.user_ids.end()), p.user_ids.end());
  AIH_RETURN_IF_ERROR(policy::ValidateRetentionPolicy(p));
  auto id = NewGuid();
  if (!id.ok()) return id.status();
  p.id = *id;
  p.created_ms = NowMs();
  AIH_RETURN_IF_ERROR(store.retention().CreatePolicy(p));
  PrintPolicy(p);
  return Status::Ok();
}

Status RetentionList(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  auto policies = store.retention().ListPolicies(*tenant);
  if (!policies.ok()) return policies.status();
  for (const auto& p : *policies) PrintPolicy(p);
  return Status::Ok();
}

Status RetentionDelete(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(store.retention().DeletePolicy(*tenant, o.id));
  std::printf("deleted retention policy %s\n", o.id.c_str());
  return Status::Ok();
}

// One sweep now, of every tenant (the --tenant given only checks the store is the right one).
Status RetentionSweep(const AdminOptions& o, store::Store& store) {
  auto tenant = Tenant(o);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(store.directory(), *tenant));
  SystemClock clock;
  policy::RetentionSweep sweep(store, clock, {"cli:" + std::to_string(::getpid()), 500, 60'000});
  auto report = sweep.RunOnce();
  if (!report.ok()) return report.status();
  std::printf("retention sweep: examined %lld, deleted %lld, kept by a legal hold %lld\n",
              static_cast<long long>(report->examined), static_cast<long long>(report->deleted),
              static_cast<long long>(report->held));
  return Status::Ok();
}

}  // namespace

const std::map<std::string, HoldVerb>& HoldVerbs() {
  static const std::map<std::string, HoldVerb> kVerbs = {
      {"case create", CaseCreate},           {"case list", CaseList},
      {"hold create", HoldCreate},           {"hold list", HoldList},
      {"hold release", HoldRelease},         {"interactions erase", InteractionsErase},
      {"interactions holds", InteractionsHolds}, {"erasures list", ErasuresList},
      {"retention create", RetentionCreate},     {"retention list", RetentionList},
      {"retention delete", RetentionDelete},     {"retention sweep", RetentionSweep},
  };
  return kVerbs;
}

}  // namespace aih::cli
