// Change notifications end to end (section 7): the real server, real receivers on loopback (a C++ one
// that can misbehave, and a Node one that decrypts with Node's own crypto), real kills and restarts.
// Waits poll with generous deadlines; nothing here asserts how fast anything is.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "integration_fixture.h"
#include "model/interaction_reader.h"
#include "model/timestamp.h"
#include "support/webhook_receiver.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

std::string In(std::chrono::minutes m) {
  auto at = std::chrono::system_clock::now() + m;
  return model::Timestamp::FromUnixMillis(
             std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count())
      .ToString();
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// A command's standard output, or "" when it fails.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return pclose(p) == 0 ? out : "";
}

// The Node receiver of tests/notify/receiver.mjs, one JSON line per notification in its out file.
class NodeReceiver {
 public:
  NodeReceiver(const std::string& dir, const std::string& key_file, const std::string& jwks, const std::string& app) {
    out_ = dir + "/node-received.ndjson";
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      const std::string script = std::string(AIH_SOURCE_DIR) + "/tests/notify/receiver.mjs";
      execlp("node", "node", script.c_str(), "--key", key_file.c_str(), "--jwks", jwks.c_str(), "--app", app.c_str(),
             "--out", out_.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline && line.find('\n') == std::string::npos) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 200) > 0) {
        char buf[256];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<size_t>(n));
      }
    }
    close(fds[0]);
    auto at = line.find("listening on ");
    if (at != std::string::npos) port_ = std::stoi(line.substr(at + 13));
  }
  ~NodeReceiver() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string Url(const std::string& path = "/notify") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<std::string> Lines() const {
    std::ifstream in(out_);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) lines.push_back(l);
    }
    return lines;
  }

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string out_;
};

