#include "policy/personal_accounts.h"

#include <string>

namespace aih::policy {

Status RequireWorkAccount(const store::DirectoryUser& user, Operation operation) {
  if (user.account_type != store::AccountType::kPersonal) return Status::Ok();
  const std::string who = "user " + user.id + " is a personal Microsoft account: ";
  switch (operation) {
    case Operation::kExport:
      return Status::Forbidden(who + "personal accounts are outside the interaction history service and are never "
                               "exported");
    case Operation::kSubscribe:
      return Status::Forbidden(who + "personal accounts are outside the interaction history service, so there is "
                               "nothing to subscribe to");
    case Operation::kWrite:
      break;
  }
  return Status::BadRequest(who + "interactions of personal accounts are outside the interaction history service "
                            "and are not stored");
}

Status RequireWorkSender(const model::WriteItem& item) {
  const auto& from = item.interaction.from;
  if (from && from->user && from->user->user_identity_type == "personalMicrosoftAccountUser") {
    return Status::BadRequest("from.user.userIdentityType is personalMicrosoftAccountUser: interactions of personal "
                              "Microsoft accounts are outside the interaction history service and are not stored");
  }
  return Status::Ok();
}

}  // namespace aih::policy
