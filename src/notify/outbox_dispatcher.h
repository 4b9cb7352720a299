// OutboxDispatcher: delivers the outbox to the receivers (the second half of delivery).
//
// A pass settles the POSTs that have finished, then claims due entries: at most a few per
// subscription, none of a subscription that is being delivered to or is backing off. A subscription's
// claimed entries make one delivery, POSTs of at most max_notifications_per_post notifications sent
// one after another, each given delivery_timeout; deliveries of different subscriptions run at once
// on the WebhookClient, so a slow or dead receiver holds up nobody else. A 2xx settles a POST's
// entries. Anything else backs the subscription off (retry_policy.h) and reschedules its entries;
// entries that have waited past give_up_after are dropped, and a `missed` event goes to the
// subscription's lifecycleNotificationUrl. Change batches are rendered when sent, from the
// subscription as it is then (the batches of a deleted or expired subscription are dropped).
// Entries claimed but never settled (a crash) are due again, to any server, when their lease ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include "auth/key_ring.h"
#include "base/clock.h"
#include "notify/encryption_certificate.h"
#include "notify/notification_options.h"
#include "notify/webhook_client.h"
#include "store/subscription_store.h"

namespace aih::notify {

class OutboxDispatcher {
 public:
  // `keys` signs the validationTokens of rich notifications (nullptr: none are sent).
  OutboxDispatcher(store::SubscriptionStore& subscriptions, WebhookClient& client, const NotificationOptions& options,
                   const Clock& clock, std::string consumer, const auth::KeyRing* keys);
  ~OutboxDispatcher();  // Drain()

  // Settles what finished and starts the deliveries due now; returns how many POSTs it started.
  Result<int> DispatchOnce();
  // Blocks until a POST has finished, Wake() was called, or `timeout` passed.
  void Wait(std::chrono::milliseconds timeout);
  void Wake();
  // Lets the POSTs in flight finish and settles them; starts nothing new. Entries of unsent POSTs are
  // rescheduled for now, so the next start (or another server) sends them at once.
  void Drain();

  int deliveries_in_flight() const;

 private:
  struct Post;
  struct Delivery;
  struct Finished;

  Status SettleFinished();
  Result<int> StartDue();
  // Builds the POSTs of a delivery; settles at once the entries that cannot be sent.
  Status Prepare(Delivery& delivery, std::vector<store::Settlement>* settlements);
  void Send(const std::shared_ptr<Delivery>& delivery);
  void Fail(Delivery& delivery, const std::string& why, std::vector<store::Settlement>* settlements);
  std::string ValidationToken(const store::Subscription& subscription);

  store::SubscriptionStore& subscriptions_;
  WebhookClient& client_;
  const NotificationOptions& options_;
  const Clock& clock_;
  const std::string consumer_;
  const auth::KeyRing* keys_;
  std::mt19937_64 random_;

  // Backoff per subscription (tenant/subscription key): consecutive failures and when to try again.
  struct Backoff {
    int failures = 0;
    int64_t until_ms = 0;
  };
  std::map<std::string, Backoff> backoff_;
  std::map<std::string, std::shared_ptr<Delivery>> in_flight_;  // by tenant/subscription key
  std::map<std::string, std::shared_ptr<const EncryptionCertificate>> certificates_;  // by subscription id
  std::map<std::string, std::pair<std::string, int64_t>> tokens_;  // tenant/app -> (jwt, made at, unix s)

  mutable std::mutex mu_;  // guards finished_ and woken_ (filled on the client's I/O threads)
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Finished>> finished_;
  bool woken_ = false;
};

}  // namespace aih::notify
