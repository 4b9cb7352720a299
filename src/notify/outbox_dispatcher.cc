#include "notify/outbox_dispatcher.h"

#include <algorithm>

#include "auth/token_issuer.h"
#include "base/log.h"
#include "base/metrics.h"
#include "notify/notification_json.h"
#include "notify/routed_change.h"
#include "notify/validation_token.h"

namespace aih::notify {
namespace {

// POSTs to receivers by outcome: "delivered" (2xx), "failed" (anything else: retried with backoff);
// and "dropped" notifications (given up after give_up_after).
metrics::Counter& Deliveries(const std::string& outcome) {
  static auto& deliveries = metrics::Registry::Default().AddCounterFamily(
      "aihistory_notification_deliveries_total",
      "Change-notification POSTs by outcome (delivered, failed) and notifications dropped after retrying (dropped).",
      {"outcome"});
  return deliveries.With({outcome});
}

metrics::Gauge& ReceiversInBackoff() {
  static auto& gauge = metrics::Registry::Default().AddGauge(
      "aihistory_notification_receivers_in_backoff",
      "Subscriptions whose receiver failed and is waiting for its next attempt (this server's dispatcher).");
  return gauge;
}

}  // namespace

// One POST: the entries it settles, and what it sends where.
struct OutboxDispatcher::Post {
  std::vector<store::OutboxEntry> entries;
  std::string url;
  std::string body;
};

// What one subscription's claimed entries become.
struct OutboxDispatcher::Delivery {
  std::string key;  // tenant/subscription
  std::string tenant_id, subscription_id;
  std::vector<store::OutboxEntry> entries;
  std::optional<store::Subscription> subscription;  // when it still exists (change batches need it)
  std::vector<Post> posts;
  size_t next = 0;  // the POST being sent
};

struct OutboxDispatcher::Finished {
  std::shared_ptr<Delivery> delivery;
  Result<WebhookResponse> result;
};

namespace {

std::string KeyOf(const std::string& tenant_id, const std::string& subscription_id) {
  return tenant_id + "/" + subscription_id;
}

store::Settlement Settle(const store::OutboxEntry& e, store::Settlement::Outcome outcome, int64_t next_attempt_ms = 0) {
  store::Settlement s;
  s.tenant_id = e.tenant_id;
  s.subscription_id = e.subscription_id;
  s.entry_id = e.entry_id;
  s.outcome = outcome;
  s.next_attempt_ms = next_attempt_ms;
  return s;
}

}  // namespace

OutboxDispatcher::OutboxDispatcher(store::SubscriptionStore& subscriptions, WebhookClient& client,
                                   const NotificationOptions& options, const Clock& clock, std::string consumer,
                                   const auth::KeyRing* keys)
    : subscriptions_(subscriptions),
      client_(client),
      options_(options),
      clock_(clock),
      consumer_(std::move(consumer)),
      keys_(keys),
      random_(std::random_device{}()) {
  // Every series from the start, for the monitoring.
  for (const char* outcome : {"delivered", "failed", "dropped"}) Deliveries(outcome);
  ReceiversInBackoff();
}

OutboxDispatcher::~OutboxDispatcher() { Drain(); }

int OutboxDispatcher::deliveries_in_flight() const { return static_cast<int>(in_flight_.size()); }

void OutboxDispatcher::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return woken_ || !finished_.empty(); });
  woken_ = false;
}

void OutboxDispatcher::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

Result<int> OutboxDispatcher::DispatchOnce() {
  AIH_RETURN_IF_ERROR(SettleFinished());
  return StartDue();
}

void OutboxDispatcher::Drain() {
  // No new POST starts: a delivery's remaining POSTs are rescheduled when its current one settles.
  while (!in_flight_.empty()) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !finished_.empty(); });
    }
    std::deque<std::unique_ptr<Finished>> finished;
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished.swap(finished_);
    }
    std::vector<store::Settlement> settlements;
    const int64_t now = clock_.NowMillis();
    for (auto& f : finished) {
      Delivery& d = *f->delivery;
      const Post& post = d.posts[d.next];
      const bool delivered = f->result.ok() && f->result->status >= 200 && f->result->status < 300;
      for (const auto& e : post.entries) {
        settlements.push_back(delivered ? Settle(e, store::Settlement::Outcome::kDelivered)
                                        : Settle(e, store::Settlement::Outcome::kRetry, now));
      }
      for (size_t i = d.next + 1; i < d.posts.size(); ++i) {
        for (const auto& e : d.posts[i].entries) settlements.push_back(Settle(e, store::Settlement::Outcome::kRetry, now));
      }
      in_flight_.erase(d.key);
    }
    Status s = subscriptions_.Settle(consumer_, settlements);
    if (!s.ok()) {
      log::Error("notification_settle_failed")
          .Str("detail", "could not record deliveries while stopping (they will be sent again)")
          .Str("error", s.message());
    }
  }
}

