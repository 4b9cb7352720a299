#include "policy/retention_sweep.h"

#include <algorithm>
#include <limits>
#include <map>

#include "base/background_thread.h"
#include "base/log.h"
#include "model/timestamp.h"
#include "policy/retention.h"

namespace aih::policy {
namespace {

constexpr int64_t kPagesPerStep = 256;  // 1 MiB of 4 KiB pages per write

}  // namespace

RetentionSweep::RetentionSweep(store::Store& store, const Clock& clock, SweepOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

RetentionSweep::~RetentionSweep() { Stop(); }

Result<SweepReport> RetentionSweep::RunOnce() {
  SweepReport report;
  auto tenants = store_.directory().ListTenants();
  if (!tenants.ok()) return tenants.status();
  for (const store::Tenant& tenant : *tenants) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    AIH_RETURN_IF_ERROR(SweepTenant(tenant.id, &report));
  }
  // The space the deletions freed goes back to the file system in small steps, each its own short
  // write, so that ingest interleaves with them (store.h ReclaimSpace).
  if (report.deleted > 0) {
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) break;
      }
      auto freed = store_.ReclaimSpace(kPagesPerStep);
      if (!freed.ok()) return freed.status();
      report.pages_reclaimed += *freed;
      if (*freed == 0) break;
    }
  }
  return report;
}

Status RetentionSweep::SweepTenant(const std::string& tenant_id, SweepReport* report) {
  auto policies = store_.retention().ListPolicies(tenant_id);
  if (!policies.ok()) return policies.status();
  int64_t shortest_delete_days = std::numeric_limits<int64_t>::max();
  for (const auto& p : *policies) {
    if (p.action != store::RetentionPolicy::Action::kRetain) shortest_delete_days = std::min(shortest_delete_days, p.period_days);
  }
  if (shortest_delete_days == std::numeric_limits<int64_t>::max()) return Status::Ok();  // nothing ever deleted
  auto leased = store_.retention().AcquireLease(tenant_id, options_.holder, clock_.NowMillis(), options_.lease_ms);
  if (!leased.ok()) return leased.status();
  if (!*leased) return Status::Ok();  // another server sweeps it
  ++report->tenants;

  auto sources = store_.directory().ListSources(tenant_id);
  if (!sources.ok()) return sources.status();
  std::map<std::string, bool> first_party;  // unregistered sources count as third party
  for (const auto& s : *sources) first_party[s.app_class] = s.kind == store::SourceKind::kFirstParty;

  const int batch = std::clamp(options_.batch, 1, static_cast<int>(store::Deletion::kMaxKeys));
  store::RetentionCandidate after;
  after.created_ticks = std::numeric_limits<int64_t>::min();
  for (;;) {
    const int64_t now_ms = clock_.NowMillis();
    const int64_t now_ticks = model::Timestamp::FromUnixMillis(now_ms).ticks;
    // Nothing created after this can be due yet: no deletion is shorter.
    const int64_t cutoff = now_ticks - shortest_delete_days * model::Timestamp::kTicksPerDay + 1;
    auto candidates = store_.retention().Candidates(tenant_id, cutoff, after, batch);
    if (!candidates.ok()) return candidates.status();
    if (candidates->empty()) break;
    store::Deletion deletion;
    deletion.tenant_id = tenant_id;
    deletion.scope = store::Deletion::Scope::kKeys;
    deletion.on_hold = store::Deletion::OnHold::kSkip;
    deletion.reason = store::Deletion::Reason::kRetention;
    deletion.actor = "retention";
    deletion.now_ms = now_ms;
    std::vector<const store::RetentionPolicy*> applicable;
    for (const store::RetentionCandidate& item : *candidates) {
      ++report->examined;
      applicable.clear();
      auto party = first_party.find(item.app_class);
      const bool is_first = party != first_party.end() && party->second;
      for (const auto& p : *policies) {
        if (RetentionApplies(p, item.user_id, item.app_class, is_first)) applicable.push_back(&p);
      }
      RetentionDecision decision = Decide(applicable, item.created_ticks);
      if (decision.delete_at_ticks && *decision.delete_at_ticks <= now_ticks) {
        deletion.keys.push_back({item.user_id, item.id});
      }
    }
    if (!deletion.keys.empty()) {
      auto done = store_.interactions().Delete(deletion);
      if (!done.ok()) return done.status();
      report->deleted += done->deleted;
      report->held += done->held;
      ++report->batches;
    }
    after = candidates->back();
    if (static_cast<int>(candidates->size()) < batch) break;
    // Renewed after every batch: a pass longer than the lease keeps it; a lost lease stops this pass.
    auto renewed = store_.retention().AcquireLease(tenant_id, options_.holder, clock_.NowMillis(), options_.lease_ms);
    if (!renewed.ok()) return renewed.status();
    if (!*renewed) break;
    std::lock_guard lock(mu_);
    if (stopping_) break;
  }
  return Status::Ok();
}

void RetentionSweep::Start(int64_t interval_ms) {
  thread_ = std::thread([this, interval_ms] {
    RunInBackground();
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto report = RunOnce();
      if (!report.ok()) {
        log::Warn("retention_sweep_failed").Str("error", report.status().message());
      } else if (report->deleted > 0 || report->held > 0) {
        log::Info("retention_sweep").Int("deleted", report->deleted).Int("held", report->held).Int("examined", report->examined);
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; });
    }
  });
}

void RetentionSweep::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace aih::policy
