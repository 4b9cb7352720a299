#include "notify/subscription_request.h"

#include <cctype>
#include <vector>

#include "base/ascii.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "model/timestamp.h"
#include "notify/encryption_certificate.h"
#include "notify/receiver_policy.h"
#include "notify/webhook_url.h"
#include "odata/percent_encoding.h"

namespace aih::notify {
namespace {

constexpr const char* kResourceForms =
    "/copilot/users/{userId}/interactionHistory/getAllEnterpriseInteractions or "
    "/copilot/interactionHistory/getAllEnterpriseInteractions, optionally followed by ?$filter=...";

bool IsFunction(const std::string& segment) {
  return segment == "getallenterpriseinteractions" || segment == "getallenterpriseinteractions()";
}

std::string MinutesText(std::chrono::minutes m) { return std::to_string(m.count()) + " minutes"; }

Result<int64_t> ParseExpiration(const std::optional<std::string>& text) {
  if (!text) {
    return Status::BadRequest("\"expirationDateTime\" is required: when the subscription ends, e.g. "
                              "\"2026-01-15T12:00:00Z\" (at most 4,320 minutes ahead)");
  }
  auto ts = model::Timestamp::Parse(*text);
  if (!ts.ok()) {
    return Status::BadRequest("\"expirationDateTime\" '" + Printable(*text) +
                              "' is not an ISO 8601 date and time with an offset: " + ts.status().message());
  }
  return ts->UnixMillis();
}

}  // namespace

Result<SubscriptionResource> ParseSubscriptionResource(std::string_view resource) {
  if (resource.empty()) return Status::BadRequest(std::string("\"resource\" is required: ") + kResourceForms);
  const size_t q = resource.find('?');
  std::string_view path = resource.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : resource.substr(q + 1);
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);

  std::vector<std::string> segments;  // percent-decoded, as written
  while (true) {
    size_t slash = path.find('/');
    auto decoded = odata::PercentDecode(path.substr(0, slash), false);
    if (!decoded.ok()) return decoded.status().WithContext("\"resource\"");
    segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  auto refuse = [&] {
    return Status::BadRequest("\"resource\" '" + Printable(resource.substr(0, 300)) +
                              "' is not a resource that supports change notifications; use " + kResourceForms);
  };
  SubscriptionResource out;
  if (segments.size() == 5 && AsciiLower(segments[0]) == "copilot" && AsciiLower(segments[1]) == "users" &&
      AsciiLower(segments[3]) == "interactionhistory" && IsFunction(AsciiLower(segments[4]))) {
    out.user_ref = segments[2];
    if (out.user_ref.empty()) return Status::BadRequest("\"resource\" names no user between /users/ and /interactionHistory");
  } else if (!(segments.size() == 3 && AsciiLower(segments[0]) == "copilot" && AsciiLower(segments[1]) == "interactionhistory" &&
               IsFunction(AsciiLower(segments[2])))) {
    return refuse();
  }

  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = AsciiLower(pair.substr(0, eq));
    if (name != "$filter" && name != "%24filter") {
      return Status::BadRequest("\"resource\": the query option '" + Printable(pair.substr(0, eq)) +
                                "' is not supported in a subscription; only $filter is");
    }
    if (out.filter) return Status::BadRequest("\"resource\": $filter appears twice");
    auto text = odata::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!text.ok()) return text.status().WithContext("\"resource\": $filter");
    auto filter = odata::Filter::Parse(*text);
    if (!filter.ok()) return filter.status().WithContext("\"resource\": $filter");
    out.filter = std::move(*filter);
  }
  return out;
}

std::string ChangeTypesText(uint8_t bits) {
  std::string out;
  for (auto type : {store::ChangeType::kCreated, store::ChangeType::kUpdated, store::ChangeType::kDeleted}) {
    if (!(bits & store::ChangeTypeBit(type))) continue;
    if (!out.empty()) out += ',';
    out += store::ToString(type);
  }
  return out;
}

