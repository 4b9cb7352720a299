// The permissions of the AiEnterpriseInteraction family: what a token carries (auth/principal.h) and
// what the directory grants (admin consent of an application role; Read.User user by user).
//
// Names only: which permission opens which operation is the policy's (policy/). They live here, below
// auth, because the directory validates the roles an administrator grants (identifiers.h).
#pragma once

namespace aih::directory {

inline constexpr const char* kReadAll = "AiEnterpriseInteraction.Read.All";      // export, application
inline constexpr const char* kReadUser = "AiEnterpriseInteraction.Read.User";    // per-user subscriptions,
                                                                                 // granted user by user
inline constexpr const char* kReadDelegated = "AiEnterpriseInteraction.Read";    // delegated, own data
inline constexpr const char* kWriteAll = "AiEnterpriseInteraction.Write.All";    // the writer permission

}  // namespace aih::directory