Status OutboxDispatcher::SettleFinished() {
  std::deque<std::unique_ptr<Finished>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished.swap(finished_);
  }
  if (finished.empty()) return Status::Ok();
  std::vector<store::Settlement> settlements;
  std::vector<std::shared_ptr<Delivery>> continuing;
  for (auto& f : finished) {
    Delivery& d = *f->delivery;
    const Post& post = d.posts[d.next];
    if (f->result.ok() && f->result->status >= 200 && f->result->status < 300) {
      static auto& delivered = Deliveries("delivered");
      delivered.Add();
      for (const auto& e : post.entries) settlements.push_back(Settle(e, store::Settlement::Outcome::kDelivered));
      backoff_.erase(d.key);
      if (++d.next < d.posts.size()) {
        continuing.push_back(f->delivery);
        continue;
      }
    } else {
      static auto& failed = Deliveries("failed");
      failed.Add();
      Fail(d,
           f->result.ok() ? "it answered HTTP " + std::to_string(f->result->status) : f->result.status().message(),
           &settlements);
    }
    in_flight_.erase(d.key);
  }
  // Record the outcomes before sending more, so a crash never forgets a delivery it already made.
  Status recorded = subscriptions_.Settle(consumer_, settlements);
  if (!recorded.ok()) {
    // Unrecorded, the entries stay leased and are sent again when the lease ends: at least once.
    for (auto& d : continuing) in_flight_.erase(d->key);
    return recorded;
  }
  for (auto& d : continuing) Send(d);
  return Status::Ok();
}

void OutboxDispatcher::Fail(Delivery& d, const std::string& why, std::vector<store::Settlement>* settlements) {
  const int64_t now = clock_.NowMillis();
  Backoff& b = backoff_[d.key];
  int failures = b.failures;
  for (const auto& e : d.entries) failures = std::max(failures, e.attempts);
  b.failures = failures + 1;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const int64_t delay = options_.retry.Delay(b.failures, uniform(random_)).count();
  b.until_ms = now + delay;
  if (b.failures == 1) {
    log::Warn("notification_delivery_failed")
        .Str("tenant", d.tenant_id)
        .Str("subscription", d.subscription_id)
        .Str("reason", why)
        .Str("detail", "retrying with backoff");
  }
  bool missed_sent = false;
  for (size_t i = d.next; i < d.posts.size(); ++i) {
    for (const auto& e : d.posts[i].entries) {
      if (!options_.retry.GiveUp(e.enqueued_ms, now)) {
        settlements->push_back(Settle(e, store::Settlement::Outcome::kRetry, b.until_ms));
        continue;
      }
      store::Settlement drop = Settle(e, store::Settlement::Outcome::kDropped);
      const store::Subscription* s = d.subscription ? &*d.subscription : nullptr;
      if (e.kind == store::OutboxKind::kChanges && s && !s->lifecycle_notification_url.empty() && !missed_sent) {
        drop.replacement = LifecycleOutboxEntry(*s, LifecycleEvent::kMissed, now);
        missed_sent = true;
      }
      static auto& dropped = Deliveries("dropped");
      dropped.Add(static_cast<uint64_t>(std::max(0, static_cast<int>(e.items))));
      log::Error("notifications_dropped")
          .Str("tenant", d.tenant_id)
          .Str("subscription", e.subscription_id)
          .Int("notifications", e.items)
          .Int("after_minutes", options_.retry.give_up_after.count() / 60000);
      settlements->push_back(std::move(drop));
    }
  }
}

Result<int> OutboxDispatcher::StartDue() {
  const int room = options_.max_concurrent_deliveries - static_cast<int>(in_flight_.size());
  if (room <= 0) return 0;
  const int64_t now = clock_.NowMillis();
  std::vector<std::string> skip;
  for (const auto& [key, d] : in_flight_) skip.push_back(d->subscription_id);
  int64_t waiting = 0;
  for (auto it = backoff_.begin(); it != backoff_.end();) {
    if (it->second.until_ms > now) {
      ++waiting;
      skip.push_back(it->first.substr(it->first.find('/') + 1));
      ++it;
    } else if (it->second.until_ms + options_.retry.max_delay.count() < now) {
      it = backoff_.erase(it);  // long recovered or gone: forget it
    } else {
      ++it;
    }
  }
  ReceiversInBackoff().Set(waiting);
  // A few entries per subscription keep one delivery's POSTs within its lease.
  const int per_subscription = 4;
  auto claimed = subscriptions_.ClaimDue(consumer_, now, options_.outbox_lease.count(), per_subscription,
                                         room * per_subscription, skip);
  if (!claimed.ok()) return claimed.status();
  if (claimed->empty()) return 0;

  std::map<std::string, std::shared_ptr<Delivery>> deliveries;
  for (store::OutboxEntry& e : *claimed) {
    auto& d = deliveries[KeyOf(e.tenant_id, e.subscription_id)];
    if (!d) {
      d = std::make_shared<Delivery>();
      d->key = KeyOf(e.tenant_id, e.subscription_id);
      d->tenant_id = e.tenant_id;
      d->subscription_id = e.subscription_id;
    }
    d->entries.push_back(std::move(e));
  }
  std::vector<store::Settlement> settlements;
  std::vector<std::shared_ptr<Delivery>> ready;
  for (auto& [key, d] : deliveries) {
    Status s = Prepare(*d, &settlements);
    if (!s.ok()) {
      // The store could not be read: give the entries back for the next pass.
      for (const auto& e : d->entries) settlements.push_back(Settle(e, store::Settlement::Outcome::kRetry, now));
      continue;
    }
    if (!d->posts.empty()) ready.push_back(d);
  }
  AIH_RETURN_IF_ERROR(subscriptions_.Settle(consumer_, settlements));
  for (auto& d : ready) {
    in_flight_[d->key] = d;
    Send(d);
  }
  return static_cast<int>(ready.size());
}

