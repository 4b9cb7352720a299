// Sends through the service's one HTTP client (http/client.h), which alone includes Beast: this file
// adds the receivers' rules (ReceiverPolicy) and the webhook's messages.
#include "notify/webhook_client.h"

#include <future>

#include "http/client.h"
#include "notify/webhook_url.h"

namespace aih::notify {

namespace {

http::ClientOptions ClientOptionsFor(const WebhookClientOptions& options) {
  http::ClientOptions client;
  client.io_threads = options.io_threads;
  client.verify_tls = options.verify_tls;
  client.ca_file = options.ca_file;
  client.max_response_bytes = options.max_response_bytes;
  client.user_agent = "aihistory-notifications/1.0";
  client.peer = "the receiver";
  client.background = options.background;
  // The policy is applied to the addresses actually connected to, after resolving (DNS rebinding).
  client.check_address = [receivers = options.receivers](const std::array<uint8_t, 16>& bytes) {
    IpAddress address;
    address.bytes = bytes;
    return receivers.CheckAddress(address);
  };
  return client;
}

// The TLS setup's failure in the words of `serve`'s webhook options.
Status ForWebhooks(Status tls) {
  if (tls.ok()) return tls;
  if (tls.code() == Code::kBadRequest) {
    return Status::BadRequest("webhooks: " + tls.message() +
                              ": give a PEM file of the certificates (or their CAs) your receivers present");
  }
  return Status(tls.code(), "webhooks: " + tls.message());
}

}  // namespace

struct WebhookClient::Impl {
  ReceiverPolicy receivers;
  http::Client client;

  explicit Impl(const WebhookClientOptions& options) : receivers(options.receivers), client(ClientOptionsFor(options)) {}
};

Status CheckWebhookClientOptions(const WebhookClientOptions& options) {
  return ForWebhooks(http::CheckClientTls(ClientOptionsFor(options)));
}

WebhookClient::WebhookClient(WebhookClientOptions options) : impl_(std::make_unique<Impl>(options)) {}

WebhookClient::~WebhookClient() = default;

void WebhookClient::Post(WebhookRequest request, Callback done) {
  auto url = WebhookUrl::Parse(request.url, "the receiver URL");
  if (!url.ok()) return done(url.status());
  if (!url->tls && !impl_->receivers.allow_http) {
    return done(Status::Forbidden("plain http receivers are refused (" + request.url.substr(0, 200) +
                                  "): use https, or allow http with `serve --webhook-allow-http`"));
  }
  http::ClientRequest out;
  out.method = "POST";
  out.tls = url->tls;
  out.host = std::move(url->host);
  out.port = url->port;
  out.target = std::move(url->target);
  out.headers.emplace_back("Content-Type", std::move(request.content_type));
  for (auto& header : request.headers) out.headers.push_back(std::move(header));
  out.body = std::move(request.body);
  out.timeout = request.timeout;
  impl_->client.Send(std::move(out), [done = std::move(done)](Result<http::ClientResponse> response) {
    if (!response.ok()) {
      // A TLS setup that failed is reported in the webhook options' words.
      return done(response.status().code() == Code::kUnavailable || response.status().code() == Code::kForbidden
                      ? response.status()
                      : ForWebhooks(response.status()));
    }
    done(WebhookResponse{response->status, std::move(response->content_type), std::move(response->body)});
  });
}

Result<WebhookResponse> WebhookClient::PostAndWait(WebhookRequest request) {
  std::promise<Result<WebhookResponse>> promise;
  auto future = promise.get_future();
  Post(std::move(request), [&promise](Result<WebhookResponse> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace aih::notify
