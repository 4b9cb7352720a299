// aihistory: the command line. This is the only file that includes CLI11: it declares every
// subcommand's options and hands them to the subcommand's Run* function (commands.h).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/configuration_report.h"
#include "cli/option_sources.h"
#include "policy/retention.h"

int main(int argc, char** argv) {
  using namespace aih::cli;
  CLI::App app{"aihistory: the AI interaction history service with a Microsoft Graph compatible export API", "aihistory"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "aihistory 0.1.0");
  int exit_code = 0;
  // Every command names its store the same way: --store, else the environment's AIH_STORE, else ./data.
  // (The environment is read here, not with CLI11's envname: CLI11 also applies it to the --store of
  // the admin verbs that were not called, which share one variable, and so overrode the flag.)
  const char* from_environment = std::getenv(kStoreEnvironmentVariable);
  const std::string default_store = from_environment && *from_environment ? from_environment : kDefaultStore;
  auto store_opt = [&default_store](CLI::App* c, std::string& store) {
    store = default_store;
    c->add_option("--store", store, "Data directory or postgresql:// URL (default: $AIH_STORE, else ./data)")
        ->capture_default_str();
  };

  ServeOptions serve;
  auto* sv = app.add_subcommand("serve", "Run the HTTP(S) service");
  store_opt(sv, serve.store);
  sv->add_option("--address", serve.address, "Address to listen on")->capture_default_str();
  sv->add_option("--port", serve.port, "HTTP port (-1: none, 0: any free port)")->capture_default_str();
  sv->add_option("--https-port", serve.https_port, "HTTPS port (-1: none, 0: any free port)")->capture_default_str();
  sv->add_option("--tls-cert", serve.tls_cert_file, "PEM certificate chain for HTTPS (default: a self-signed one)");
  sv->add_option("--tls-key", serve.tls_key_file, "PEM private key for HTTPS");
  sv->add_option("--public-url", serve.public_url, "Base of absolute links, e.g. https://history.example.com");
  sv->add_option("--issuer", serve.issuer_base,
                 "Base of our tokens' issuer, <issuer>/<tenant>/v2.0 (default: --public-url, else the HTTPS URL listened on, else the HTTP one)");
  sv->add_option("--trust-issuer", serve.trust_issuers,
                 "Also accept tokens of this external issuer, e.g. https://login.microsoftonline.com/{tenantid}/v2.0 "
                 "(repeatable; pair each with a --trust-jwks)");
  sv->add_option("--trust-jwks", serve.trust_jwks, "The JWKS of the matching --trust-issuer: a file or an http(s) URL");
  sv->add_option("--trust-audience", serve.trust_audiences,
                 "Accept this token audience too, e.g. the client id of a Keycloak client (repeatable)");
  sv->add_option("--throttle-profile", serve.throttle_profile,
                 "Request limits per app per tenant: default (far above Graph's) or graph (~30 requests/s, as Graph)")
      ->capture_default_str()
      ->check(CLI::IsMember({"default", "graph"}));
  sv->add_option("--throttle-rps", serve.throttle_rps, "Requests per second per app per tenant (0: no throttling; "
                 "default: the profile's)")->check(CLI::Range(0.0, 1e9));
  sv->add_option("--throttle-burst", serve.throttle_burst, "Requests an app may make at once in a tenant "
                 "(default: the profile's)")->check(CLI::Range(1.0, 1e9));
  sv->add_option("--max-body-bytes", serve.max_body_bytes, "Largest request body accepted (413 above)")->capture_default_str();
  sv->add_option("--max-batch-items", serve.max_batch_items, "Most items per write request (413 above)")->capture_default_str()->check(CLI::Range(1, 1000000));
  sv->add_option("--workers", serve.workers, "Request worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
  sv->add_option("--max-connections", serve.max_connections, "Open connections at most; at the limit the longest-idle "
                 "one makes room (default: 10000, or fewer if the descriptor limit is lower)");
  sv->add_option("--max-connections-per-address", serve.max_connections_per_address,
                 "Open connections from one IPv4 address or IPv6 /64 (0: no limit, e.g. behind a proxy)")->capture_default_str();
  sv->add_option("--max-tls-handshakes", serve.max_tls_handshakes,
                 "TLS handshakes in progress at once; beyond, the oldest gives way")->capture_default_str()->check(CLI::Range(1, 1000000));
  sv->add_option("--tls-handshake-timeout", serve.tls_handshake_timeout, "Seconds for a TLS handshake")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  sv->add_option("--request-head-timeout", serve.request_head_timeout,
                 "Seconds for a whole request head (slow senders are cut off)")->capture_default_str()->check(CLI::Range(1, 3600));
  sv->add_option("--idle-timeout", serve.idle_timeout, "Seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()->check(CLI::Range(1, 86400));
  sv->add_option("--send-timeout", serve.send_timeout,
                 "Seconds a client may take no bytes of a response before it is dropped")->capture_default_str()->check(CLI::Range(1, 3600));
  sv->add_option("--stream-buffer-bytes", serve.stream_buffer_bytes,
                 "Unsent bytes of a streamed page held per connection before reading pauses")
      ->capture_default_str()->check(CLI::Range(size_t{16 * 1024}, size_t{1} << 30));
  sv->add_option("--webhook-ca-file", serve.webhook_ca_file,
                 "PEM certificates trusted, besides the system's, for change-notification receivers' HTTPS "
                 "(e.g. a private CA, or a receiver's self-signed certificate)");
  sv->add_option("--webhook-verify-tls", serve.webhook_verify_tls,
                 "Check change-notification receivers' TLS certificates; false only for local tests")
      ->default_str("true");
  sv->add_option("--subscription-min-lifetime", serve.subscription_min_lifetime_minutes,
                 "Minutes: a subscription's expirationDateTime nearer than this is raised to it, as Graph does "
                 "(0: keep it, for tests of expiry)")->capture_default_str()->check(CLI::Range(0, 4320));
  sv->add_flag("--otlp-record-contentless", serve.otlp_record_contentless,
              "OTLP ingest: record a GenAI call whose content was not captured, with empty bodies (by default it "
              "is only counted)");
  sv->add_option("--graph-profile", serve.graph_profile,
                 "permissive (accept a superset of Graph's requests) or strict (refuse what Graph refuses, with "
                 "Graph's status and message: for testing tools that will run against Graph)")
      ->capture_default_str()
      ->check(CLI::IsMember({"permissive", "strict"}));
  sv->add_option("--webhook-allow-network", serve.webhook_allow_networks,
                 "Allow change-notification receivers in this non-public address range, e.g. 10.0.0.0/8 or "
                 "127.0.0.1/32 (repeatable; by default loopback, private, link-local, CGNAT and multicast "
                 "receivers are refused)");
  sv->add_flag("--webhook-allow-http", serve.webhook_allow_http,
               "Allow plain http change-notification receivers (by default https only)");
  sv->add_option("--handshake-concurrency", serve.handshake_concurrency,
                 "Subscription validation handshakes at once, in all (each waits without a worker, holding a connection to its receiver)")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  sv->add_option("--handshake-concurrency-per-tenant", serve.handshake_concurrency_per_tenant,
                 "Subscription validation handshakes at once per tenant")->capture_default_str()->check(CLI::Range(1, 1024));
  sv->add_option("--handshake-concurrency-per-app", serve.handshake_concurrency_per_app,
                 "Subscription validation handshakes at once per application per tenant")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  sv->add_option("--statement-cache-size", serve.statement_cache_size,
                 "Prepared statements kept per database connection, least recently used evicted first")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  sv->add_option("--retention-sweep-interval", serve.retention_sweep_seconds,
                 "Seconds between this server's retention sweeps (0: this server does not sweep)")
      ->capture_default_str()->check(CLI::Range(0, 86400));
  sv->add_option("--retention-batch", serve.retention_batch,
                 "Interactions a retention sweep judges and deletes per transaction")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  sv->add_option("--audit-retention-days", serve.audit_retention_days,
                 "Days the audit log keeps an entry (0: forever); older entries are removed hourly, in batches")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, aih::policy::kMaxRetentionDays));
  sv->add_option("--audit-queue", serve.audit_queue,
                 "Audit entries of reads and failed authentications queued for writing; beyond, they are dropped "
                 "and counted (aihistory_audit_entries_dropped_total)")
      ->capture_default_str()->check(CLI::Range(100, 10000000));
  sv->add_option("--audit-log", serve.audit_log,
                 "on: record reads, exports, changes and failed admin authentications in the audit log; off only "
                 "to measure what it costs")
      ->default_str("true");
  sv->add_option("--shutdown-grace", serve.shutdown_grace_seconds,
                 "On SIGTERM/SIGINT, seconds that requests in flight may take to finish")
      ->capture_default_str()->check(CLI::Range(0, 3600));
  sv->add_option("--checkpoint-interval", serve.checkpoint_interval,
                 "Seconds between signed checkpoints of every tenant's verifiable log (0: only on demand)")
      ->capture_default_str()->check(CLI::Range(0, 86400));
  sv->add_option("--log-level", serve.log_level, "Log lines at this level and above: error, warn, info (one line "
                 "per request) or debug")
      ->capture_default_str()->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  sv->add_option("--log-file", serve.log_file,
                 "Append the log to this file instead of stderr; SIGHUP reopens it (after logrotate moved it)");
  sv->add_option("--log-format", serve.log_format, "json (one object per line) or text (key=value)")
      ->capture_default_str()->check(CLI::IsMember({"json", "text"}));
  sv->add_option("--metrics-token", serve.metrics_token,
                 "A secret: GET /metrics (Prometheus) answers only 'Authorization: Bearer <token>'. Without it "
                 "/metrics is not served on the public listener");
  sv->add_option("--metrics-port", serve.metrics_port,
                 "Serve /metrics on a listener of its own at this port (0: any free port), open unless "
                 "--metrics-token is given, and not on the public listener (-1: none)")
      ->capture_default_str()->check(CLI::Range(-1, 65535));
  sv->add_option("--metrics-address", serve.metrics_address, "The address of the --metrics-port listener")
      ->capture_default_str();
  // Every serve option above may also come from AIH_<OPTION> or the --config file (option_sources.h).
  std::string serve_config;
  sv->add_option("--config", serve_config, "TOML file of serve options, keyed by option name (default: $AIH_CONFIG); "
                 "flags override AIH_* variables, which override the file");
  sv->callback([&] {
    auto configuration = ApplyOptionSources(CommandOptions(*sv), ConfigFileLocation(serve_config));
    if (!configuration.ok()) {
      std::cerr << "aihistory serve: " << configuration.status().message() << std::endl;
      exit_code = kUsageExitCode;
      return;
    }
    serve.log_configuration = [configuration = *configuration] { LogConfiguration(configuration); };
    exit_code = RunServe(serve);
  });

  std::string checked_config;
  auto* cfg = app.add_subcommand("config", "The configuration of `serve`: a TOML file and AIH_* variables");
  cfg->require_subcommand(1);
  auto* cfg_check = cfg->add_subcommand("check", "Check a configuration file (with the AIH_* variables set) and print "
                                        "serve's effective configuration and each value's source; starts nothing");
  cfg_check->add_option("file,--config", checked_config, "The file (default: $AIH_CONFIG)");
  cfg_check->callback([&] { exit_code = RunConfigCheck(ConfigFileLocation(checked_config), CommandOptions(*sv), serve); });

  ImportOptions import;
  auto* imp = app.add_subcommand("import", "Import interactions from an NDJSON file or a JSON array");
  imp->add_option("file", import.file, "The file to import ('-' for standard input)")->required();
  store_opt(imp, import.store);
  imp->add_option("--tenant", import.tenant_id, "The tenant the interactions belong to")->required();
  imp->add_option("--user", import.user_id, "Owner of items that carry no \"@aihistory.userId\"");
  imp->add_option("--batch-size", import.batch_size, "Items per durable batch")->capture_default_str()->check(CLI::Range(1, 10000));
  imp->callback([&] { exit_code = RunImport(import); });

  ExportOptions exp;
  auto* ex = app.add_subcommand("export", "Export one user's or a whole tenant's interactions as NDJSON (streaming)");
  store_opt(ex, exp.store);
  ex->add_option("--tenant", exp.tenant_id, "The tenant to export")->required();
  ex->add_option("--user", exp.user_id, "One user's object id (default: every user of the tenant)");
  ex->add_option("--out", exp.out, "Output file ('-' for standard output)")->capture_default_str();
  ex->add_flag("--all", exp.all,
               "A full backup: every interaction, also of sources whose export is off and of unlicensed users "
               "(default: what the export API would give an exporter)");
  ex->add_flag("--with-directory", exp.with_directory,
               "Start with the tenant's directory (users, licenses, sources, applications without their "
               "credentials, consents, per-user access), which `aihistory import` restores");
  ex->add_option("--manifest", exp.manifest,
                 "Also write a manifest signed by the log key to this file, and the inclusion proof of every "
                 "exported version beside it (<manifest>.proofs.ndjson): `aihistory verify --manifest` checks them offline");
  ex->add_option("--search", exp.search,
                 "Only the interactions this $search query (KQL) finds, as the export API's $search would "
                 "(docs/search.md); with --all, exactly what GET /admin/tenants/{t}/search/statistics counts");
  ex->callback([&] { exit_code = RunExport(exp); });

  CheckOptions check;
  auto* ck = app.add_subcommand("check", "Check the store's integrity in full (exit 1 naming each problem when damaged)");
  store_opt(ck, check.store);
  ck->callback([&] { exit_code = RunCheck(check); });

  AuditOptions audit;
  auto* au = app.add_subcommand("audit", "Print the audit log (who read, exported, changed or deleted what), oldest first");
  store_opt(au, audit.store);
  au->add_option("--tenant", audit.tenant_id, "Only this tenant's entries (default: every entry)");
  au->add_option("--filter", audit.filter,
                 "The admin API's $filter: createdDateTime ge|gt|lt|le, tenantId, actorKind, actorId, action, requestId, "
                 "outcome eq '...', startswith(action, '...'), joined by 'and'");
  au->add_option("--since", audit.since, "Only entries since this date (2026-01-01T00:00:00Z) or age (90m, 24h, 7d)");
  au->add_option("--format", audit.format, "ndjson (one entry per line) or table")
      ->capture_default_str()->check(CLI::IsMember({"ndjson", "table"}));
  au->callback([&] { exit_code = RunAudit(audit); });

  VerifyOptions verify;
  auto* vf = app.add_subcommand("verify", "Prove the history: a store against its verifiable log (names every item "
                                          "altered, removed or added outside aihistory), or two checkpoints' consistency");
  store_opt(vf, verify.store);
  vf->add_option("--tenant", verify.tenant_id, "One tenant (default: every tenant with a log)");
  vf->add_option("--key", verify.key, "Offline: the verifier key of the checkpoints (GET /admin/log/keys)");
  vf->add_option("--checkpoint", verify.checkpoints, "Offline: a signed checkpoint file; give the older, then the newer");
  vf->add_option("--proof", verify.proof, "Offline: the consistency proof between them (the consistency route's JSON)");
  vf->add_option("--manifest", verify.manifest, "Offline: an export's signed manifest (`aihistory export --manifest`)");
  vf->add_option("--export", verify.export_file, "Offline: the export file the manifest signs");
  vf->callback([&] { exit_code = RunVerify(verify); });

  SeedOptions seed;
  auto* sd = app.add_subcommand("seed", "Write a realistic synthetic history (deterministic with --seed)");
  store_opt(sd, seed.store);
  sd->add_option("--tenant", seed.tenant_id, "Tenant id")->capture_default_str();
  sd->add_option("--domain", seed.domain, "Domain of the users' principal names")->capture_default_str();
  sd->add_option("--users", seed.users, "Number of users")->capture_default_str()->check(CLI::Range(1, 1000000));
  sd->add_option("--interactions", seed.interactions_per_user, "Interactions per user")->capture_default_str()->check(CLI::Range(1, 100000000));
  sd->add_option("--seed", seed.seed, "Random seed")->capture_default_str();
  sd->callback([&] { exit_code = RunSeed(seed); });

  // aihistory admin <noun> <verb> [options]: every leaf takes --store and runs RunAdmin.
  AdminOptions adm;
  auto* ad = app.add_subcommand("admin", "Administer the directory: tenants, users, licenses, apps, consent, "
                                         "per-user access, sources");
  ad->require_subcommand(1);
  auto noun = [&](const char* name, const char* help) {
    auto* c = ad->add_subcommand(name, help);
    c->require_subcommand(1);
    return c;
  };
  auto verb = [&](CLI::App* parent, const char* name, const char* help, std::string full) {
    auto* c = parent->add_subcommand(name, help);
    store_opt(c, adm.store);
    c->callback([&adm, &exit_code, full] {
      adm.verb = full;
      exit_code = RunAdmin(adm);
    });
    return c;
  };
  auto tenant_opt = [&](CLI::App* c) { c->add_option("--tenant", adm.tenant_id, "Tenant id")->required(); };
  auto client_opt = [&](CLI::App* c) { c->add_option("--client-id", adm.client_id, "Application (client) id")->required(); };
  auto app_class_opt = [&](CLI::App* c) { c->add_option("--app-class", adm.app_class, "The source's appClass")->required(); };
  auto user_opt = [&](CLI::App* c) { c->add_option("--user", adm.user, "Object id or user principal name")->required(); };

  verb(ad, "key", "Print the admin key of the admin HTTP API", "key");
  auto* tenant = noun("tenant", "Tenants");
  auto* tc = verb(tenant, "create", "Create a tenant", "tenant create");
  tc->add_option("--id", adm.id, "The tenant id (default: a new GUID)");
  tc->add_option("--name", adm.name, "Display name")->required();
  verb(tenant, "list", "List tenants", "tenant list");
  auto* users = noun("users", "Users and their licenses, in bulk");
  auto* ui = verb(users, "import", "Create or update users from CSV (userPrincipalName,displayName,accountType,servicePlans) or JSON", "users import");
  ui->add_option("file", adm.file, "The user list ('-' for standard input)")->required();
  tenant_opt(ui);
  ui->add_option("--format", adm.format, "csv or json (default: from the file name)");
  auto* ul = verb(users, "list", "List a tenant's users as CSV (or JSON) that `users import` reads", "users list");
  tenant_opt(ul);
  ul->add_option("--format", adm.format, "csv or json (default: csv)")->check(CLI::IsMember({"csv", "json"}));
  auto yes_opt = [&](CLI::App* c) {
    c->add_flag("--yes,-y", adm.yes, "Do not ask for confirmation (needed when standard input is not a terminal)");
  };
  auto* ud = verb(users, "delete", "Remove a user (and their licenses) from the directory", "users delete");
  tenant_opt(ud);
  user_opt(ud);
  yes_opt(ud);
  auto* license = noun("license", "License assignments");
  for (const char* op : {"assign", "remove"}) {
    auto* c = verb(license, op, op == std::string("assign") ? "Assign a service plan to a user" : "Remove a service plan from a user",
                   std::string("license ") + op);
    tenant_opt(c);
    user_opt(c);
    c->add_option("--plan", adm.plan, "Service plan id (default: Microsoft 365 Copilot)")->capture_default_str();
  }
  auto* appn = noun("app", "Applications and their credentials");
  auto* ar = verb(appn, "register", "Register an application; prints its client id and a secret (shown once)", "app register");
  ar->add_option("--tenant", adm.tenant_id, "The application's home tenant")->required();
  ar->add_option("--name", adm.name, "Display name")->required();
  ar->add_option("--secret-lifetime-days", adm.lifetime_days, "0: the secret never expires")->capture_default_str()->check(CLI::Range(0, 3650));
  auto* as = verb(appn, "add-secret", "Add a client secret to an application (shown once)", "app add-secret");
  client_opt(as);
  as->add_option("--lifetime-days", adm.lifetime_days, "0: the secret never expires")->capture_default_str()->check(CLI::Range(0, 3650));
  auto* ac = verb(appn, "add-certificate", "Add a certificate credential (PEM) to an application: its key signs "
                 "client assertions", "app add-certificate");
  client_opt(ac);
  ac->add_option("file", adm.file, "The X.509 certificate in PEM ('-' for standard input)")->required();
  verb(appn, "list", "List applications", "app list");
  auto* consent = noun("consent", "Admin consent: the app roles granted to an application in a tenant");
  for (const char* op : {"grant", "revoke"}) {
    auto* c = verb(consent, op, op == std::string("grant") ? "Grant app roles" : "Revoke app roles (all without --role)",
                   std::string("consent ") + op);
    tenant_opt(c);
    client_opt(c);
    auto* role = c->add_option("--role", adm.roles, "AiEnterpriseInteraction.Read.All | .Write.All (repeatable)");
    if (op == std::string("grant")) role->required();
  }
  tenant_opt(verb(consent, "list", "List a tenant's consents", "consent list"));
  auto* access = noun("access", "AiEnterpriseInteraction.Read.User, granted to an application for one user at a time");
  for (const char* op : {"grant", "revoke"}) {
    auto* c = verb(access, op, op == std::string("grant") ? "Let an application subscribe to a user's interactions"
                                                          : "Take it back (ends the app's subscriptions to the user)",
                   std::string("access ") + op);
    tenant_opt(c);
    client_opt(c);
    user_opt(c);
  }
  auto* al = verb(access, "list", "List the applications granted for a user", "access list");
  tenant_opt(al);
  user_opt(al);
  auto* source = noun("source", "Sources: the appClasses a tenant accepts, their writers and export");
  auto* sr = verb(source, "register", "Register a source", "source register");
  tenant_opt(sr);
  app_class_opt(sr);
  sr->add_option("--kind", adm.kind, "first-party or third-party")->required();
  sr->add_option("--name", adm.name, "Display name (default: the appClass)");
  sr->add_option("--export", adm.export_state, "on or off (default: on for first-party, off for third-party)");
  sr->add_option("--writer", adm.writers, "Client id of an application that writes it (repeatable)");
  tenant_opt(verb(source, "list", "List a tenant's sources", "source list"));
  auto* sx = source->add_subcommand("export", "Turn a source's export on or off (nothing is deleted)");
  sx->require_subcommand(1);
  for (const char* op : {"enable", "disable"}) {
    auto* c = verb(sx, op, op == std::string("enable") ? "Export the source's interactions" : "Hide the source's interactions from export",
                   std::string("source export ") + op);
    tenant_opt(c);
    app_class_opt(c);
  }
  auto* sw = source->add_subcommand("writer", "The applications that may write a source");
  sw->require_subcommand(1);
  for (const char* op : {"add", "remove"}) {
    auto* c = verb(sw, op, op == std::string("add") ? "Let an application write the source" : "Stop an application writing the source",
                   std::string("source writer ") + op);
    tenant_opt(c);
    app_class_opt(c);
    client_opt(c);
  }
  auto* inter = noun("interactions", "Stored interactions");
  auto* idel = verb(inter, "delete", "Delete one interaction (--id) or a user's whole history", "interactions delete");
  tenant_opt(idel);
  user_opt(idel);
  idel->add_option("--id", adm.interaction_id, "One interaction id (default: all of the user's)");
  yes_opt(idel);
  auto* ier = verb(inter, "erase", "Erase one interaction (--id), one session (--session) or everything of a user, "
                  "for good and on record (refused while a legal hold covers any of it)", "interactions erase");
  tenant_opt(ier);
  user_opt(ier);
  ier->add_option("--id", adm.interaction_id, "One interaction id");
  ier->add_option("--session", adm.session_id, "One session id");
  yes_opt(ier);
  auto* ih = verb(inter, "holds", "Show the active legal holds that keep one interaction", "interactions holds");
  tenant_opt(ih);
  user_opt(ih);
  ih->add_option("--id", adm.interaction_id, "The interaction id")->required();
  auto* erasures = noun("erasures", "The record of what was erased");
  auto* el = verb(erasures, "list", "List erasures, newest first", "erasures list");
  tenant_opt(el);
  el->add_option("--user", adm.user, "Only this user's (object id)");
  auto* lcase = noun("case", "eDiscovery cases, which legal holds belong to");
  auto* lcc = verb(lcase, "create", "Open a case", "case create");
  tenant_opt(lcc);
  lcc->add_option("--name", adm.name, "Display name")->required();
  lcc->add_option("--description", adm.description, "Description");
  tenant_opt(verb(lcase, "list", "List a tenant's cases", "case list"));
  auto* hold = noun("hold", "Legal holds: what they cover is never deleted while they are active");
  auto* hc = verb(hold, "create", "Place a legal hold", "hold create");
  tenant_opt(hc);
  hc->add_option("--case", adm.case_id, "The case id")->required();
  hc->add_option("--name", adm.name, "Display name")->required();
  hc->add_option("--user", adm.users, "A user source: object id or user principal name (repeatable)")->required();
  hc->add_option("--query", adm.query, "Only the interactions matching this $filter");
  hc->add_option("--search", adm.search, "Only the interactions matching this $search (KQL, as the export's)");
  hc->add_option("--from", adm.from, "Only interactions created at or after this ISO 8601 instant");
  hc->add_option("--to", adm.to, "Only interactions created before this ISO 8601 instant");
  auto* hl = verb(hold, "list", "List legal holds", "hold list");
  tenant_opt(hl);
  hl->add_option("--case", adm.case_id, "Only this case's");
  auto* hr = verb(hold, "release", "Release a legal hold (deletions of what it kept may proceed)", "hold release");
  tenant_opt(hr);
  hr->add_option("--hold", adm.hold_id, "The hold id")->required();
  auto* ret = noun("retention", "Retention policies, and the sweep that applies them");
  auto* rc = verb(ret, "create", "Create a retention policy", "retention create");
  tenant_opt(rc);
  rc->add_option("--name", adm.name, "Display name")->required();
  rc->add_option("--action", adm.action, "retain, delete or retain-then-delete")->required();
  rc->add_option("--days", adm.period_days, "The period, in days from createdDateTime (1 to " +
                 std::to_string(aih::policy::kMaxRetentionDays) + ")")->required();
  rc->add_option("--app-class", adm.app_class, "Only this appClass, or a pattern ending in .* (default: every source)");
  rc->add_option("--party", adm.kind, "all, first-party or third-party (default: all)");
  rc->add_option("--user", adm.users, "Only this user (repeatable; default: every user)");
  tenant_opt(verb(ret, "list", "List a tenant's retention policies", "retention list"));
  auto* rd = verb(ret, "delete", "Delete a retention policy", "retention delete");
  tenant_opt(rd);
  rd->add_option("--id", adm.id, "The policy id")->required();
  tenant_opt(verb(ret, "sweep", "Apply the retention policies of every tenant now (what each server does periodically)",
                  "retention sweep"));

  // aihistory admin signing-keys rotate|list (alias: keys): the token issuer's keys in the store.
  SigningKeysOptions signing;
  auto* sk = ad->add_subcommand("signing-keys", "The token issuer's signing keys, shared by every server of the store");
  sk->alias("keys");
  sk->require_subcommand(1);
  for (const char* op : {"rotate", "list"}) {
    auto* c = sk->add_subcommand(op, op == std::string("rotate")
                                         ? "Make a new signing key; servers sign with it once it is published, and "
                                           "the old key verifies until its tokens expire"
                                         : "List the signing keys and until when each verifies");
    store_opt(c, signing.store);
    c->callback([&signing, &exit_code, op] {
      signing.verb = op;
      exit_code = RunSigningKeys(signing);
    });
  }

  BackupOptions backup;
  auto* bk = app.add_subcommand("backup", "Copy a SQLite store while its server keeps running (consistent, online)");
  store_opt(bk, backup.store);
  bk->add_option("--out", backup.out, "The backup file to create (never overwritten)")->required();
  bk->callback([&] { exit_code = RunBackup(backup); });

  RestoreOptions restore;
  auto* rs = app.add_subcommand("restore", "Verify a backup and bring it back into a SQLite store");
  rs->add_option("--from", restore.from, "The backup file")->required();
  store_opt(rs, restore.store);
  rs->add_flag("--force", restore.force, "Replace the content of a store that holds data (stop its server first)");
  rs->add_flag("--allow-erased", restore.allow_erased,
               "Restore even if the backup holds interactions the store has erased since (each is named)");
  rs->callback([&] { exit_code = RunRestore(restore); });

  DemoSetupOptions demo;
  auto* dm = app.add_subcommand("demo-setup", "Set up the README's demo tenant: users, sources, an exporter and a writer app, sample data");
  store_opt(dm, demo.store);
  dm->add_option("--tenant", demo.tenant_id, "Tenant id")->capture_default_str();
  dm->add_option("--domain", demo.domain, "Domain of the users' principal names")->capture_default_str();
  dm->add_option("--out", demo.out, "Credentials file (default: <store>/demo-credentials.json)");
  dm->callback([&] { exit_code = RunDemoSetup(demo); });

  // A bare `aihistory` is a usage error: the usage goes to standard error and the exit code is 2, as for
  // any other mistake on the command line (--help and --version print to standard output and exit 0).
  if (argc <= 1) {
    std::cerr << app.help() << "\naihistory: a command is required (see the list above)\n";
    return kUsageExitCode;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageExitCode;
  }
  return exit_code;
}
