#include "notify/notification_json.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>

#include "base/guid.h"
#include "http/graph_error.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"

namespace aih::notify {
namespace {

using model::AppendJsonString;

void AppendTime(std::string& out, int64_t unix_ms) {
  out += '"';
  model::Timestamp::FromUnixMillis(unix_ms).AppendTo(out);
  out += '"';
}

void AppendNullableString(std::string& out, const std::string& text) {
  if (text.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, text);
  }
}

// The members every item of a notification shares: subscription, expiration, clientState, tenant.
void AppendSubscriptionMembers(std::string& out, const store::Subscription& s) {
  out += ",\"subscriptionId\":";
  AppendJsonString(out, s.id);
  out += ",\"subscriptionExpirationDateTime\":";
  AppendTime(out, s.expiration_ms);
  out += ",\"clientState\":";
  AppendNullableString(out, s.client_state);
  out += ",\"tenantId\":";
  AppendJsonString(out, s.tenant_id);
}

}  // namespace

const char* ToString(LifecycleEvent event) {
  switch (event) {
    case LifecycleEvent::kReauthorizationRequired: return "reauthorizationRequired";
    case LifecycleEvent::kSubscriptionRemoved: return "subscriptionRemoved";
    case LifecycleEvent::kMissed: return "missed";
  }
  return "missed";
}

std::string NotificationId(const std::string& subscription_id, int64_t seq) {
  // A name-based GUID (the shape of RFC 4122 version 5): stable, and opaque to the receiver.
  const std::string name = subscription_id + ":" + std::to_string(seq);
  // One per notification: OpenSSL 3's one-shot SHA1() looks the algorithm up on every call, which
  // cost more than the hash; the fetched algorithm and a context per thread are reused instead.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char d[EVP_MAX_MD_SIZE];
  static_assert(EVP_MAX_MD_SIZE >= 16);
  unsigned int size = 0;
  if (!sha1 || !ctx || EVP_DigestInit_ex2(ctx.get(), sha1, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), name.data(), name.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), d, &size) != 1 ||
      size != SHA_DIGEST_LENGTH) {
    SHA1(reinterpret_cast<const unsigned char*>(name.data()), name.size(), d);  // the same digest, slower
  }
  d[6] = static_cast<unsigned char>((d[6] & 0x0f) | 0x50);
  d[8] = static_cast<unsigned char>((d[8] & 0x3f) | 0x80);
  unsigned char guid[16];
  std::copy(d, d + 16, guid);
  return FormatGuid(guid);
}

std::string InteractionResource(const std::string& interaction_id) {
  std::string out = "copilot/interactionHistory/interactions('";
  for (char c : interaction_id) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "')";
}

std::string RenderChangeNotifications(const store::Subscription& s, const std::vector<RoutedChange>& changes,
                                      const EncryptionCertificate* certificate, const std::string& validation_token) {
  std::string out = "{\"value\":[";
  for (size_t i = 0; i < changes.size(); ++i) {
    const RoutedChange& c = changes[i];
    const std::string resource = InteractionResource(c.interaction_id);
    out += i ? ",{\"id\":" : "{\"id\":";
    AppendJsonString(out, NotificationId(s.id, c.seq));
    AppendSubscriptionMembers(out, s);
    out += ",\"changeType\":\"";
    out += store::ToString(c.type);
    out += "\",\"resource\":";
    AppendJsonString(out, resource);
    out += ",\"resourceData\":{\"id\":";
    AppendJsonString(out, c.interaction_id);
    out += ",\"@odata.type\":\"#Microsoft.Graph.aiInteraction\",\"@odata.id\":";
    AppendJsonString(out, resource);
    out += ",\"@aihistory.userId\":";
    AppendJsonString(out, c.user_id);
    out += '}';
    if (certificate && !c.resource_json.empty()) {
      EncryptedContent e = certificate->Encrypt(c.resource_json, s.encryption_certificate_id);
      out += ",\"encryptedContent\":{\"data\":";
      AppendJsonString(out, e.data);
      out += ",\"dataSignature\":";
      AppendJsonString(out, e.data_signature);
      out += ",\"dataKey\":";
      AppendJsonString(out, e.data_key);
      out += ",\"encryptionCertificateId\":";
      AppendJsonString(out, e.encryption_certificate_id);
      out += ",\"encryptionCertificateThumbprint\":";
      AppendJsonString(out, e.encryption_certificate_thumbprint);
      out += '}';
    }
    out += '}';
  }
  out += ']';
  if (!validation_token.empty()) {
    out += ",\"validationTokens\":[";
    AppendJsonString(out, validation_token);
    out += ']';
  }
  return out + "}";
}

std::string RenderLifecycleNotification(const store::Subscription& s, LifecycleEvent event, const std::string& id) {
  std::string out = "{\"value\":[{\"id\":";
  AppendJsonString(out, id);
  AppendSubscriptionMembers(out, s);
  out += ",\"lifecycleEvent\":\"";
  out += ToString(event);
  out += "\",\"resource\":";
  AppendJsonString(out, s.resource);
  return out + "}]}";
}

store::OutboxEntry LifecycleOutboxEntry(const store::Subscription& s, LifecycleEvent event, int64_t now_ms) {
  store::OutboxEntry e;
  e.tenant_id = s.tenant_id;
  e.subscription_id = s.id;
  e.kind = store::OutboxKind::kLifecycle;
  e.url = s.lifecycle_notification_url;
  e.payload = RenderLifecycleNotification(s, event, http::NewGuid());
  e.items = 1;
  e.enqueued_ms = now_ms;
  e.next_attempt_ms = now_ms;
  // One `missed` waiting says it all: however many batches are dropped, by however many servers, the
  // receiver catches up with the export API once.
  if (event == LifecycleEvent::kMissed) e.once_key = ToString(event);
  return e;
}

}  // namespace aih::notify
