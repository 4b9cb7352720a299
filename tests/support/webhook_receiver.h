// WebhookReceiver: a change-notification receiver on a loopback port, for integration tests and the
// benchmark. It answers validation handshakes by echoing the token, records every notification it
// accepts, and misbehaves on demand: echo a wrong token, fail with 503, answer late, hang and then
// fail, or be down altogether (nothing listens on its port until it comes back).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace aih::http {
class Server;
}

namespace aih::testing {

struct ReceivedNotification {
  std::string path;             // the URL path it was POSTed to
  std::string id, subscription_id, change_type, lifecycle_event, client_state, resource_id, user_id;
  bool encrypted = false;       // carried encryptedContent
  int validation_tokens = 0;    // in its collection
};

class WebhookReceiver {
 public:
  // kStall holds each request for the delay, then fails it with 503 recording nothing: the sender
  // sits in a delivery that will not count, e.g. while a test kills it.
  enum class Behaviour { kNormal, kWrongEcho, kFail, kSlow, kStall };

  // `keep` false only counts notifications (the benchmark), true also records them.
  explicit WebhookReceiver(bool keep = true);
  ~WebhookReceiver();

  int port() const { return port_; }
  std::string Url(const std::string& path = "/notify") const;

  // kSlow answers after `delay` (kStall fails after it); handshakes misbehave too, except under kFail
  // and the notifications-only mode of kSlow and kStall (`handshakes_too` false).
  void SetBehaviour(Behaviour behaviour, std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                    bool handshakes_too = true);
  void GoDown();    // stops listening: connections are refused
  void ComeBack();  // listens again, on the same port

  std::vector<ReceivedNotification> Received() const;
  size_t count() const { return count_; }          // notifications accepted
  int handshakes() const { return handshakes_; }
  int attempts() const { return attempts_; }       // notification POSTs, accepted or not
  int arrivals() const { return arrivals_; }       // notification POSTs as they arrive (before any kSlow delay)

  // Polls `done` until it holds or `deadline` passes; returns its last value.
  bool WaitFor(const std::function<bool()>& done, std::chrono::seconds deadline = std::chrono::seconds(60)) const;

 private:
  void Listen(int port);

  bool keep_;
  int port_ = 0;
  std::unique_ptr<http::Server> server_;
  std::atomic<Behaviour> behaviour_{Behaviour::kNormal};
  std::atomic<int64_t> delay_ms_{0};
  std::atomic<bool> handshakes_too_{true};
  std::atomic<size_t> count_{0};
  std::atomic<int> handshakes_{0}, attempts_{0}, arrivals_{0};
  mutable std::mutex mu_;
  std::vector<ReceivedNotification> received_;
};

}  // namespace aih::testing
