#include "notify/delivery_worker.h"


#include "base/log.h"
#include "base/background_thread.h"
#include "http/graph_error.h"

namespace aih::notify {
namespace {

// Delivery's own client: sending is part of delivery, so its threads run in the background too.
WebhookClientOptions BackgroundClient(WebhookClientOptions options) {
  options.background = true;
  return options;
}

}  // namespace

Result<std::unique_ptr<DeliveryWorker>> DeliveryWorker::Start(store::Store& store, const auth::KeyRing* keys,
                                                              NotificationOptions options, const Clock& clock) {
  std::unique_ptr<DeliveryWorker> worker(new DeliveryWorker(store, keys, std::move(options), clock));
  worker->route_thread_ = std::thread([w = worker.get()] { w->RouteLoop(); });
  worker->dispatch_thread_ = std::thread([w = worker.get()] { w->DispatchLoop(); });
  worker->monitor_thread_ = std::thread([w = worker.get()] { w->MonitorLoop(); });
  return worker;
}

DeliveryWorker::DeliveryWorker(store::Store& store, const auth::KeyRing* keys, NotificationOptions options,
                               const Clock& clock)
    : options_(std::move(options)),
      consumer_("notify-" + http::NewGuid()),
      client_(BackgroundClient(options_.webhooks)),
      router_(store, options_, clock, consumer_),
      dispatcher_(store.subscriptions(), client_, options_, clock, consumer_, keys),
      monitor_(store, options_, clock) {
  queue_depth_ = metrics::Registry::Default().AddCallbackGauge(
      "aihistory_notification_queue_depth",
      "Change and lifecycle notifications in the outbox, waiting for delivery (read at most every few seconds).",
      metrics::Cached(
          [&store]() -> std::optional<double> {
            auto depth = store.subscriptions().OutboxDepth();
            return depth.ok() ? std::optional<double>(static_cast<double>(*depth)) : std::nullopt;
          },
          std::chrono::seconds(5)));
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  dispatcher_.Wake();
  for (std::thread* t : {&route_thread_, &dispatch_thread_, &monitor_thread_}) {
    if (t->joinable()) t->join();
  }
}

bool DeliveryWorker::Pause(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_.load(); });
  return !stopping_;
}

void DeliveryWorker::Report(const char* what, const Status& status) {
  log::Error("notification_worker_error").Str("what", what).Str("error", status.message()).Str("detail", "retrying");
}

void DeliveryWorker::RouteLoop() {
  RunInBackground();
  const int batch = std::max(1, options_.max_notifications_per_post);
  while (!stopping_) {
    auto routed = router_.RouteOnce(batch);
    if (!routed.ok()) {
      Report("routing changes failed", routed.status());
      if (!Pause(std::chrono::seconds(1))) break;
      continue;
    }
    if (*routed > 0) {
      dispatcher_.Wake();
      continue;  // more may be pending: no pause while there is a backlog
    }
    if (!Pause(options_.poll_interval)) break;
  }
}

void DeliveryWorker::DispatchLoop() {
  RunInBackground();
  while (!stopping_) {
    auto started = dispatcher_.DispatchOnce();
    if (!started.ok()) {
      Report("delivering notifications failed", started.status());
      dispatcher_.Wait(std::chrono::seconds(1));
      continue;
    }
    dispatcher_.Wait(options_.poll_interval);
  }
  dispatcher_.Drain();
}

void DeliveryWorker::MonitorLoop() {
  RunInBackground();
  while (!stopping_) {
    auto swept = monitor_.SweepOnce();
    if (!swept.ok()) {
      Report("the subscription sweep failed", swept.status());
    } else if (swept->reauthorization_requested || swept->removed) {
      dispatcher_.Wake();
    }
    if (!Pause(options_.monitor_interval)) break;
  }
}

}  // namespace aih::notify
