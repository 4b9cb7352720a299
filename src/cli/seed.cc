// `aihistory seed`: write a realistic synthetic history (seed/synthetic_history.h) into the store,
// and register its tenant, its users (licensed for Copilot) and the first-party sources it writes,
// so that the seeded history is exportable at once.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/seed_directory.h"
#include "policy/directory_policy.h"
#include "ingest/pipeline.h"
#include "seed/synthetic_history.h"
#include "store/store.h"

namespace aih::cli {

int RunSeed(const SeedOptions& o) {
  auto store = store::OpenStore(o.store);
  if (!store.ok()) {
    std::cerr << "aihistory seed: " << store.status().message() << "\n";
    return 2;
  }
  seed::SyntheticOptions so;
  so.seed = o.seed;
  so.tenant_id = o.tenant_id;
  so.domain = o.domain;
  so.users = o.users;
  so.interactions_per_user = o.interactions_per_user;
  seed::SyntheticHistory history(so);
  store::DirectoryStore& directory = (*store)->directory();
  Status registered = EnsureTenant(directory, o.tenant_id, o.domain);
  for (const std::string& app_class : seed::FirstPartyAppClasses()) {
    if (!registered.ok()) break;
    registered = EnsureSource(directory, store::Source{o.tenant_id, app_class, store::SourceKind::kFirstParty,
                                                       app_class, /*export_enabled=*/true, {}});
  }
  if (registered.ok()) registered = RegisterSeedUsers(directory, o.tenant_id, history.users());
  if (!registered.ok()) {
    std::cerr << "aihistory seed: " << registered.message() << "\n";
    return 2;
  }
  Progress progress("seeding", 0);
  uint64_t done = 0;
  // The generator writes into the directory registered above: its items need no directory check.
  policy::DirectoryPolicy policy(directory);
  const ingest::Writer generator = ingest::Writer::Generator(o.tenant_id);
  for (int u = 0; u < o.users; ++u) {
    std::vector<model::WriteItem> items = history.InteractionsOf(u);
    for (size_t start = 0; start < items.size(); start += 1000) {
      std::vector<model::ParsedItem> batch;
      for (size_t i = start; i < items.size() && i < start + 1000; ++i) {
        batch.push_back(model::ParsedItem{Status::Ok(), std::move(items[i])});
      }
      auto written = ingest::Ingest((*store)->interactions(), policy, generator, {}, std::move(batch));
      if (!written.ok()) {
        std::cerr << "aihistory seed: " << written.status().message() << "\n";
        return 2;
      }
      done += written->written;
      progress.Update(0, done);
    }
  }
  progress.Done();
  std::fprintf(stderr, "seeded %d users with %llu interactions in tenant %s\n", o.users,
               static_cast<unsigned long long>(done), o.tenant_id.c_str());
  return 0;
}

}  // namespace aih::cli
