// The admin key: the admin API's own credential (admin_resource.h), never a token.
//
// It is the content of a key file (surrounding whitespace removed; at least 32 characters) when one
// is given, otherwise the store's named secret "admin-key" (32 random bytes made on first use and
// shared by every server of the database) written as 64 hexadecimal digits. A request presents it as
// `Authorization: Bearer <key>` or `X-Aihistory-Admin-Key: <key>`; it is compared in constant time.
// Threading: stateless functions; safe from any thread.
#pragma once

#include <string>

#include "base/status.h"
#include "http/message.h"
#include "store/store.h"

namespace aih::api {

Result<std::string> LoadAdminKey(store::Store& store, const std::string& key_file = "");

// Ok when `request` presents `key`; kUnauthenticated saying how to send it otherwise (or `key`'s own
// failure when it could not be loaded).
Status CheckAdminKey(const http::Request& request, const Result<std::string>& key);

}  // namespace aih::api