class NotificationsTest : public ServerTest {
 protected:
  HttpResult Subscribe(const std::string& body, const std::string& token = "") {
    return client_->Send("POST", "/v1.0/subscriptions",
                         {{"Authorization", "Bearer " + (token.empty() ? exporter_token_ : token)},
                          {"Content-Type", "application/json"}},
                         body);
  }
  HttpResult Call(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::string& token = "") {
    return client_->Send(method, target,
                         {{"Authorization", "Bearer " + (token.empty() ? exporter_token_ : token)},
                          {"Content-Type", "application/json"}},
                         body);
  }
  HttpResult Admin(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  std::string TenantWide(const std::string& url, const std::string& types = "created,updated,deleted",
                         const std::string& extra = "", const std::string& resource = "") {
    return "{\"changeType\":" + Quote(types) + ",\"notificationUrl\":" + Quote(url) + ",\"resource\":" +
           Quote(resource.empty() ? "/copilot/interactionHistory/getAllEnterpriseInteractions" : resource) +
           ",\"expirationDateTime\":" + Quote(In(50min)) + ",\"clientState\":\"secret-state\"" + extra + "}";
  }
  std::string PerUser(const std::string& user, const std::string& url, const std::string& filter = "") {
    std::string resource = "/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions";
    if (!filter.empty()) resource += "?$filter=" + filter;
    return TenantWide(url, "created,updated,deleted", "", resource);
  }
  // A new application with `roles` consented in the demo tenant; returns its token.
  std::string AppWith(const std::vector<std::string>& roles, std::string* client_id = nullptr) {
    auto app = Admin("POST", "/admin/applications",
                     "{\"displayName\":\"subscriber\",\"homeTenantId\":" + Quote(demo_.tenant_id) + "}");
    EXPECT_EQ(app.status, 201) << app.body;
    const std::string id = JsonValue(app.body, "clientId");
    if (!roles.empty()) {
      std::string list;
      for (const auto& r : roles) list += (list.empty() ? "" : ",") + Quote(r);
      auto consent = Admin("POST", "/admin/tenants/" + demo_.tenant_id + "/consents",
                           "{\"clientId\":" + Quote(id) + ",\"roles\":[" + list + "]}");
      EXPECT_EQ(consent.status, 200) << consent.body;
    }
    if (client_id) *client_id = id;
    return FetchToken(*client_, demo_.tenant_id, id, JsonValue(app.body, "clientSecret.secretText"));
  }
  // Writes one item of the demo's licensed user; returns its id.
  void WriteItem(const std::string& id, const std::string& type = "userPrompt", const std::string& content = "") {
    std::string item = Item(id);
    if (type != "userPrompt") item.replace(item.find("userPrompt"), 10, type);
    if (!content.empty()) item.replace(item.find("prompt " + id), 7 + id.size(), content);
    auto w = Write(item);
    ASSERT_EQ(w.status, 200) << w.body;
  }
  static std::vector<std::string> Seen(const WebhookReceiver& r) {
    std::vector<std::string> out;
    for (const auto& n : r.Received()) {
      out.push_back(n.lifecycle_event.empty() ? n.change_type + ":" + n.resource_id : n.lifecycle_event);
    }
    return out;
  }
};

TEST_P(NotificationsTest, HandshakeThenCreateGetListRenewDelete) {
  WebhookReceiver receiver;
  auto created = Subscribe(TenantWide(receiver.Url(), "created", ",\"lifecycleNotificationUrl\":" +
                                                                     Quote(receiver.Url("/lifecycle"))));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(receiver.handshakes(), 2);  // both URLs proved they want the notifications
  const std::string id = JsonValue(created.body, "id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(JsonValue(created.body, "changeType"), "created");
  EXPECT_EQ(JsonValue(created.body, "applicationId"), demo_.exporter_id);
  EXPECT_EQ(JsonValue(created.body, "clientState"), "secret-state");
  EXPECT_EQ(JsonValue(created.body, "includeResourceData"), "false");
  EXPECT_NE(JsonValue(created.body, "@odata.context").find("$metadata#subscriptions/$entity"), std::string::npos);
  EXPECT_NE(created.headers["location"].find("/v1.0/subscriptions/" + id), std::string::npos);

  auto got = Call("GET", "/v1.0/subscriptions/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(JsonValue(got.body, "notificationUrl"), receiver.Url());
  auto list = Call("GET", "/beta/subscriptions");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(JsonLength(list.body, "value"), 1u);

  const std::string later = In(3000min);
  auto renewed = Call("PATCH", "/v1.0/subscriptions/" + id, "{\"expirationDateTime\":" + Quote(later) + "}");
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  EXPECT_EQ(JsonValue(renewed.body, "expirationDateTime").substr(0, 16), later.substr(0, 16));
  auto too_far = Call("PATCH", "/v1.0/subscriptions/" + id, "{\"expirationDateTime\":" + Quote(In(5000min)) + "}");
  EXPECT_EQ(too_far.status, 400);
  EXPECT_NE(JsonValue(too_far.body, "error.message").find("4320 minutes"), std::string::npos);

  // Another application sees nothing of it.
  std::string other_token = AppWith({"AiEnterpriseInteraction.Read.All"});
  EXPECT_EQ(Call("GET", "/v1.0/subscriptions/" + id, "", other_token).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1.0/subscriptions/" + id, "", other_token).status, 404);
  EXPECT_EQ(JsonLength(Call("GET", "/v1.0/subscriptions", "", other_token).body, "value"), 0u);

  EXPECT_EQ(Call("DELETE", "/v1.0/subscriptions/" + id).status, 204);
  auto gone = Call("GET", "/v1.0/subscriptions/" + id);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(JsonValue(gone.body, "error.code"), "ResourceNotFound");
}

TEST_P(NotificationsTest, AReceiverThatFailsTheHandshakeGetsNoSubscription) {
  // Every failure gets the same message, whatever the receiver did (so that the server cannot be used
  // to tell a closed port from a silent one, or learn what a host answers); the reason is in the
  // server's log under the request id.
  std::vector<std::string> messages;
  auto refused = [&](const HttpResult& r, const std::string& url, const std::string& field, const std::string& reason) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(JsonValue(r.body, "error.code"), "BadRequest");
    std::string message = JsonValue(r.body, "error.message");
    EXPECT_NE(message.find("validation"), std::string::npos) << message;
    EXPECT_NE(message.find(field + " " + url), std::string::npos) << message;
    EXPECT_EQ(message.find(reason), std::string::npos) << message;
    const std::string request_id = r.headers.count("request-id") ? r.headers.at("request-id") : "<none>";
    EXPECT_NE(message.find("request-id " + request_id), std::string::npos) << message;
    message.replace(message.find(url), url.size(), "<url>");
    message.replace(message.find(request_id), request_id.size(), "<id>");
    message.replace(message.find(field), field.size(), "<field>");
    messages.push_back(message);
    // The log line was written before the answer, but reaches the test's reader of it a little later.
    std::string log;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while ((log = server_->Log()).find("\"request_id\":\"" + request_id + "\"") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    const size_t at = log.find("\"request_id\":\"" + request_id + "\"");
    ASSERT_NE(at, std::string::npos) << log;
    EXPECT_NE(log.find(reason, at), std::string::npos) << log.substr(at);
  };

  WebhookReceiver wrong;
  wrong.SetBehaviour(WebhookReceiver::Behaviour::kWrongEcho);
  refused(Subscribe(TenantWide(wrong.Url())), wrong.Url(), "notificationUrl", "not the validation token");

  WebhookReceiver fine, lifecycle;
  lifecycle.SetBehaviour(WebhookReceiver::Behaviour::kFail);
  refused(Subscribe(TenantWide(fine.Url(), "created", ",\"lifecycleNotificationUrl\":" + Quote(lifecycle.Url()))),
          lifecycle.Url(), "lifecycleNotificationUrl", "HTTP 503");

  WebhookReceiver down;
  down.GoDown();
  refused(Subscribe(TenantWide(down.Url())), down.Url(), "notificationUrl", "cannot connect");

  // One that answers only after the 10 seconds the handshake allows.
  WebhookReceiver slow;
  slow.SetBehaviour(WebhookReceiver::Behaviour::kSlow, 11s);
  refused(Subscribe(TenantWide(slow.Url())), slow.Url(), "notificationUrl", "did not answer within");

  ASSERT_EQ(messages.size(), 4u);
  for (const auto& m : messages) EXPECT_EQ(m, messages.front());
  EXPECT_EQ(JsonLength(Call("GET", "/v1.0/subscriptions").body, "value"), 0u);  // nothing was stored
}

TEST_P(NotificationsTest, CreatedUpdatedAndDeletedAreNotified) {
  WebhookReceiver receiver;
  auto s = Subscribe(TenantWide(receiver.Url()));
  ASSERT_EQ(s.status, 201) << s.body;
  const std::string sub = JsonValue(s.body, "id");

  WriteItem("n1");
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));
  WriteItem("n1", "userPrompt", "edited");  // the same id, changed: an update
  WriteItem("n1", "userPrompt", "edited");  // unchanged: nothing to tell
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 2; }));
  WriteItem("n2");
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 3; }));
  // Deletion through the admin API: one interaction, then the rest of the user's history.
  auto one = Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/users/" + demo_.licensed_user + "/interactions/n1");
  ASSERT_EQ(one.status, 200) << one.body;
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 4; }));
  auto all = Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/users/" + demo_.licensed_user + "/interactions");
  ASSERT_EQ(all.status, 200) << all.body;
  const size_t purged = std::stoul(JsonValue(all.body, "deleted"));
  ASSERT_GE(purged, 1u);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 4 + purged; }));

  auto seen = Seen(receiver);
  ASSERT_GE(seen.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(seen.begin(), seen.begin() + 4),
            (std::vector<std::string>{"created:n1", "updated:n1", "created:n2", "deleted:n1"}));
  std::set<std::string> deleted_later(seen.begin() + 4, seen.end());
  EXPECT_TRUE(deleted_later.count("deleted:n2"));
  for (const auto& n : receiver.Received()) {
    EXPECT_EQ(n.subscription_id, sub);
    EXPECT_EQ(n.client_state, "secret-state");
    EXPECT_EQ(n.user_id, demo_.licensed_user);
    EXPECT_FALSE(n.encrypted);
  }
}