Result<uint8_t> ParseChangeTypes(std::string_view text) {
  auto refuse = [&](const std::string& why) {
    return Status::BadRequest("\"changeType\" '" + Printable(text) + "' " + why +
                              "; send one or more of created, updated, deleted separated by commas, "
                              "e.g. \"created,updated\"");
  };
  if (text.empty()) return refuse("is empty");
  uint8_t bits = 0;
  while (true) {
    size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    uint8_t bit = 0;
    for (auto type : {store::ChangeType::kCreated, store::ChangeType::kUpdated, store::ChangeType::kDeleted}) {
      if (name == store::ToString(type)) bit = store::ChangeTypeBit(type);
    }
    if (!bit) return refuse("names '" + Printable(name) + "', which is not a change type");
    if (bits & bit) return refuse("names " + std::string(name) + " twice");
    bits |= bit;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return bits;
}

Result<int64_t> EffectiveExpiration(int64_t expiration_ms, bool has_lifecycle_url, const NotificationOptions& options,
                                    int64_t now_ms) {
  const int64_t shortest = std::chrono::milliseconds(options.min_lifetime).count();
  if (shortest > 0 && expiration_ms - now_ms < shortest) expiration_ms = now_ms + shortest;
  const int64_t ahead = expiration_ms - now_ms;
  if (ahead <= 0) {
    return Status::BadRequest("\"expirationDateTime\" is in the past; give a time in the future, at most " +
                              MinutesText(options.max_lifetime) + " ahead");
  }
  if (ahead > std::chrono::milliseconds(options.max_lifetime).count()) {
    return Status::BadRequest("\"expirationDateTime\" is more than " + MinutesText(options.max_lifetime) +
                              " ahead, the longest lifetime of a subscription; renew it before it expires instead "
                              "(PATCH /subscriptions/{id})");
  }
  if (!has_lifecycle_url && ahead > std::chrono::milliseconds(options.lifecycle_url_required_beyond).count()) {
    return Status::BadRequest("\"expirationDateTime\" is more than " + MinutesText(options.lifecycle_url_required_beyond) +
                              " ahead, which needs a \"lifecycleNotificationUrl\" (to receive reauthorizationRequired, "
                              "subscriptionRemoved and missed events); give one, or a nearer expiration");
  }
  return expiration_ms;
}

Result<SubscriptionRequest> ParseSubscriptionRequest(std::string_view body, const NotificationOptions& options,
                                                     int64_t now_ms) {
  if (body.empty()) return Status::BadRequest("the request needs a JSON subscription in its body");
  auto fields = directory::JsonFields::Parse(body);
  if (!fields.ok()) return fields.status();
  AIH_RETURN_IF_ERROR(fields->OnlyMembers(
      {"@odata.type", "changeType", "notificationUrl", "lifecycleNotificationUrl", "resource", "expirationDateTime",
       "clientState", "includeResourceData", "encryptionCertificate", "encryptionCertificateId",
       "latestSupportedTlsVersion", "notificationQueryOptions", "notificationUrlAppId", "notificationContentType",
       "vapidPublicKey", "webPushEncryptionP256dhPublicKey", "webPushEncryptionSecret"}));
  // Web Push subscriptions (Graph, 2026) deliver to a browser's push service; these are webhooks.
  for (const char* web_push : {"vapidPublicKey", "webPushEncryptionP256dhPublicKey", "webPushEncryptionSecret"}) {
    std::optional<std::string> value;
    if (!fields->Get(web_push, &value).ok() || value) {
      return Status::BadRequest("\"" + std::string(web_push) + "\" is a Web Push property, and this is a webhook "
                                "subscription (notificationUrl): leave vapidPublicKey, webPushEncryptionP256dhPublicKey "
                                "and webPushEncryptionSecret out");
    }
  }
  std::optional<std::string> odata_type, change_type, url, lifecycle_url, resource, expiration, client_state,
      certificate, certificate_id, tls_version, query_options, url_app_id, content_type;
  std::optional<bool> include;
  AIH_RETURN_IF_ERROR(fields->Get("@odata.type", &odata_type));
  AIH_RETURN_IF_ERROR(fields->Get("changeType", &change_type));
  AIH_RETURN_IF_ERROR(fields->Get("notificationUrl", &url));
  AIH_RETURN_IF_ERROR(fields->Get("lifecycleNotificationUrl", &lifecycle_url));
  AIH_RETURN_IF_ERROR(fields->Get("resource", &resource));
  AIH_RETURN_IF_ERROR(fields->Get("expirationDateTime", &expiration));
  AIH_RETURN_IF_ERROR(fields->Get("clientState", &client_state));
  AIH_RETURN_IF_ERROR(fields->Get("includeResourceData", &include));
  AIH_RETURN_IF_ERROR(fields->Get("encryptionCertificate", &certificate));
  AIH_RETURN_IF_ERROR(fields->Get("encryptionCertificateId", &certificate_id));
  AIH_RETURN_IF_ERROR(fields->Get("latestSupportedTlsVersion", &tls_version));
  AIH_RETURN_IF_ERROR(fields->Get("notificationQueryOptions", &query_options));
  AIH_RETURN_IF_ERROR(fields->Get("notificationUrlAppId", &url_app_id));
  AIH_RETURN_IF_ERROR(fields->Get("notificationContentType", &content_type));

  // Members Graph's clients may send that change nothing here; anything else they could mean is refused.
  if (odata_type && *odata_type != "#microsoft.graph.subscription") {
    return Status::BadRequest("\"@odata.type\" must be \"#microsoft.graph.subscription\"");
  }
  if (tls_version && *tls_version != "v1_0" && *tls_version != "v1_1" && *tls_version != "v1_2" &&
      *tls_version != "v1_3") {
    return Status::BadRequest("\"latestSupportedTlsVersion\" must be v1_0, v1_1, v1_2 or v1_3");
  }
  if (query_options) {
    return Status::BadRequest("\"notificationQueryOptions\" is not supported: put a $filter in \"resource\" instead");
  }
  if (url_app_id && (url_app_id->size() > 128 || !IsUtf8(*url_app_id))) {
    return Status::BadRequest("\"notificationUrlAppId\" must be an application id of at most 128 characters");
  }
  if (content_type && *content_type != "application/json") {
    return Status::BadRequest("\"notificationContentType\" must be application/json (or left out)");
  }

  SubscriptionRequest out;
  out.latest_supported_tls_version = tls_version.value_or("v1_2");
  out.notification_url_app_id = url_app_id.value_or("");
  out.resource = resource.value_or("");
  auto target = ParseSubscriptionResource(out.resource);
  if (!target.ok()) return target.status();
  out.target = std::move(*target);

  if (!change_type) {
    return Status::BadRequest("\"changeType\" is required: one or more of created, updated, deleted, e.g. \"created,updated\"");
  }
  auto bits = ParseChangeTypes(*change_type);
  if (!bits.ok()) return bits.status();
  out.change_types = *bits;

  out.notification_url = url.value_or("");
  const ReceiverPolicy& receivers = options.webhooks.receivers;
  AIH_RETURN_IF_ERROR(receivers.CheckUrl(out.notification_url, "notificationUrl"));
  if (lifecycle_url) {
    AIH_RETURN_IF_ERROR(receivers.CheckUrl(*lifecycle_url, "lifecycleNotificationUrl"));
    out.lifecycle_notification_url = *lifecycle_url;
  }

  out.client_state = client_state.value_or("");
  if (out.client_state.size() > 128) {
    return Status::BadRequest("\"clientState\" is longer than 128 characters");
  }
  if (!IsUtf8(out.client_state)) return Status::BadRequest("\"clientState\" is not valid UTF-8");

  auto expires = ParseExpiration(expiration);
  if (!expires.ok()) return expires.status();
  auto effective = EffectiveExpiration(*expires, !out.lifecycle_notification_url.empty(), options, now_ms);
  if (!effective.ok()) return effective.status();
  out.expiration_ms = *effective;

  out.include_resource_data = include.value_or(false);
  if (out.include_resource_data) {
    if (!certificate || certificate->empty()) {
      return Status::BadRequest("\"includeResourceData\": true needs \"encryptionCertificate\": the base64 DER X.509 "
                                "certificate (RSA 2048 to 4096 bits) whose public key encrypts the resource data");
    }
    if (!certificate_id || certificate_id->empty()) {
      return Status::BadRequest("\"includeResourceData\": true needs \"encryptionCertificateId\": your name for the "
                                "certificate, sent back with each notification so you know which key decrypts it");
    }
    if (certificate_id->size() > 128 || !IsUtf8(*certificate_id)) {
      return Status::BadRequest("\"encryptionCertificateId\" must be UTF-8 text of at most 128 characters");
    }
    AIH_RETURN_IF_ERROR(EncryptionCertificate::Parse(*certificate).status());
    out.encryption_certificate = *certificate;
    out.encryption_certificate_id = *certificate_id;
  } else if (certificate || certificate_id) {
    return Status::BadRequest("\"encryptionCertificate\" and \"encryptionCertificateId\" are for rich notifications: "
                              "set \"includeResourceData\": true, or leave them out");
  }
  return out;
}

Result<int64_t> ParseRenewal(std::string_view body, bool has_lifecycle_url, const NotificationOptions& options,
                             int64_t now_ms) {
  if (body.empty()) return Status::BadRequest("the request needs a JSON body with the new \"expirationDateTime\"");
  auto fields = directory::JsonFields::Parse(body);
  if (!fields.ok()) return fields.status();
  Status only = fields->OnlyMembers({"@odata.type", "expirationDateTime"});
  if (!only.ok()) {
    return Status::BadRequest(only.message() + "; a subscription is renewed with {\"expirationDateTime\": ...} and "
                              "nothing else changes (delete it and subscribe again to change more)");
  }
  std::optional<std::string> expiration;
  AIH_RETURN_IF_ERROR(fields->Get("expirationDateTime", &expiration));
  auto expires = ParseExpiration(expiration);
  if (!expires.ok()) return expires.status();
  return EffectiveExpiration(*expires, has_lifecycle_url, options, now_ms);
}

}  // namespace aih::notify
