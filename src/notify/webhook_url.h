// WebhookUrl: the parts of a receiver's URL (notificationUrl, lifecycleNotificationUrl).
//
// Only absolute http and https URLs with a host are receivers: no user info (credentials do not
// belong in a URL that is stored and shown back), no fragment, at most 2,048 characters, printable
// ASCII only. AppendQuery adds a query parameter whether or not the URL already has a query.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::notify {

struct WebhookUrl {
  bool tls = false;    // https
  std::string host;    // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 0;        // explicit, or 80 / 443
  std::string target;  // path and query, at least "/"

  // `field` names the URL in error messages ("notificationUrl").
  static Result<WebhookUrl> Parse(std::string_view url, std::string_view field);
};

// `url` with `name=value` appended to its query (`value` is percent-encoded here).
std::string AppendQuery(std::string_view url, std::string_view name, std::string_view value);

}  // namespace aih::notify
