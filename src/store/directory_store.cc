#include "store/directory_store.h"

namespace aih::store {

const char* ToString(AccountType type) { return type == AccountType::kPersonal ? "personal" : "work"; }

std::optional<AccountType> ParseAccountType(std::string_view text) {
  if (text == "work") return AccountType::kWork;
  if (text == "personal") return AccountType::kPersonal;
  return std::nullopt;
}

const char* ToString(SourceKind kind) { return kind == SourceKind::kFirstParty ? "first-party" : "third-party"; }

std::optional<SourceKind> ParseSourceKind(std::string_view text) {
  if (text == "first-party") return SourceKind::kFirstParty;
  if (text == "third-party") return SourceKind::kThirdParty;
  return std::nullopt;
}

}  // namespace aih::store