TEST_P(NotificationsTest, FiltersAndChangeTypesChooseWhatIsTold) {
  WebhookReceiver responses, everything;
  ASSERT_EQ(Subscribe(PerUser(demo_.licensed_user, responses.Url(), "interactionType%20eq%20'aiResponse'")).status, 201);
  std::string token = AppWith({"AiEnterpriseInteraction.Read.All"});
  ASSERT_EQ(Subscribe(TenantWide(everything.Url(), "created"), token).status, 201);
  WriteItem("f1", "userPrompt");
  WriteItem("f2", "aiResponse");
  WriteItem("f3", "userPrompt");
  WriteItem("f4", "aiResponse");
  ASSERT_TRUE(everything.WaitFor([&] { return everything.count() >= 4; }));
  ASSERT_TRUE(responses.WaitFor([&] { return responses.count() >= 2; }));
  WriteItem("f5", "aiResponse");  // a marker: once it arrives, nothing earlier is still on its way
  ASSERT_TRUE(responses.WaitFor([&] { return responses.count() >= 3; }));
  EXPECT_EQ(Seen(responses), (std::vector<std::string>{"created:f2", "created:f4", "created:f5"}));
  // The tenant-wide one asked for created only: an update is not told.
  WriteItem("f1", "userPrompt", "changed");
  WriteItem("f6");
  ASSERT_TRUE(everything.WaitFor([&] { return everything.count() >= 6; }));
  auto seen = Seen(everything);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "updated:f1"), 0);
  EXPECT_EQ(seen.back(), "created:f6");
}

