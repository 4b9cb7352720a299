// The subcommands of `aihistory`. main.cc (the only file that includes CLI11, a heavy header)
// declares their options; each Run* lives in its own file and returns the process exit code.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/option_sources.h"

namespace aih::cli {

// Where the data lives: a directory (SQLite) or a postgresql:// URL. Every command takes --store;
// without it, the environment variable AIH_STORE; without that, ./data. Only serve, seed,
// demo-setup, `admin tenant create` and an import that carries a directory create a store: every
// other command fails naming the location when there is no store there.
inline constexpr const char* kDefaultStore = "./data";
inline constexpr const char* kStoreEnvironmentVariable = "AIH_STORE";

// The exit code of a mistake on the command line (a bare `aihistory` included); usage goes to stderr.
inline constexpr int kUsageExitCode = 2;

struct ServeOptions {
  std::string store = kDefaultStore;
  std::string address = "127.0.0.1";
  int port = 8080;             // plain HTTP; -1 for none, 0 for any free port
  int https_port = -1;         // HTTPS; -1 for none, 0 for any free port
  std::string tls_cert_file;   // PEM; with https and no files, a self-signed certificate is made
  std::string tls_key_file;    //   and kept in <store>/tls/ (local use only)
  std::string public_url;      // base of absolute links; default: what the client called
  std::string issuer_base;     // our tokens' iss is <issuer_base>/<tenant>/v2.0; default: the public
                               //   URL, else the URL listened on (serve.cc: IssuerBase)
  std::vector<std::string> trust_issuers;    // external issuers' iss ("{tenantid}" for the tenant), each
  std::vector<std::string> trust_jwks;       //   paired with its JWKS: a file or an http(s) URL
  std::vector<std::string> trust_audiences;  // audiences accepted besides Graph's and our own
  std::string throttle_profile = "default";  // default | graph (~30 requests/s per app per tenant)
  double throttle_rps = -1;                  // per (tenant, app); 0: off; -1: the profile's
  double throttle_burst = -1;                // -1: the profile's
  size_t max_body_bytes = 8 * 1024 * 1024;
  int max_batch_items = 10000;
  int workers = 32;
  // Connections and timeouts (http/server.h). max_connections 0: from the descriptor limit.
  size_t max_connections = 0;
  size_t max_connections_per_address = 256;  // 0: no limit (e.g. behind a reverse proxy)
  size_t max_tls_handshakes = 1000;
  int tls_handshake_timeout = 10;   // seconds
  int request_head_timeout = 20;
  int idle_timeout = 60;
  int send_timeout = 30;
  size_t stream_buffer_bytes = 512 * 1024;
  size_t statement_cache_size = 256;  // prepared statements kept per database connection (LRU)
  std::string webhook_ca_file;    // webhook receivers' certificates: also trust this PEM bundle
  bool webhook_verify_tls = true; // false: do not check them at all (local tests only)
  int subscription_min_lifetime_minutes = 45;  // nearer expirations are raised to it (Graph); 0: kept
  std::string graph_profile = "permissive";    // permissive | strict (refuse what Graph refuses)
  bool otlp_record_contentless = false;        // OTLP: record GenAI calls without content (empty bodies)
  std::vector<std::string> webhook_allow_networks;  // CIDRs of non-public receivers allowed anyway
  bool webhook_allow_http = false;                  // plain http receivers (otherwise https only)
  int handshake_concurrency = 64;            // validation handshakes at once, in all
  int handshake_concurrency_per_tenant = 4;
  int handshake_concurrency_per_app = 2;     // per app per tenant
  int shutdown_grace_seconds = 30; // SIGTERM: how long requests in flight may take to finish
  int checkpoint_interval = 300;   // seconds between signed checkpoints of every tenant's log; 0: none
  int retention_sweep_seconds = 60;  // seconds between retention sweeps (policy/retention_sweep.h); 0: none
  int retention_batch = 100;         // items per retention deletion transaction
  int audit_retention_days = 2557;   // the audit log's own retention (store/audit_trail.h); 0: forever
  int audit_queue = 65536;           // queued audit entries of reads beyond which they are dropped (counted)
  bool audit_log = true;             // false: record nothing (only to measure what the audit log costs)
  // Logs (base/log.h) and metrics (api/metrics_resource.h).
  std::string log_level = "info";   // error | warn | info | debug
  std::string log_file;             // empty: stderr; reopened on SIGHUP
  std::string log_format = "json";  // json | text
  std::string metrics_token;        // a secret: /metrics needs it as a bearer token
  std::string metrics_address = "127.0.0.1";
  int metrics_port = -1;            // a listener of its own for /metrics; -1: none, 0: any free port
  // Reports the effective configuration (configuration_report.h); called once the log is configured.
  std::function<void()> log_configuration;
};
int RunServe(const ServeOptions& options);
// The checks of the options among themselves that serve makes before it opens anything (throttle
// limits, --trust-issuer/--trust-jwks pairs, webhook ranges and CA file, --graph-profile).
Status CheckServeOptions(const ServeOptions& options);

// `aihistory config check [FILE]`: reads `file` (and the AIH_* variables) into serve's options
// (`serve_options`, which fill `serve`) as `serve` would at start, makes CheckServeOptions' checks and
// prints the effective configuration (config_check.cc). 0: valid; 1: a problem, named on stderr;
// 2: no file given.
int RunConfigCheck(const std::string& file, const std::vector<SourcedOption>& serve_options, const ServeOptions& serve);

struct ImportOptions {
  std::string store = kDefaultStore;
  std::string file;         // NDJSON or a JSON array; "-" for standard input
  std::string tenant_id;
  std::string user_id;      // default owner for items without "@aihistory.userId"
  int batch_size = 1000;
};
int RunImport(const ImportOptions& options);

struct ExportOptions {
  std::string store = kDefaultStore;
  std::string tenant_id;
  std::string user_id;      // empty: the whole tenant
  std::string out = "-";    // NDJSON file; "-" for standard output
  bool all = false;         // a full backup: ignore the export rules (hidden sources, unlicensed users)
  bool with_directory = false;  // first lines: the tenant's directory (cli/tenant_directory.h)
  std::string manifest;     // non-empty: write the signed manifest here, and the inclusion proofs
                            //   beside it (<manifest>.proofs.ndjson) (api/export_manifest.h)
  std::string search;       // non-empty: only what this $search query finds (docs/search.md)
};
int RunExport(const ExportOptions& options);

struct CheckOptions {
  std::string store = kDefaultStore;
};
// 0: the store is sound; 1: it is damaged (each problem named on stderr); 2: it could not be checked.
int RunCheck(const CheckOptions& options);

// `aihistory verify` (verify.cc): a live store against its verifiable log, or, offline, two
// checkpoints' consistency. 0: verified; 1: a problem, each named on stderr; 2: could not verify.
struct VerifyOptions {
  std::string store = kDefaultStore;
  std::string tenant_id;                 // empty: every tenant with a log
  std::string key;                       // offline: the verifier key of the checkpoints
  std::vector<std::string> checkpoints;  // offline: the older and the newer signed checkpoint
  std::string proof;                     // offline: the consistency route's JSON between them
  std::string manifest;                  // offline: an export's signed manifest (with --export)
  std::string export_file;               // offline: the export it signs
};
int RunVerify(const VerifyOptions& options);

// `aihistory audit` (audit.cc): the audit log, oldest first. 0: printed; 1: the store failed; 2: usage.
struct AuditOptions {
  std::string store = kDefaultStore;
  std::string tenant_id;      // empty: every tenant's entries (and those of no tenant)
  std::string filter;         // the admin API's $filter grammar (odata/audit_filter.h)
  std::string since;          // a date with an offset, or an age (90m, 24h, 7d)
  std::string format = "ndjson";  // ndjson | table
};
int RunAudit(const AuditOptions& options);

struct SeedOptions {
  std::string store = kDefaultStore;
  std::string tenant_id = "00000000-0000-4000-8000-000000000001";
  std::string domain = "contoso.example";
  int users = 20;
  int interactions_per_user = 200;
  uint64_t seed = 42;
};
int RunSeed(const SeedOptions& options);

// `aihistory admin <noun> <verb>`: the directory, acting on the store directly (admin.cc). `verb`
// names the operation ("tenant create", "users import", "license assign", "app register",
// "app add-secret", "consent grant", "source register", "source export enable", ...); the other
// members are that operation's options.
struct AdminOptions {
  std::string store = kDefaultStore;
  std::string verb;
  std::string tenant_id;
  std::string id;             // tenant create: the new tenant's id (default: a fresh GUID)
  std::string name;           // display names
  std::string file;           // users import: CSV or JSON; "-" for standard input
  std::string format;         // users import: csv | json (default: from the file name); users list: csv | json
  std::string user;           // object id or user principal name
  std::string plan = "3f30311c-6b1e-48a4-ab79-725b469da960";  // license: the Copilot service plan
  std::string client_id;
  std::vector<std::string> roles;
  std::string app_class;
  std::string kind;           // first-party | third-party
  std::string export_state;   // source register: on | off (default: on for first-party)
  std::vector<std::string> writers;
  std::string interaction_id;
  int64_t lifetime_days = 0;  // client secrets: 0 never expire
  bool yes = false;           // deletions: do not ask (cli/confirm.h)
  // Legal holds and erasure (admin_holds.cc):
  std::string case_id;
  std::string hold_id;
  std::string description;
  std::vector<std::string> users;  // hold create: user sources (repeatable)
  std::string query;               // hold create: a $filter
  std::string search;              // hold create: a $search (KQL)
  std::string from, to;            // hold create: createdDateTime range
  std::string session_id;          // interactions erase
  std::string action;              // retention create: retain | delete | retain-then-delete
  int64_t period_days = 0;         // retention create
};
int RunAdmin(const AdminOptions& options);

// `aihistory admin signing-keys <verb>`: the token issuer's signing keys in the store (signing_keys.cc).
// "rotate" makes a new key that every server signs with once it is published; "list" shows the keys.
struct SigningKeysOptions {
  std::string store = kDefaultStore;
  std::string verb;  // rotate | list
};
int RunSigningKeys(const SigningKeysOptions& options);

// `aihistory backup`: an online, consistent copy of a SQLite store into a new file (backup.cc).
struct BackupOptions {
  std::string store = kDefaultStore;
  std::string out;  // the backup file; must not exist
};
int RunBackup(const BackupOptions& options);

// `aihistory restore`: a verified backup back into a store; a store holding data only with `force`.
// Refused (exit 1, nothing changed) when the backup holds interactions the store has erased since,
// unless `allow_erased`; each is named either way.
struct RestoreOptions {
  std::string from;
  std::string store = kDefaultStore;
  bool force = false;
  bool allow_erased = false;
};
int RunRestore(const RestoreOptions& options);

// `aihistory demo-setup`: the demo tenant of the README (demo_setup.cc).
struct DemoSetupOptions {
  std::string store = kDefaultStore;
  std::string tenant_id = "00000000-0000-4000-8000-000000000001";
  std::string domain = "contoso.example";
  std::string out;  // credentials file; default <store>/demo-credentials.json
};
int RunDemoSetup(const DemoSetupOptions& options);

}  // namespace aih::cli