Status OutboxDispatcher::Prepare(Delivery& d, std::vector<store::Settlement>* settlements) {
  const int64_t now = clock_.NowMillis();
  bool has_changes = false;
  for (const auto& e : d.entries) has_changes |= e.kind == store::OutboxKind::kChanges;
  if (has_changes) {
    auto s = subscriptions_.Get(d.tenant_id, d.subscription_id);
    if (s.ok()) {
      d.subscription = std::move(*s);
    } else if (s.status().code() != Code::kNotFound) {
      return s.status();
    }
  }
  const store::Subscription* sub = d.subscription ? &*d.subscription : nullptr;
  const bool live = sub && sub->expiration_ms > now;

  std::shared_ptr<const EncryptionCertificate> certificate;
  std::string token;
  if (live && sub->include_resource_data) {
    if (certificates_.size() > 10'000) certificates_.clear();  // a cache, rebuilt as needed
    auto& cached = certificates_[sub->id];
    if (!cached) {
      auto parsed = EncryptionCertificate::Parse(sub->encryption_certificate);
      if (parsed.ok()) cached = std::make_shared<const EncryptionCertificate>(std::move(*parsed));
    }
    certificate = cached;
    token = ValidationToken(*sub);
  }

  const size_t per_post = static_cast<size_t>(std::max(1, options_.max_notifications_per_post));
  std::vector<RoutedChange> batch;
  std::vector<store::OutboxEntry> batch_entries;
  auto flush = [&] {
    if (batch_entries.empty()) return;
    Post post;
    post.url = sub->notification_url;
    post.body = RenderChangeNotifications(*sub, batch, certificate.get(), token);
    post.entries = std::move(batch_entries);
    d.posts.push_back(std::move(post));
    batch.clear();
    batch_entries.clear();
  };
  for (auto& e : d.entries) {
    if (e.kind == store::OutboxKind::kLifecycle) {
      flush();
      Post post;
      post.url = e.url;
      post.body = e.payload;
      post.entries.push_back(e);
      d.posts.push_back(std::move(post));
      continue;
    }
    if (!live || (sub->include_resource_data && !certificate)) {
      // Nobody to deliver to any more (deleted, or expired and not yet swept), or a certificate that no
      // longer reads (it was checked at creation): the notifications cannot go out.
      settlements->push_back(Settle(e, store::Settlement::Outcome::kDropped));
      continue;
    }
    auto changes = ReadRoutedChanges(e.payload);
    if (!changes.ok()) {
      log::Error("notification_unrenderable").Str("error", changes.status().message()).Str("detail", "dropping it");
      settlements->push_back(Settle(e, store::Settlement::Outcome::kDropped));
      continue;
    }
    if (!batch.empty() && batch.size() + changes->size() > per_post) flush();
    for (auto& c : *changes) batch.push_back(std::move(c));
    batch_entries.push_back(e);
  }
  flush();
  return Status::Ok();
}

void OutboxDispatcher::Send(const std::shared_ptr<Delivery>& delivery) {
  const Post& post = delivery->posts[delivery->next];
  WebhookRequest request;
  request.url = post.url;
  request.body = post.body;
  request.timeout = options_.delivery_timeout;
  client_.Post(std::move(request), [this, delivery](Result<WebhookResponse> result) {
    auto f = std::make_unique<Finished>(Finished{delivery, std::move(result)});
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished_.push_back(std::move(f));
    }
    cv_.notify_all();
  });
}

std::string OutboxDispatcher::ValidationToken(const store::Subscription& s) {
  if (!keys_) return {};
  const int64_t now = clock_.NowMillis() / 1000;
  const int64_t lifetime = options_.validation_token_lifetime.count();
  auto& [jwt, made_at] = tokens_[s.tenant_id + "/" + s.app_id];
  // Reused for half its lifetime: signing per POST would cost a private-key operation each time.
  if (jwt.empty() || now - made_at > lifetime / 2 || now < made_at) {
    ValidationTokenClaims claims;
    claims.issuer = auth::IssuerFor(options_.issuer_base, s.tenant_id);
    claims.tenant_id = s.tenant_id;
    claims.app_id = s.app_id;
    claims.now = now;
    claims.lifetime_seconds = lifetime;
    jwt = MakeValidationToken(keys_->ActiveKey(now), claims);
    made_at = now;
  }
  return jwt;
}

}  // namespace aih::notify