TEST_P(NotificationsTest, RichNotificationsAreDecryptedByNodesOwnCrypto) {
  const std::string dir = MakeTempDir("aih-rich");
  ASSERT_FALSE(Shell("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + dir + "/key.pem -out " + dir +
                   "/cert.pem -days 2 -subj /CN=receiver 2>/dev/null && echo ok")
                   .empty());
  std::string der = Shell("openssl x509 -in " + dir + "/cert.pem -outform DER | base64 -w0");
  ASSERT_FALSE(der.empty());
  std::string thumbprint = Shell("openssl x509 -in " + dir + "/cert.pem -noout -fingerprint -sha1");
  thumbprint = thumbprint.substr(thumbprint.find('=') + 1);
  thumbprint.erase(std::remove(thumbprint.begin(), thumbprint.end(), ':'), thumbprint.end());
  thumbprint.erase(std::remove(thumbprint.begin(), thumbprint.end(), '\n'), thumbprint.end());

  const std::string jwks = "http://127.0.0.1:" + std::to_string(server_->port()) + "/" + demo_.tenant_id +
                           "/discovery/v2.0/keys";
  NodeReceiver node(dir, dir + "/key.pem", jwks, demo_.exporter_id);
  ASSERT_GT(node.port(), 0) << "node did not start the receiver";
  auto s = Subscribe(TenantWide(node.Url(), "created,updated,deleted",
                                ",\"includeResourceData\":true,\"encryptionCertificate\":" + Quote(der) +
                                    ",\"encryptionCertificateId\":\"receiver-cert-1\""));
  ASSERT_EQ(s.status, 201) << s.body;
  EXPECT_EQ(JsonValue(s.body, "includeResourceData"), "true");

  WriteItem("rich-1", "aiResponse", "Here is your summary: \\u00e9t\\u00e9 \\\"quoted\\\"");
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (node.Lines().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  auto lines = node.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::string& line = lines[0];
  ASSERT_EQ(JsonValue(line, "error"), "<missing>") << line;
  EXPECT_EQ(JsonValue(line, "changeType"), "created");
  EXPECT_EQ(JsonValue(line, "resourceId"), "rich-1");
  EXPECT_EQ(JsonValue(line, "signatureValid"), "true") << line;
  EXPECT_EQ(JsonValue(line, "tokens"), "1");
  EXPECT_EQ(JsonValue(line, "tokenProblems"), "[]") << line;
  EXPECT_EQ(JsonValue(line, "certificateId"), "receiver-cert-1");
  EXPECT_EQ(JsonValue(line, "thumbprint"), thumbprint);

  // What Node decrypted is the interaction exactly as written, and as export returns it.
  auto decrypted = model::ReadStoredItem(JsonValue(line, "decrypted"));
  ASSERT_TRUE(decrypted.ok()) << decrypted.status().message() << "\n" << line;
  EXPECT_EQ(decrypted->interaction.body->content.value_or(""), "Here is your summary: \u00e9t\u00e9 \"quoted\"");
  EXPECT_EQ(decrypted->interaction.app_class, demo_.first_party_app_class);
  auto exported = Export("?$filter=id%20eq%20'rich-1'");
  ASSERT_EQ(exported.status, 200);
  std::string stored_json = JsonValue(exported.body, "value.0");
  auto stored = model::ReadStoredItem(stored_json);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(decrypted->interaction, stored->interaction);

  // A deletion tells the id, with nothing left to decrypt.
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/users/" + demo_.licensed_user +
                                "/interactions/rich-1").status,
            200);
  deadline = std::chrono::steady_clock::now() + 60s;
  while (node.Lines().size() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(node.Lines().size(), 2u);
  EXPECT_EQ(JsonValue(node.Lines()[1], "changeType"), "deleted");
  EXPECT_EQ(JsonValue(node.Lines()[1], "decrypted"), "<null>");
}

