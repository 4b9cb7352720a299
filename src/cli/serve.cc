// `aihistory serve`: the HTTP(S) service. Opens the store, builds the API (service.h) and listens
// until SIGINT/SIGTERM, then stops accepting, lets the requests in flight finish (up to
// --shutdown-grace), stops the notification worker and exits 0. Prints one line per listener,
// "aihistory: listening on <url>", which scripts and tests wait for (and "aihistory: metrics on <url>"
// for a --metrics-port listener). Everything else goes to the log (base/log.h): start, configuration,
// stop, one line per request; SIGHUP reopens a --log-file.
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "api/log_checkpoints.h"
#include "api/metrics_resource.h"
#include "api/service.h"
#include "auth/key_ring.h"
#include "auth/stored_key_repository.h"
#include "base/files.h"
#include "auth/token_authenticator.h"
#include "auth/token_issuer.h"
#include "base/background_thread.h"
#include "base/log.h"
#include "base/refusals.h"
#include "cli/commands.h"
#include "cli/input_file.h"
#include "http/graph_error.h"
#include "http/self_signed_certificate.h"
#include "http/server.h"
#include "notify/delivery_worker.h"
#include "notify/webhook_client.h"
#include "http/url_fetch.h"
#include "policy/retention_sweep.h"
#include "policy/directory_policy.h"
#include "store/store.h"
#include "store/store_location.h"

