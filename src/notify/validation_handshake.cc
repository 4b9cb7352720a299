#include "notify/validation_handshake.h"

#include <openssl/rand.h>

#include <cctype>

#include "notify/webhook_url.h"

namespace aih::notify {
namespace {

std::string FreshToken() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // The token need not be secret, only fresh: the clock will do if the random source fails.
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(now >> (i % 8 * 8));
  }
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return "Validation: Testing client application reachability for subscription Request-Id: " + id;
}

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Status RunValidationHandshake(WebhookClient& client, const std::string& url, std::string_view field,
                              std::chrono::milliseconds timeout) {
  const std::string token = FreshToken();
  WebhookRequest request;
  request.url = AppendQuery(url, "validationToken", token);
  request.content_type = "text/plain; charset=utf-8";
  request.timeout = timeout;
  auto response = client.PostAndWait(std::move(request));
  const std::string prefix = "Subscription validation request failed for " + std::string(field) + " " + url + ": ";
  const std::string what_to_do =
      "; the endpoint must answer the POST of ?validationToken=... with 200 OK, Content-Type text/plain, and the "
      "decoded validationToken as the body, within " + std::to_string(timeout.count() / 1000) + " seconds";
  if (!response.ok()) return Status::BadRequest(prefix + response.status().message() + what_to_do);
  if (response->status != 200) {
    return Status::BadRequest(prefix + "it answered HTTP " + std::to_string(response->status) + what_to_do);
  }
  if (MediaType(response->content_type) != "text/plain") {
    return Status::BadRequest(prefix + "it answered with Content-Type '" + response->content_type.substr(0, 100) +
                              "'" + what_to_do);
  }
  if (response->body != token) {
    return Status::BadRequest(prefix + "its body is not the validation token" + what_to_do);
  }
  return Status::Ok();
}

}  // namespace aih::notify