TEST_P(NotificationsTest, AReceiverThatIsDownForAWhileLosesNothing) {
  WebhookReceiver receiver;
  ASSERT_EQ(Subscribe(TenantWide(receiver.Url(), "created")).status, 201);
  receiver.GoDown();
  std::set<std::string> written;
  for (int i = 0; i < 20; ++i) {
    WriteItem("down-" + std::to_string(i));
    written.insert("down-" + std::to_string(i));
  }
  std::this_thread::sleep_for(3s);  // a few failed attempts
  receiver.ComeBack();
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 20; }, 120s)) << receiver.count();
  std::set<std::string> got;
  for (const auto& n : receiver.Received()) got.insert(n.resource_id);
  EXPECT_EQ(got, written);
}

TEST_P(NotificationsTest, AReceiverThatTimesOutIsRetriedUnderTheSameId) {
  WebhookReceiver receiver;
  ASSERT_EQ(Subscribe(TenantWide(receiver.Url(), "created")).status, 201);
  receiver.SetBehaviour(WebhookReceiver::Behaviour::kSlow, 4s, /*handshakes_too=*/false);  // over the 3 s allowed
  WriteItem("slow-1");
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.attempts() >= 2; }, 120s));  // timed out, then retried
  receiver.SetBehaviour(WebhookReceiver::Behaviour::kNormal);
  const size_t before = receiver.count();
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() > before; }, 120s));
  std::set<std::string> ids;
  for (const auto& n : receiver.Received()) {
    EXPECT_EQ(n.resource_id, "slow-1");
    ids.insert(n.id);
  }
  EXPECT_EQ(ids.size(), 1u);  // every copy has the one id a receiver dedupes by
}