namespace aih::cli {
namespace {

// The certificate for HTTPS: the given files, or a self-signed one kept in the data directory so
// that clients configured to trust it keep working across restarts.
Status LoadTls(const ServeOptions& o, http::ServerOptions* server) {
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    auto cert = ReadInput(o.tls_cert_file);
    if (!cert.ok()) return cert.status().WithContext("--tls-cert");
    auto key = ReadInput(o.tls_key_file);
    if (!key.ok()) return key.status().WithContext("--tls-key");
    server->tls_cert_pem = *cert;
    server->tls_key_pem = *key;
    return Status::Ok();
  }
  const store::StoreLocation at = store::StoreLocation::Parse(o.store);
  if (at.postgres) return Status::BadRequest("with a PostgreSQL store, give --tls-cert and --tls-key for HTTPS");
  std::string dir = at.directory + "/tls";
  auto cert = ReadInput(dir + "/cert.pem");
  auto key = ReadInput(dir + "/key.pem");
  if (cert.ok() && key.ok()) {
    server->tls_cert_pem = *cert;
    server->tls_key_pem = *key;
    return Status::Ok();
  }
  auto made = http::MakeSelfSignedCertificate();
  if (!made.ok()) return made.status();
  std::error_code made_dir;
  std::filesystem::create_directories(dir, made_dir);  // any path: no shell ever sees it
  if (made_dir) return Status::Unavailable("cannot create " + dir + ": " + made_dir.message());
  // The private key is owner-only from its first byte on (base/files.h); the certificate is public.
  AIH_RETURN_IF_ERROR(WriteOwnerOnlyFile(dir + "/key.pem", made->private_key_pem));
  std::ofstream cert_out(dir + "/cert.pem");
  cert_out << made->certificate_pem;
  cert_out.close();
  if (!cert_out) return Status::Unavailable("cannot write " + dir + "/cert.pem");
  server->tls_cert_pem = made->certificate_pem;
  server->tls_key_pem = made->private_key_pem;
  std::cout << "aihistory: made a self-signed certificate for local use: " << dir << "/cert.pem" << std::endl;
  return Status::Ok();
}

// Raises the soft descriptor limit to the hard one (every connection is a descriptor) and returns
// how many connections may be open: --max-connections, at most what the descriptors allow once
// the store, notification deliveries and files have theirs.
size_t ConnectionLimit(const ServeOptions& o) {
  constexpr size_t kDefault = 10000, kReserved = 256;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  const size_t descriptors = limit.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(limit.rlim_cur);
  const size_t room = descriptors > 2 * kReserved ? descriptors - kReserved : descriptors / 2;
  if (o.max_connections == 0) return std::min(kDefault, room);
  if (o.max_connections > room) {
    log::Warn("max_connections_lowered").Int("max_connections", static_cast<int64_t>(o.max_connections))
        .Int("descriptor_limit", static_cast<int64_t>(descriptors)).Int("using", static_cast<int64_t>(room));
    return room;
  }
  return o.max_connections;
}

// Exit status 1 when starting may succeed later unchanged (the database unreachable or full, the port
// still held by a server shutting down): the package's unit restarts it. Exit status 2 when the
// configuration must change first (a bad option value, unreadable TLS files, a store that refuses
// us): the unit does not restart it (RestartPreventExitStatus=2), so a typo in the configuration
// shows once in the journal instead of a restart every few seconds.
int StartFailed(const Status& s) {
  std::cerr << "aihistory serve: " << s.message() << std::endl;
  const bool transient = s.code() == Code::kUnavailable || s.code() == Code::kStorageFull ||
                         s.code() == Code::kConflict;
  log::Error("start_failed").Str("error", s.message()).Bool("retrying_may_help", transient);
  return transient ? 1 : 2;
}

// The log's options from the command line (validated there).
Status ConfigureLog(const ServeOptions& o) {
  auto level = log::ParseLevel(o.log_level);
  if (!level.ok()) return level.status().WithContext("--log-level");
  log::Options options;
  options.level = *level;
  options.file = o.log_file;
  options.text = o.log_format == "text";
  Status configured = log::Configure(options);
  return configured.ok() ? configured : configured.WithContext("--log-file");
}

// The store's engine and place, for the log: a PostgreSQL URL may carry a password, so only its
// engine is named.
std::string StoreForLog(const std::string& store) {
  return store::StoreLocation::Parse(store).ForLog();
}

// Graph's resource, by URL and by application id: what Microsoft's clients request tokens for.
const std::vector<std::string> kGraphResources = {"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"};

// The stable base of our tokens' `iss` (token_issuer.h): --issuer, else --public-url, else the URL
// we listen on (a wildcard address named "localhost"), the HTTPS one when there is one: Microsoft's
// libraries (MSAL, Azure.Identity) accept only an https authority, and refuse a discovery document
// whose issuer has another scheme, host or port than that authority. Never the Host a client
// happened to call: every server of a deployment, and every client, must see one issuer. Several
// servers therefore share --issuer or --public-url.
std::string IssuerBase(const ServeOptions& o, const http::Server& server) {
  if (!o.issuer_base.empty()) return o.issuer_base;
  if (!o.public_url.empty()) return o.public_url;
  std::string host = o.address;
  if (host.empty() || host == "0.0.0.0" || host == "::") host = "localhost";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  if (server.https_port() > 0) return "https://" + host + ":" + std::to_string(server.https_port());
  return "http://" + host + ":" + std::to_string(server.http_port());
}

// The throttle of ServeOptions: the profile's limits, each overridden when given.
Result<api::ThrottleOptions> Throttling(const ServeOptions& o) {
  api::ThrottleOptions throttle;
  if (o.throttle_profile == "graph") {
    throttle = api::ThrottleOptions::Graph();
  } else if (o.throttle_profile != "default") {
    return Status::BadRequest("--throttle-profile is 'default' or 'graph', not '" + o.throttle_profile + "'");
  }
  if (o.throttle_rps >= 0) throttle.requests_per_second = o.throttle_rps;
  if (o.throttle_burst >= 0) throttle.burst = o.throttle_burst;
  AIH_RETURN_IF_ERROR(throttle.Validate());
  return throttle;
}

// The external issuers of --trust-issuer/--trust-jwks, paired in order.
Result<std::vector<auth::ExternalIssuer>> TrustedIssuers(const ServeOptions& o) {
  if (o.trust_issuers.size() != o.trust_jwks.size()) {
    return Status::BadRequest("give one --trust-jwks (a file, or an http(s) URL) for each --trust-issuer, in the "
                              "same order");
  }
  std::vector<auth::ExternalIssuer> issuers;
  for (size_t i = 0; i < o.trust_issuers.size(); ++i) {
    auth::ExternalIssuer issuer;
    issuer.issuers = {o.trust_issuers[i]};
    const std::string& jwks = o.trust_jwks[i];
    (jwks.rfind("http://", 0) == 0 || jwks.rfind("https://", 0) == 0 ? issuer.jwks_url : issuer.jwks_file) = jwks;
    issuers.push_back(std::move(issuer));
  }
  return issuers;
}

// How change-notification receivers' certificates are checked (--webhook-ca-file,
// --webhook-verify-tls), and which receivers may be called at all (--webhook-allow-network,
// --webhook-allow-http): refused at startup when the CA file or a range does not read, rather than at
// the first delivery.
Result<notify::WebhookClientOptions> WebhookTls(const ServeOptions& o) {
  notify::WebhookClientOptions webhooks;
  webhooks.ca_file = o.webhook_ca_file;
  webhooks.verify_tls = o.webhook_verify_tls;
  if (!webhooks.verify_tls && !webhooks.ca_file.empty()) {
    return Status::BadRequest("--webhook-ca-file has no effect with --webhook-verify-tls=false; give one or the other");
  }
  for (const std::string& cidr : o.webhook_allow_networks) {
    auto network = notify::IpNetwork::Parse(cidr);
    if (!network.ok()) return network.status().WithContext("--webhook-allow-network");
    webhooks.receivers.allowed_networks.push_back(*network);
  }
  webhooks.receivers.allow_http = o.webhook_allow_http;
  Status usable = notify::CheckWebhookClientOptions(webhooks);
  if (!usable.ok()) return usable.WithContext("--webhook-ca-file");
  if (!webhooks.verify_tls) {
    log::Warn("webhook_tls_unchecked")
        .Str("detail", "--webhook-verify-tls=false: change notifications go to any HTTPS receiver without checking "
                       "its certificate; use it for local tests only");
  }
  return webhooks;
}

// Calls KeyRing::Refresh every refresh interval until destroyed: it picks up the rotations of other
// servers (and of `aihistory admin signing-keys rotate`), rotates when the newest key is old enough,
// and deletes retired keys.
class KeyRefresher {
 public:
  KeyRefresher(auth::KeyRing& ring, int64_t interval_seconds) : ring_(ring), interval_(interval_seconds) {
    thread_ = std::thread([this] { Run(); });
  }
  ~KeyRefresher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(interval_), [this] { return stop_; })) {
      lock.unlock();
      Status refreshed = ring_.Refresh(time(nullptr));
      if (!refreshed.ok()) log::Error("signing_keys_refresh_failed").Str("error", refreshed.message());
      lock.lock();
    }
  }

  auth::KeyRing& ring_;
  const int64_t interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Publishes a signed checkpoint of every tenant's log every interval until destroyed (the
