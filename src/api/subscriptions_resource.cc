#include "api/subscriptions_resource.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>

#include "api/audit_record.h"
#include "api/request_context.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "notify/handshake_limiter.h"
#include "notify/subscription_request.h"
#include "notify/validation_handshake.h"
#include "notify/webhook_client.h"
#include "policy/subscription_policy.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

struct Resource {
  Context& ctx;
  notify::WebhookClient handshakes;            // its own I/O thread; no request worker waits for it
  notify::HandshakeLimiter handshake_limiter;  // how many handshakes each app, tenant and the server run
  SystemClock clock;

  Resource(Context& c)
      : ctx(c), handshakes(c.options.notifications.webhooks), handshake_limiter(c.options.notifications.handshake_limits) {}
  const notify::NotificationOptions& options() const { return ctx.options.notifications; }
};

void Member(std::string& out, const char* name, const std::string& value, bool null_when_empty = true) {
  out += ",\"";
  out += name;
  out += "\":";
  if (value.empty() && null_when_empty) {
    out += "null";
  } else {
    AppendJsonString(out, value);
  }
}

std::string SubscriptionJson(const store::Subscription& s) {
  std::string out = "{\"id\":";
  AppendJsonString(out, s.id);
  Member(out, "resource", s.resource);
  Member(out, "applicationId", s.app_id);
  Member(out, "changeType", notify::ChangeTypesText(s.change_types));
  Member(out, "clientState", s.client_state);
  Member(out, "notificationUrl", s.notification_url);
  out += ",\"notificationQueryOptions\":null";
  Member(out, "lifecycleNotificationUrl", s.lifecycle_notification_url);
  Member(out, "expirationDateTime", model::Timestamp::FromUnixMillis(s.expiration_ms).ToString());
  Member(out, "creatorId", s.creator_id);
  out += ",\"includeResourceData\":";
  out += s.include_resource_data ? "true" : "false";
  Member(out, "latestSupportedTlsVersion", s.latest_supported_tls_version);
  Member(out, "encryptionCertificate", s.encryption_certificate);
  Member(out, "encryptionCertificateId", s.encryption_certificate_id);
  Member(out, "notificationUrlAppId", s.notification_url_app_id);
  out += ",\"notificationContentType\":null}";
  return out;
}

// The subscription JSON with its @odata.context, as a single entity.
Result<http::Response> EntityResponse(Context& ctx, const http::Request& r, const store::Subscription& s, int status) {
  auto base = BaseUrl(ctx, r);
  if (!base.ok()) return base.status();
  http::Response response;
  response.status = status;
  response.body = "{\"@odata.context\":";
  AppendJsonString(response.body, *base + "/" + ApiVersion(r) + "/$metadata#subscriptions/$entity");
  response.body += ',';
  response.body += SubscriptionJson(s).substr(1);
  if (status == 201) response.SetHeader("Location", *base + "/" + ApiVersion(r) + "/subscriptions/" + s.id);
  return response;
}

bool Visible(const auth::Principal& caller, const store::Subscription& s, int64_t now_ms) {
  if (s.tenant_id != caller.tenant_id || s.app_id != caller.app_id || s.expiration_ms <= now_ms) return false;
  return caller.kind == auth::Principal::Kind::kApplication || s.creator_id == caller.user_id;
}

// The caller's own live subscription with the path's id, or 404 as for one that does not exist.
Result<store::Subscription> Find(Resource& res, const auth::Principal& caller, const std::string& id_text) {
  auto not_found = Status::NotFound("there is no subscription '" + Printable(id_text) +
                                    "' of this application (it may have expired or been deleted)");
  auto id = directory::CanonicalGuid(id_text, "subscription id");
  if (!id.ok()) return not_found;
  auto s = res.ctx.store.subscriptions().Get(caller.tenant_id, *id);
  if (!s.ok()) return s.status().code() == Code::kNotFound ? not_found : s.status();
  if (!Visible(caller, *s, res.clock.NowMillis())) return not_found;
  return *s;
}