TEST_P(NotificationsTest, ChangesCommittedBeforeAKillAreDeliveredAfterTheRestart) {
  WebhookReceiver receiver;
  ASSERT_EQ(Subscribe(TenantWide(receiver.Url(), "created")).status, 201);
  receiver.GoDown();  // so nothing can be delivered before the crash
  std::set<std::string> written;
  for (int i = 0; i < 10; ++i) {
    WriteItem("crash-" + std::to_string(i));  // acknowledged: committed
    written.insert("crash-" + std::to_string(i));
  }
  server_->Kill9();
  receiver.ComeBack();
  StartServer();
  // Every committed change arrives (delivery is at least once: a change may come twice, so the wait is
  // for every item, not for a count that repeats could reach while one is still missing).
  std::set<std::string> got;
  const bool all = receiver.WaitFor(
      [&] {
        got.clear();
        for (const auto& n : receiver.Received()) got.insert(n.resource_id);
        return got == written;
      },
      120s);
  EXPECT_TRUE(all) << receiver.count() << " notifications received";
  EXPECT_EQ(got, written);
}

TEST_P(NotificationsTest, PermissionAndQuotaErrors) {
  WebhookReceiver receiver;
  ASSERT_EQ(Subscribe(TenantWide(receiver.Url())).status, 201);
  auto second = Subscribe(TenantWide(receiver.Url()));
  EXPECT_EQ(second.status, 403);
  EXPECT_EQ(JsonValue(second.body, "error.code"), "Forbidden");
  EXPECT_NE(JsonValue(second.body, "error.message").find("tenant-wide subscription(s) per application per tenant"),
            std::string::npos);

  // The writer app holds Write.All only.
  auto writer = Subscribe(TenantWide(receiver.Url()), writer_token_);
  EXPECT_EQ(writer.status, 403);
  EXPECT_NE(JsonValue(writer.body, "error.message").find("AiEnterpriseInteraction.Read.All"), std::string::npos);

  // Read.User, granted for particular users: one user at a time, never the whole tenant.
  std::string client;
  std::string per_user = AppWith({}, &client);
  for (const std::string& user : {demo_.licensed_user, demo_.unlicensed_user}) {
    ASSERT_EQ(Admin("PUT", "/admin/tenants/" + demo_.tenant_id + "/users/" + user + "/access/" + client).status, 204);
  }
  EXPECT_EQ(Subscribe(TenantWide(receiver.Url()), per_user).status, 403);
  ASSERT_EQ(Subscribe(PerUser(demo_.licensed_user, receiver.Url()), per_user).status, 201);
  auto again = Subscribe(PerUser(demo_.licensed_upn, receiver.Url()), per_user);  // the same user, by UPN
  EXPECT_EQ(again.status, 403);
  EXPECT_NE(JsonValue(again.body, "error.message").find("per application per user"), std::string::npos);
  auto unlicensed = Subscribe(PerUser(demo_.unlicensed_user, receiver.Url()), per_user);
  EXPECT_EQ(unlicensed.status, 403);
  EXPECT_NE(JsonValue(unlicensed.body, "error.message").find("license"), std::string::npos);
  // A user it is not granted for, existing or not, is refused alike; with Read.All, a missing user is Graph's 404.
  EXPECT_EQ(Subscribe(PerUser("00000000-0000-4000-8000-00000000dead", receiver.Url()), per_user).status, 403);
  EXPECT_EQ(Subscribe(PerUser("00000000-0000-4000-8000-00000000dead", receiver.Url())).status, 404);

  // An app without any consent.
  EXPECT_EQ(Subscribe(TenantWide(receiver.Url()), AppWith({})).status, 403);
  // Bad requests are 400 whatever the permission.
  auto bad = Subscribe(TenantWide(receiver.Url(), "created,moved"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(JsonValue(bad.body, "error.message").find("changeType"), std::string::npos);
  auto no_lifecycle = Subscribe("{\"changeType\":\"created\",\"notificationUrl\":" + Quote(receiver.Url()) +
                                ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                                "\"expirationDateTime\":" + Quote(In(120min)) + "}");
  EXPECT_EQ(no_lifecycle.status, 400);
  EXPECT_NE(JsonValue(no_lifecycle.body, "error.message").find("lifecycleNotificationUrl"), std::string::npos);
  EXPECT_EQ(client_->Send("POST", "/v1.0/subscriptions", {{"Content-Type", "application/json"}}, "{}").status, 401);
}

TEST_P(NotificationsTest, LifecycleReauthorizationRemovalAndExpiry) {
  // Lifetimes shorter than Graph's 45-minute minimum, which would otherwise raise them.
  StartServer({"--subscription-min-lifetime", "0"});
  WebhookReceiver receiver;
  std::string client;
  std::string token = AppWith({"AiEnterpriseInteraction.Read.All"}, &client);
  // Expiring within the reauthorization window: told at once.
  auto s = Subscribe("{\"changeType\":\"created\",\"notificationUrl\":" + Quote(receiver.Url()) +
                         ",\"lifecycleNotificationUrl\":" + Quote(receiver.Url("/lifecycle")) +
                         ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                         "\"expirationDateTime\":" + Quote(In(5min)) + "}",
                     token);
  ASSERT_EQ(s.status, 201) << s.body;
  const std::string id = JsonValue(s.body, "id");
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));
  EXPECT_EQ(Seen(receiver), (std::vector<std::string>{"reauthorizationRequired"}));
  EXPECT_EQ(receiver.Received()[0].path, "/lifecycle");
  EXPECT_EQ(receiver.Received()[0].subscription_id, id);
  EXPECT_EQ(Call("POST", "/v1.0/subscriptions/" + id + "/reauthorize", "", token).status, 204);
  auto renewed = Call("PATCH", "/v1.0/subscriptions/" + id, "{\"expirationDateTime\":" + Quote(In(2000min)) + "}", token);
  EXPECT_EQ(renewed.status, 200) << renewed.body;

  // The administrator revokes the consent: the subscription is removed, and the app told.
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/consents/" + client).status, 204);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 2; }));
  EXPECT_EQ(Seen(receiver).back(), "subscriptionRemoved");
  EXPECT_EQ(Call("POST", "/v1.0/subscriptions/" + id + "/reauthorize", "", token).status, 404);

  // An expired subscription stops and is removed.
  WebhookReceiver quiet;
  auto brief = Subscribe("{\"changeType\":\"created\",\"notificationUrl\":" + Quote(quiet.Url()) +
                         ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                         "\"expirationDateTime\":" +
                         Quote(model::Timestamp::FromUnixMillis(
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       (std::chrono::system_clock::now() + 12s).time_since_epoch())
                                       .count())
                                   .ToString()) +
                         "}");
  ASSERT_EQ(brief.status, 201) << brief.body;
  const std::string brief_id = JsonValue(brief.body, "id");
  ASSERT_TRUE(quiet.WaitFor([&] { return Call("GET", "/v1.0/subscriptions/" + brief_id).status == 404; }, 60s));
  WriteItem("after-expiry");
  // The tenant-wide subscription of the next test's kind proves the item was routed; this one is gone.
  WebhookReceiver witness;
  ASSERT_EQ(Subscribe(TenantWide(witness.Url(), "created")).status, 201);
  WriteItem("witness");
  ASSERT_TRUE(witness.WaitFor([&] { return witness.count() >= 1; }));
  EXPECT_EQ(quiet.count(), 0u);
}

TEST_P(NotificationsTest, SigtermStopsTheWorkerCleanly) {
  WebhookReceiver receiver;
  ASSERT_EQ(Subscribe(TenantWide(receiver.Url(), "created")).status, 201);
  WriteItem("term-1");
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));
  int status = server_->Terminate();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

INSTANTIATE_TEST_SUITE_P(Engines, NotificationsTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
