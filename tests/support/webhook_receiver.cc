#include "support/webhook_receiver.h"

#include <simdjson.h>

#include <thread>

#include "http/server.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

std::string Member(simdjson::dom::element e, const char* key) {
  std::string_view v;
  return e[key].get_string().get(v) ? std::string() : std::string(v);
}

}  // namespace

WebhookReceiver::WebhookReceiver(bool keep) : keep_(keep) { Listen(0); }

WebhookReceiver::~WebhookReceiver() {
  if (server_) server_->Stop();
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::SetBehaviour(Behaviour behaviour, std::chrono::milliseconds delay, bool handshakes_too) {
  delay_ms_ = delay.count();
  handshakes_too_ = handshakes_too;
  behaviour_ = behaviour;
}

void WebhookReceiver::GoDown() {
  if (server_) server_->Stop();
  server_.reset();
}

void WebhookReceiver::ComeBack() { Listen(port_); }

void WebhookReceiver::Listen(int port) {
  http::ServerOptions o;
  o.http_port = port;
  o.worker_threads = 16;
  auto server = http::Server::Start(o, [this](const http::Request& r) {
    http::Response response;
    const std::string_view query = r.query();
    const size_t at = query.find("validationToken=");
    const bool handshake = at != std::string_view::npos;
    const Behaviour b = behaviour_;
    if (!handshake) ++arrivals_;
    if (handshake ? handshakes_too_.load() : true) {
      if (b == Behaviour::kSlow || b == Behaviour::kStall) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
      }
      if (b == Behaviour::kFail || b == Behaviour::kStall) {
        response.status = 503;
        if (!handshake) ++attempts_;
        return response;
      }
    }
    if (handshake) {
      ++handshakes_;
      auto token = odata::PercentDecode(query.substr(at + 16, query.find('&', at) - at - 16), false);
      response.content_type = "text/plain";
      response.body = token.ok() ? *token : "";
      if (b == Behaviour::kWrongEcho && handshakes_too_) response.body += " (not what you sent)";
      return response;
    }
    ++attempts_;
    if (!keep_) {
      // Only counting (the benchmark): no parse, so the receivers take little of the machine's CPU.
      size_t n = 0;
      for (size_t at = r.body.find("\"subscriptionId\""); at != std::string::npos;
           at = r.body.find("\"subscriptionId\"", at + 1)) {
        ++n;
      }
      count_ += n;
      response.status = 202;
      return response;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.body).get(doc)) {
      response.status = 400;
      return response;
    }
    simdjson::dom::array items;
    if (doc["value"].get_array().get(items)) {
      response.status = 400;
      return response;
    }
    int64_t tokens = 0;
    simdjson::dom::array token_list;
    if (!doc["validationTokens"].get_array().get(token_list)) tokens = static_cast<int64_t>(token_list.size());
    std::vector<ReceivedNotification> got;
    for (simdjson::dom::element item : items) {
      ReceivedNotification n;
      n.path = std::string(r.path());
      n.id = Member(item, "id");
      n.subscription_id = Member(item, "subscriptionId");
      n.change_type = Member(item, "changeType");
      n.lifecycle_event = Member(item, "lifecycleEvent");
      n.client_state = Member(item, "clientState");
      simdjson::dom::element data;
      if (!item["resourceData"].get(data)) {
        n.resource_id = Member(data, "id");
        n.user_id = Member(data, "@aihistory.userId");
      }
      n.encrypted = !item["encryptedContent"].error();
      n.validation_tokens = static_cast<int>(tokens);
      got.push_back(std::move(n));
    }
    count_ += got.size();
    if (keep_) {
      std::lock_guard<std::mutex> lock(mu_);
      received_.insert(received_.end(), got.begin(), got.end());
    }
    response.status = 202;
    response.body.clear();
    return response;
  });
  if (!server.ok()) {
    fprintf(stderr, "the test receiver cannot listen on port %d: %s\n", port, server.status().message().c_str());
    return;
  }
  server_ = std::move(*server);
  port_ = server_->http_port();
}

std::vector<ReceivedNotification> WebhookReceiver::Received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

bool WebhookReceiver::WaitFor(const std::function<bool()>& done, std::chrono::seconds deadline) const {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace aih::testing