// Records a subscription's creation, renewal or deletion (store/audit_trail.h: durably, before the
// change is acknowledged), or a creation refused after its request was accepted (`reason`: a receiver
// failed its validation handshake, a quota filled meanwhile). The clientState is the app's and its
// receiver's shared secret: never kept.
void RecordSubscriptionChange(Resource& res, const http::Request& r, const auth::Principal& caller,
                              const char* action, const store::Subscription& s, int status,
                              const std::string& before_expiration = "", const std::string& reason = "") {
  if (res.ctx.audit == nullptr || !res.ctx.audit->enabled()) return;
  store::AuditEntry e = RequestAuditEntry(r, action, caller.tenant_id, status);
  SetAuditActor(e, caller);
  e.target = s.id.empty() ? std::string(r.path()) : "subscriptions/" + s.id;
  e.details = "{\"resource\":";
  AppendJsonString(e.details, s.resource);
  e.details += ",\"changeType\":";
  AppendJsonString(e.details, notify::ChangeTypesText(s.change_types));
  e.details += ",\"notificationUrl\":";
  AppendJsonString(e.details, s.notification_url);
  e.details += ",\"includeResourceData\":";
  e.details += s.include_resource_data ? "true" : "false";
  if (!before_expiration.empty()) {
    e.details += ",\"before\":{\"expirationDateTime\":";
    AppendJsonString(e.details, before_expiration);
    e.details += "}";
  }
  e.details += ",\"expirationDateTime\":";
  AppendJsonString(e.details, model::Timestamp::FromUnixMillis(s.expiration_ms).ToString());
  if (!reason.empty()) {
    e.details += ",\"reason\":";
    AppendJsonString(e.details, reason);
  }
  e.details += '}';
  Status kept = res.ctx.audit->RecordNow(std::move(e));
  if (!kept.ok()) log::Error("audit_record_failed").Str("request_id", r.request_id).Str("error", kept.message());
}

// A subscription request that passed every check of its own, while its receivers are asked.
struct PendingSubscription {
  notify::SubscriptionRequest request;
  std::string user_id;
  auth::Principal caller;
  notify::HandshakeLimiter::Slot slot;  // its place among the handshakes, until it is answered
};

// Asks the receivers in turn (first the notificationUrl, then the lifecycleNotificationUrl if any),
// without waiting; `done` gets the first failure or Ok, once, on the handshake client's thread.
void ValidateReceivers(Resource& res, const http::Request& r, std::shared_ptr<PendingSubscription> pending,
                       std::function<void(Status)> done) {
  const auto timeout = res.options().handshake_timeout;
  notify::StartValidationHandshake(
      res.handshakes, pending->request.notification_url, "notificationUrl", timeout, r.request_id,
      [&res, &r, pending, timeout, done = std::move(done)](Status first) {
        if (!first.ok() || pending->request.lifecycle_notification_url.empty()) return done(first);
        notify::StartValidationHandshake(res.handshakes, pending->request.lifecycle_notification_url,
                                         "lifecycleNotificationUrl", timeout, r.request_id, done);
      });
}

// Records a creation refused once its receivers were asked: what was asked for, and why not.
void RecordRefusedCreation(Resource& res, const http::Request& r, const PendingSubscription& pending, int status,
                           const std::string& reason) {
  store::Subscription asked;
  asked.resource = pending.request.resource;
  asked.change_types = pending.request.change_types;
  asked.notification_url = pending.request.notification_url;
  asked.include_resource_data = pending.request.include_resource_data;
  asked.expiration_ms = pending.request.expiration_ms;
  RecordSubscriptionChange(res, r, pending.caller, "subscriptions.create", asked, status, "", reason);
}

