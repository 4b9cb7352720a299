#include "notify/validation_handshake.h"

#include <algorithm>
#include <cctype>

#include "base/env.h"
#include "base/hex.h"
#include "base/log.h"
#include "notify/webhook_url.h"

namespace aih::notify {
namespace {

std::string FreshToken() {
  unsigned char bytes[12];
  if (!Env::Default().Random(bytes, sizeof bytes)) {
    // The token need not be secret, only fresh: the clock will do if the random source fails.
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(now >> (i % 8 * 8));
  }
  const std::string id = Hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  return "Validation: Testing client application reachability for subscription Request-Id: " + id;
}

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Why the answer is not a valid handshake response, or "" when it is.
std::string WhatIsWrong(const WebhookResponse& response, const std::string& token) {
  if (response.status != 200) return "it answered HTTP " + std::to_string(response.status);
  if (MediaType(response.content_type) != "text/plain") {
    return "it answered with Content-Type '" + response.content_type.substr(0, 100) + "'";
  }
  if (response.body != token) return "its body is not the validation token";
  return "";
}

}  // namespace

void StartValidationHandshake(WebhookClient& client, const std::string& url, std::string_view field,
                              std::chrono::milliseconds timeout, std::string_view request_id,
                              std::function<void(Status)> done) {
  std::string token = FreshToken();
  WebhookRequest request;
  request.url = AppendQuery(url, "validationToken", token);
  request.content_type = "text/plain; charset=utf-8";
  request.timeout = timeout;
  // The receiver by scheme and host only, for the log: a path or query may carry the receiver's own secret.
  const size_t host_start = url.find("://");
  const size_t host_end = host_start == std::string::npos ? 0 : url.find_first_of("/?#", host_start + 3);
  client.Post(std::move(request), [url = url.substr(0, 300), receiver = url.substr(0, std::min<size_t>(host_end, 300)),
                                   field = std::string(field), timeout, request_id = std::string(request_id),
                                   token = std::move(token), done = std::move(done)](Result<WebhookResponse> response) {
    const std::string problem = response.ok() ? WhatIsWrong(*response, token) : response.status().message();
    if (problem.empty()) return done(Status::Ok());
    log::Warn("subscription_validation_failed")
        .Str("request_id", request_id)
        .Str("field", field)
        .Str("receiver", receiver)
        .Str("reason", problem);
    done(Status::BadRequest(
        "Subscription validation request failed for " + field + " " + url +
        ": the endpoint must be a public https receiver (unless the server allows others) that answers the POST of "
        "?validationToken=... within " + std::to_string(std::max<int64_t>(1, (timeout.count() + 999) / 1000)) +
        " seconds with 200 OK, Content-Type text/plain and the decoded validationToken as the body; the reason it "
        "did not is in the server's log under request-id " + request_id));
  });
}

}  // namespace aih::notify
