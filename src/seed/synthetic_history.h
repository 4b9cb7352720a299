// SyntheticHistory: a realistic, deterministic history of AI interactions for demos, tests and
// benchmarks (`aihistory seed`).
//
// Users hold sessions in several Copilot apps; each turn is a userPrompt and an aiResponse sharing a
// requestId, with text or html bodies, adaptive-card attachments, file references as contexts,
// links, mentions of people and channels, and several locales. The same seed always yields the same
// history, byte for byte; times advance monotonically per user from a fixed start.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/interaction_reader.h"

namespace aih::seed {

struct SyntheticUser {
  std::string id;                   // object id (GUID form)
  std::string user_principal_name;  // e.g. avery.kim@contoso.example
  std::string display_name;
};

struct SyntheticOptions {
  uint64_t seed = 42;
  std::string tenant_id = "00000000-0000-4000-8000-000000000001";
  std::string domain = "contoso.example";
  int users = 20;
  int interactions_per_user = 200;  // prompts and responses together
  int64_t start_unix_millis = 1767225600000;  // 2026-01-01T00:00:00Z
  // Restrict the appClasses used (empty: the first-party Copilot apps).
  std::vector<std::string> app_classes;
};

// The first-party Copilot appClasses the generator uses by default.
const std::vector<std::string>& FirstPartyAppClasses();

class SyntheticHistory {
 public:
  explicit SyntheticHistory(SyntheticOptions options);

  const std::vector<SyntheticUser>& users() const { return users_; }

  // The interactions of user `index`, oldest first, each with "@aihistory.userId" set.
  std::vector<model::WriteItem> InteractionsOf(int user_index) const;

 private:
  SyntheticOptions options_;
  std::vector<SyntheticUser> users_;
};

// A deterministic GUID-shaped id from a seed and a counter.
std::string DeterministicGuid(uint64_t seed, uint64_t counter);

}  // namespace aih::seed