// Stores a subscription whose receivers answered.
Result<http::Response> Store(Resource& res, const http::Request& r, const PendingSubscription& pending) {
  const notify::SubscriptionRequest& request = pending.request;
  const auth::Principal& caller = pending.caller;
  store::Subscription s;
  s.tenant_id = caller.tenant_id;
  s.id = http::NewGuid();
  s.app_id = caller.app_id;
  s.delegated = caller.kind == auth::Principal::Kind::kDelegated;
  s.creator_id = s.delegated ? caller.user_id : caller.app_id;
  s.user_id = pending.user_id;
  s.resource = request.resource;
  s.filter = request.target.filter ? request.target.filter->Canonical() : "";
  s.change_types = request.change_types;
  s.notification_url = request.notification_url;
  s.lifecycle_notification_url = request.lifecycle_notification_url;
  s.client_state = request.client_state;
  s.include_resource_data = request.include_resource_data;
  s.encryption_certificate = request.encryption_certificate;
  s.encryption_certificate_id = request.encryption_certificate_id;
  s.latest_supported_tls_version = request.latest_supported_tls_version;
  s.notification_url_app_id = request.notification_url_app_id;
  s.expiration_ms = request.expiration_ms;
  s.created_ms = res.clock.NowMillis();
  // The quotas are counted when stored: the handshake may have taken seconds, and other servers count too.
  AIH_RETURN_IF_ERROR(res.ctx.store.subscriptions().Create(s, res.options().quotas, s.created_ms));
  RecordSubscriptionChange(res, r, caller, "subscriptions.create", s, 201);
  return EntityResponse(res.ctx, r, s, 201);
}

Result<http::Response> Create(Resource& res, const http::Request& r, const auth::Principal& caller) {
  const int64_t now = res.clock.NowMillis();
  auto request = notify::ParseSubscriptionRequest(r.body, res.options(), now);
  if (!request.ok()) return request.status();
  auto user_id = policy::AuthorizeSubscriber(res.ctx.store.directory(), caller, request->target.user_ref);
  if (!user_id.ok()) return user_id.status();

  // Both receivers must prove they want the notifications before anything is stored. A handshake
  // may take its whole timeout (a receiver that accepts and stays silent), so the request waits for
  // it without a worker (ResponseStream::Defer), and the limiter bounds how many handshakes one app,
  // one tenant and the server have in flight: over a bound, the request is answered at once.
  auto slot = res.handshake_limiter.TryAcquire(caller.tenant_id, caller.app_id);
  if (!slot.ok()) {
    // A place frees within one request's handshakes.
    const auto timeout = std::chrono::ceil<std::chrono::seconds>(res.options().handshake_timeout);
    const int retry_after = static_cast<int>(std::max<int64_t>(1, timeout.count()));
    if (slot.status().code() == Code::kTooManyRequests) return http::ErrorResponse(r, slot.status(), retry_after);
    // ErrorResponse would hide a 503's message (it is meant for our own failures): this one is for the caller.
    http::Response busy = http::ErrorResponse(r, 503, "ServiceUnavailable", slot.status().message());
    busy.SetHeader("Retry-After", std::to_string(retry_after));
    return busy;
  }
  auto pending = std::make_shared<PendingSubscription>(
      PendingSubscription{std::move(*request), std::move(*user_id), caller, std::move(*slot)});
  // Runs on a worker once the receivers have answered (or failed to).
  auto finish = [&res, &r, pending](const Status& validated) -> http::Response {
    Status refused = validated;
    if (refused.ok()) {
      auto created = Store(res, r, *pending);
      if (created.ok()) return std::move(*created);
      refused = created.status();
    }
    http::Response failed = Fail(r, refused);
    RecordRefusedCreation(res, r, *pending, failed.status, refused.message());
    return failed;
  };
  if (r.stream == nullptr) {  // called directly (tests): no server to defer to, so wait here
    std::promise<Status> validated;
    ValidateReceivers(res, r, pending, [&validated](Status s) { validated.set_value(std::move(s)); });
    return finish(validated.get_future().get());
  }
  auto answer = r.stream->Defer();
  ValidateReceivers(res, r, pending, [answer, finish](Status validated) {
    answer([finish, validated] { return finish(validated); });
  });
  return http::Response{};  // not sent: `answer` answers
}

Result<http::Response> List(Resource& res, const http::Request& r, const auth::Principal& caller) {
  auto base = BaseUrl(res.ctx, r);
  if (!base.ok()) return base.status();
  auto all = res.ctx.store.subscriptions().ListByApp(caller.tenant_id, caller.app_id);
  if (!all.ok()) return all.status();
  const int64_t now = res.clock.NowMillis();
  http::Response response;
  response.body = "{\"@odata.context\":";
  AppendJsonString(response.body, *base + "/" + ApiVersion(r) + "/$metadata#subscriptions");
  response.body += ",\"value\":[";
  bool first = true;
  for (const store::Subscription& s : *all) {
    if (!Visible(caller, s, now)) continue;
    if (!first) response.body += ',';
    first = false;
    response.body += SubscriptionJson(s);
  }
  response.body += "]}";
  return response;
}