// verifiable log: api/log_checkpoints.h); a log that did not grow keeps its checkpoint.
class CheckpointPublisher {
 public:
  CheckpointPublisher(store::Store& store, int64_t interval_seconds)
      : checkpoints_(store, clock_), interval_(interval_seconds) {
    if (interval_ > 0) thread_ = std::thread([this] { Run(); });
  }
  ~CheckpointPublisher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    RunInBackground();
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(interval_), [this] { return stop_; })) {
      lock.unlock();
      Status published = checkpoints_.PublishAll();
      if (!published.ok()) log::Error("checkpoint_publish_failed").Str("error", published.message());
      lock.lock();
    }
  }

  SystemClock clock_;
  api::LogCheckpoints checkpoints_;
  const int64_t interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

Status CheckServeOptions(const ServeOptions& o) {
  AIH_RETURN_IF_ERROR(Throttling(o).status());
  AIH_RETURN_IF_ERROR(TrustedIssuers(o).status());
  AIH_RETURN_IF_ERROR(WebhookTls(o).status());
  return api::ParseGraphProfile(o.graph_profile).status().WithContext("--graph-profile");
}

int RunServe(const ServeOptions& o) {
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // not a stop: reopens the log file
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Export pages are built in parts of a few hundred KB that live for one write: with glibc's
  // defaults each is a fresh mmap (or a trimmed heap top) whose pages fault in again every time.
  // Keep them on the heap and keep some free heap around; a few arenas bound what is kept.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
  mallopt(M_ARENA_MAX, 4);

  Status logging = ConfigureLog(o);
  if (!logging.ok()) return StartFailed(logging);
  log::Info("start").Str("store", StoreForLog(o.store)).Int("pid", getpid());
  if (o.log_configuration) o.log_configuration();

  store::StoreOptions store_options;
  store_options.statement_cache_size = o.statement_cache_size;
  auto store = store::OpenStore(o.store, store_options);
  if (!store.ok()) return StartFailed(store.status());
  auto cursor_secret = (*store)->Secret("cursor-hmac", 32);
  if (!cursor_secret.ok()) return StartFailed(cursor_secret.status());

  auto throttle = Throttling(o);
  if (!throttle.ok()) return StartFailed(throttle.status());
  auto trusted = TrustedIssuers(o);
  if (!trusted.ok()) return StartFailed(trusted.status());
  auto webhooks = WebhookTls(o);
  if (!webhooks.ok()) return StartFailed(webhooks.status());

  // Listen first: with --port 0 the issuer's URL is known only once bound. Requests arriving before
  // the service is built are told to retry.
  std::atomic<const api::Service*> ready{nullptr};
  http::ServerOptions server_options;
  server_options.address = o.address;
  server_options.http_port = o.port;
  server_options.https_port = o.https_port;
  server_options.max_body_bytes = o.max_body_bytes;
  server_options.worker_threads = o.workers;
  server_options.max_connections = ConnectionLimit(o);
  server_options.max_connections_per_address = o.max_connections_per_address;
  server_options.max_tls_handshakes = o.max_tls_handshakes;
  server_options.tls_handshake_timeout_seconds = o.tls_handshake_timeout;
  server_options.request_head_timeout_seconds = o.request_head_timeout;
  server_options.idle_timeout_seconds = o.idle_timeout;
  server_options.send_timeout_seconds = o.send_timeout;
  server_options.stream_buffer_bytes = o.stream_buffer_bytes;
  if (o.https_port >= 0) {
    Status tls = LoadTls(o, &server_options);
    if (!tls.ok()) return StartFailed(tls);
  }
  auto server = http::Server::Start(server_options, [&ready](const http::Request& r) {
    const api::Service* service = ready.load(std::memory_order_acquire);
    if (service == nullptr) {
      CountRefusal("starting");
      return http::ErrorResponse(r, Status::Unavailable("aihistory is starting; retry"), 1);
    }
    return service->Handle(r);
  });
  if (!server.ok() && server.status().code() == Code::kConflict) {
    // A port in use, most often by a server already running (the demo started twice): name the option
    // that chooses another. The HTTP listener is bound first, so its port is the one when both match.
    const bool http = o.port >= 0 && server.status().message() == "port " + std::to_string(o.port) + " is in use";
    return StartFailed(Status(Code::kConflict, server.status().message() + "; choose another with " + (http ? "--port" : "--https-port")));
  }
  if (!server.ok()) return StartFailed(server.status());

  // The signing keys live in the store, shared by every server that opens it.
  auth::StoredKeyRepository key_repository((*store)->signing_keys());
  const auth::KeyRingOptions ring_options;
  auto keys = auth::KeyRing::Open(key_repository, ring_options, time(nullptr));
  if (!keys.ok()) return StartFailed(keys.status().WithContext("opening the signing keys"));
  KeyRefresher refresher(**keys, ring_options.refresh_interval_seconds);

  const std::string issuer_base = IssuerBase(o, **server);
  auth::TokenIssuerOptions issuer_options;
  issuer_options.issuer_base = issuer_base;
  issuer_options.resources = kGraphResources;
  issuer_options.resources.push_back(issuer_base);
  if (!o.public_url.empty() && o.public_url != issuer_base) issuer_options.resources.push_back(o.public_url);
  auto token_issuer = auth::TokenIssuer::Create(**keys, (*store)->directory(), issuer_options);
  if (!token_issuer.ok()) return StartFailed(token_issuer.status().WithContext("--issuer"));

  auth::TokenVerification verification;
  verification.own_issuer_base = issuer_base;  // exactly what the issuer writes
  verification.audiences = issuer_options.resources;
  verification.audiences.insert(verification.audiences.end(), o.trust_audiences.begin(), o.trust_audiences.end());
  verification.external_issuers = std::move(*trusted);
  verification.fetch = [](const std::string& url) { return http::FetchUrl(url); };
  auto authenticator = auth::TokenAuthenticator::Create(**keys, (*store)->directory(), std::move(verification));
  if (!authenticator.ok()) return StartFailed(authenticator.status());
  policy::DirectoryPolicy policy((*store)->directory());

  api::ServiceOptions service_options;
  service_options.public_url = o.public_url;
  service_options.reader_limits.max_items = static_cast<size_t>(o.max_batch_items);
  service_options.throttle = *throttle;
  service_options.notifications.issuer_base = issuer_base;  // the `iss` of validationTokens
  service_options.notifications.webhooks = *webhooks;       // handshakes and deliveries alike
  service_options.notifications.min_lifetime = std::chrono::minutes(o.subscription_min_lifetime_minutes);
  auto profile = api::ParseGraphProfile(o.graph_profile);
  if (!profile.ok()) return StartFailed(profile.status().WithContext("--graph-profile"));
  service_options.graph_profile = *profile;
  service_options.otlp_record_contentless = o.otlp_record_contentless;
  service_options.audit.enabled = o.audit_log;
  service_options.audit.retention_days = o.audit_retention_days;
  service_options.audit.queue_capacity = static_cast<size_t>(o.audit_queue);
  // /metrics on the public listener only with its token; a --metrics-port listener has it instead.
  if (o.metrics_port < 0) service_options.metrics_token = o.metrics_token;
  // Handshakes wait on receivers without a worker (ResponseStream::Defer); the limits bound what a
  // tenant, an app and everyone may have waiting (connections, descriptors, memory).
  service_options.notifications.handshake_limits = {o.handshake_concurrency,
                                                    o.handshake_concurrency_per_tenant,
                                                    o.handshake_concurrency_per_app};
  api::Service service(service_options, **store, **authenticator, policy, odata::CursorSigner(*cursor_secret),
                       token_issuer->get());
  ready.store(&service, std::memory_order_release);

  // Change notifications are delivered by this server's own threads; ingest only appends change rows.
  SystemClock clock;
  auto notifications = notify::DeliveryWorker::Start(**store, keys->get(), service_options.notifications, clock);
  if (!notifications.ok()) return StartFailed(notifications.status());
  CheckpointPublisher checkpoint_publisher(**store, o.checkpoint_interval);

  // Retention: every server sweeps, one per tenant at a time (the lease), at a lowered priority.
  std::unique_ptr<policy::RetentionSweep> retention;
  if (o.retention_sweep_seconds > 0) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    retention = std::make_unique<policy::RetentionSweep>(
        **store, clock, policy::SweepOptions{std::string(host) + ":" + std::to_string(::getpid()), o.retention_batch, 60'000});
    retention->Start(int64_t{o.retention_sweep_seconds} * 1000);
  }

  // The monitoring's own listener: only /metrics, not logged request by request (scrapes would
  // drown the log), never on the public address unless told so.
  http::Router metrics_router;
  api::AddMetricsRoute(metrics_router, o.metrics_token);
  std::unique_ptr<http::Server> metrics_server;
  if (o.metrics_port >= 0) {
    http::ServerOptions metrics_options;
    metrics_options.address = o.metrics_address;
    metrics_options.http_port = o.metrics_port;
    metrics_options.io_threads = 1;
    metrics_options.worker_threads = 2;
    metrics_options.max_connections = 64;
    metrics_options.record_requests = false;
    auto started = http::Server::Start(metrics_options,
                                       [&metrics_router](const http::Request& r) { return metrics_router.Route(r); });
    if (!started.ok()) return StartFailed(started.status().WithContext("--metrics-port"));
    metrics_server = std::move(*started);
  }

  std::string host = o.address.find(':') != std::string::npos ? "[" + o.address + "]" : o.address;
  if ((*server)->http_port() > 0) std::cout << "aihistory: listening on http://" << host << ":" << (*server)->http_port() << std::endl;
  if ((*server)->https_port() > 0) std::cout << "aihistory: listening on https://" << host << ":" << (*server)->https_port() << std::endl;
  if (metrics_server) {
    std::string metrics_host =
        o.metrics_address.find(':') != std::string::npos ? "[" + o.metrics_address + "]" : o.metrics_address;
    std::cout << "aihistory: metrics on http://" << metrics_host << ":" << metrics_server->http_port() << "/metrics"
              << std::endl;
  }
  std::cout << "aihistory: token issuer " << auth::IssuerFor(issuer_base, "{tenantId}") << std::endl;
  // What this server runs with, as it resolved it (the configuration's line has the options as
  // given); no secret: the metrics token only as whether there is one.
  log::Info("serving")
      .Str("address", o.address)
      .Int("http_port", (*server)->http_port())
      .Int("https_port", (*server)->https_port())
      .Str("issuer", issuer_base)
      .Int("workers", o.workers)
      .Int("max_connections", static_cast<int64_t>(server_options.max_connections))
      .Int("max_body_bytes", static_cast<int64_t>(o.max_body_bytes))
      .Num("throttle_rps", throttle->requests_per_second)
      .Str("graph_profile", o.graph_profile)
      .Bool("audit_log", o.audit_log)
      .Int("audit_retention_days", o.audit_retention_days)
      .Str("log_level", o.log_level)
      .Str("metrics", metrics_server ? "own listener" : o.metrics_token.empty() ? "off" : "public listener, token")
      .Int("metrics_port", metrics_server ? metrics_server->http_port() : -1)
      .Bool("metrics_token", !o.metrics_token.empty());

  int signal_number = 0;
  for (;;) {
    sigwait(&stop_signals, &signal_number);
    if (signal_number != SIGHUP) break;
    // logrotate has moved the file away: write to a new one of the same name.
    Status reopened = log::Reopen();
    if (reopened.ok()) {
      log::Info("log_reopened").Str("file", o.log_file);
    } else {
      std::cerr << "aihistory: " << reopened.message() << std::endl;
    }
  }
  log::Info("stopping").Int("signal", signal_number).Int("grace_s", o.shutdown_grace_seconds);
  // Graceful: refuse new connections, let the requests in flight (and their commits) finish within
  // the grace period, then record the notification worker's deliveries in flight.
  std::cout << "aihistory: stopping (signal " << signal_number << "): no new connections; waiting up to "
            << o.shutdown_grace_seconds << " s for the requests in flight" << std::endl;
  const int abandoned = (*server)->Drain(std::chrono::seconds(o.shutdown_grace_seconds));
  if (abandoned > 0) {
    log::Warn("requests_cut_off").Int("requests", abandoned).Int("grace_s", o.shutdown_grace_seconds);
  }
  (*server)->Stop();
  if (metrics_server) metrics_server->Stop();
  (*notifications)->Stop();  // lets the POSTs in flight finish and records them
  std::cout << "aihistory: stopped" << std::endl;
  log::Info("stopped");
  return 0;
}

}  // namespace aih::cli
