// DeliveryWorker: change notifications running inside `aihistory serve`, on threads of their own.
//
// Three loops share nothing but the store: the router moves committed changes into subscription
// outboxes (change_router.h), the dispatcher POSTs the outboxes to receivers (outbox_dispatcher.h),
// and the monitor expires subscriptions, removes those that lost their permission and asks for
// reauthorization (subscription_monitor.h). Ingest never waits for any of them: it only appends its
// change rows. All of their threads, the webhook client's included, run in the background
// (base/background_thread.h): on a busy machine delivery takes the CPU requests leave, and catches
// up when they pause. Every server of a shared database runs a worker; the leases of the change feed and of
// the outbox share the work among them and hand a dead server's work to the others. Stop() (also the
// destructor) lets the POSTs in flight finish, records them, and returns.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "auth/key_ring.h"
#include "base/metrics.h"
#include "notify/change_router.h"
#include "base/clock.h"
#include "notify/notification_options.h"
#include "notify/outbox_dispatcher.h"
#include "notify/subscription_monitor.h"
#include "notify/webhook_client.h"
#include "store/store.h"

namespace aih::notify {

class DeliveryWorker {
 public:
  // Starts the threads. `keys` (may be null) signs validation tokens; `store`, `keys` and `clock` must
  // outlive the worker.
  static Result<std::unique_ptr<DeliveryWorker>> Start(store::Store& store, const auth::KeyRing* keys,
                                                       NotificationOptions options, const Clock& clock);
  ~DeliveryWorker();

  void Stop();
  const std::string& consumer() const { return consumer_; }

 private:
  DeliveryWorker(store::Store& store, const auth::KeyRing* keys, NotificationOptions options, const Clock& clock);
  void RouteLoop();
  void DispatchLoop();
  void MonitorLoop();
  // Sleeps up to `d`, waking early when stopping; false once stopping.
  bool Pause(std::chrono::milliseconds d);
  static void Report(const char* what, const Status& status);

  const NotificationOptions options_;
  const std::string consumer_;
  WebhookClient client_;
  ChangeRouter router_;
  OutboxDispatcher dispatcher_;
  SubscriptionMonitor monitor_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::thread route_thread_, dispatch_thread_, monitor_thread_;
  metrics::CallbackRegistration queue_depth_;  // aihistory_notification_queue_depth
};

}  // namespace aih::notify