Result<http::Response> Renew(Resource& res, const http::Request& r, const auth::Principal& caller,
                             const std::string& id) {
  auto s = Find(res, caller, id);
  if (!s.ok()) return s.status();
  auto expiration =
      notify::ParseRenewal(r.body, !s->lifecycle_notification_url.empty(), res.options(), res.clock.NowMillis());
  if (!expiration.ok()) return expiration.status();
  // A renewal needs the permission still: the same decision as at creation, for the same user.
  AIH_RETURN_IF_ERROR(policy::AuthorizeSubscriber(res.ctx.store.directory(), caller, s->user_id).status());
  store::SubscriptionPatch patch;
  patch.expiration_ms = *expiration;
  auto updated = res.ctx.store.subscriptions().Update(s->tenant_id, s->id, patch);
  if (!updated.ok()) return updated.status();
  RecordSubscriptionChange(res, r, caller, "subscriptions.renew", *updated, 200,
                           model::Timestamp::FromUnixMillis(s->expiration_ms).ToString());
  return EntityResponse(res.ctx, r, *updated, 200);
}

Result<http::Response> Delete(Resource& res, const http::Request& r, const auth::Principal& caller,
                              const std::string& id) {
  auto s = Find(res, caller, id);
  if (!s.ok()) return s.status();
  AIH_RETURN_IF_ERROR(res.ctx.store.subscriptions().Remove(s->tenant_id, s->id, std::nullopt));
  RecordSubscriptionChange(res, r, caller, "subscriptions.delete", *s, 204);
  http::Response response;
  response.status = 204;
  return response;
}

Result<http::Response> Reauthorize(Resource& res, const auth::Principal& caller, const std::string& id) {
  auto s = Find(res, caller, id);
  if (!s.ok()) return s.status();
  AIH_RETURN_IF_ERROR(policy::AuthorizeSubscriber(res.ctx.store.directory(), caller, s->user_id).status());
  http::Response response;
  response.status = 204;
  return response;
}

}  // namespace

void AddSubscriptionRoutes(http::Router& router, Context& ctx) {
  auto res = std::make_shared<Resource>(ctx);
  using Op = std::function<Result<http::Response>(Resource&, const http::Request&, const auth::Principal&,
                                                  const http::PathParams&)>;
  auto add = [&router, res](const std::string& method, const std::string& pattern, Op op) {
    router.Add(method, pattern, [res, op](const http::Request& r, const http::PathParams& p) {
      auto caller = Authenticate(res->ctx, r);
      if (!caller.ok()) return Fail(r, caller.status());
      auto response = op(*res, r, *caller, p);
      if (!response.ok()) return Fail(r, response.status());
      return std::move(*response);
    });
  };
  for (const char* version : {"v1.0", "beta"}) {
    const std::string base = std::string("/") + version + "/subscriptions";
    add("POST", base, [](Resource& s, auto& r, auto& c, auto&) { return Create(s, r, c); });
    add("GET", base, [](Resource& s, auto& r, auto& c, auto&) { return List(s, r, c); });
    add("GET", base + "/{id}", [](Resource& s, auto& r, auto& c, auto& p) -> Result<http::Response> {
      auto found = Find(s, c, p.at("id"));
      if (!found.ok()) return found.status();
      return EntityResponse(s.ctx, r, *found, 200);
    });
    add("PATCH", base + "/{id}", [](Resource& s, auto& r, auto& c, auto& p) { return Renew(s, r, c, p.at("id")); });
    add("DELETE", base + "/{id}", [](Resource& s, auto& r, auto& c, auto& p) { return Delete(s, r, c, p.at("id")); });
    add("POST", base + "/{id}/reauthorize",
        [](Resource& s, auto&, auto& c, auto& p) { return Reauthorize(s, c, p.at("id")); });
  }
}

}  // namespace aih::api
