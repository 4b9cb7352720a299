#include "store/sql/migrations.h"

#include <algorithm>

#include "base/log.h"

namespace aih::store::sql {

Status ApplyMigrations(const std::function<Status(const std::string&)>& exec, const std::vector<std::string>& migrations,
                       int from, int target, const MigrationSpelling& spelling) {
  const int latest = static_cast<int>(migrations.size());
  AIH_RETURN_IF_ERROR(RefuseNewerSchema(from, latest));
  for (int v = from + 1; v <= std::min(target, latest); ++v) {
    AIH_RETURN_IF_ERROR(exec(spelling.begin));
    Status s = exec(migrations[v - 1]);
    if (s.ok()) s = exec(spelling.record_version(v));
    if (s.ok()) s = exec("COMMIT");
    if (!s.ok()) {
      (void)exec("ROLLBACK");  // fails harmlessly when the failure already ended the transaction
      log::Error("migration_failed").Str("engine", spelling.engine).Int("version", v).Str("error", s.message());
      return s.WithContext("schema migration " + std::to_string(v));
    }
    // An existing store brought forward (a new store's creation is not news).
    if (from > 0) log::Info("migration").Str("engine", spelling.engine).Int("from", v - 1).Int("to", v);
  }
  return Status::Ok();
}

std::string SpellDdl(const DdlSpelling& d, std::string_view ddl) {
  const std::pair<std::string_view, std::string_view> kNames[] = {
      {"{id}", d.id},         {"{text}", d.text},         {"{int}", d.int64},
      {"{int16}", d.int16},   {"{bool}", d.boolean},
      {"{bytes}", d.bytes},   {"{auto_key}", d.auto_key}, {"{serial_key}", d.serial_key},
      {"{clustered}", d.clustered}, {"{search_terms}", d.search_terms}};
  std::string out;
  out.reserve(ddl.size() + ddl.size() / 4);
  size_t at = 0;
  while (at < ddl.size()) {
    bool replaced = false;
    if (ddl[at] == '{') {
      for (const auto& [name, spelling] : kNames) {
        if (ddl.substr(at, name.size()) == name) {
          out += spelling;
          at += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += ddl[at++];
  }
  return out;
}

Status RefuseNewerSchema(int version, int latest) {
  if (version <= latest) return Status::Ok();
  return Status::Internal("the database is at schema version " + std::to_string(version) +
                          ", newer than this aihistory (" + std::to_string(latest) + "); upgrade aihistory");
}

namespace ddl {

// Tenant-owned tables lead with tenant_id so a distributed engine shards them with the
// interactions; applications are a global reference table.
const char* const kDirectory = R"sql(
      CREATE TABLE directory_tenants (
        tenant_id    {id} PRIMARY KEY,
        display_name {text} NOT NULL
      ){clustered};
      CREATE TABLE directory_users (
        tenant_id           {id} NOT NULL,
        user_id             {id} NOT NULL,              -- object id, lower-case GUID
        user_principal_name {text} NOT NULL,            -- as the admin wrote it
        upn_key             {id} NOT NULL,              -- lower-cased: case-insensitive in every engine
        display_name        {text} NOT NULL,
        account_type        {text} NOT NULL,            -- 'work' | 'personal'
        PRIMARY KEY (tenant_id, user_id)
      ){clustered};
      CREATE UNIQUE INDEX directory_users_upn ON directory_users (tenant_id, upn_key);
      -- Joined by tenant-wide export (page_sql.cc: licensed_users_only); the key is its index.
      CREATE TABLE directory_licenses (
        tenant_id       {id} NOT NULL,
        user_id         {id} NOT NULL,
        service_plan_id {id} NOT NULL,
        PRIMARY KEY (tenant_id, user_id, service_plan_id)
      ){clustered};
      CREATE TABLE directory_applications (
        client_id      {id} PRIMARY KEY,
        display_name   {text} NOT NULL,
        home_tenant_id {id} NOT NULL,
        created_at     {int} NOT NULL
      ){clustered};
      CREATE TABLE directory_app_secrets (
        client_id   {id} NOT NULL,
        secret_id   {id} NOT NULL,
        secret_hash {text} NOT NULL,                    -- never the secret itself
        hint        {text} NOT NULL,
        created_at  {int} NOT NULL,
        expires_at  {int} NOT NULL,                     -- 0: never
        PRIMARY KEY (client_id, secret_id)
      ){clustered};
      CREATE TABLE directory_app_certificates (
        client_id       {id} NOT NULL,
        thumbprint      {id} NOT NULL,
        certificate_pem {text} NOT NULL,
        created_at      {int} NOT NULL,
        PRIMARY KEY (client_id, thumbprint)
      ){clustered};
      CREATE TABLE directory_consents (
        tenant_id  {id} NOT NULL,
        client_id  {id} NOT NULL,
        role       {id} NOT NULL,
        granted_at {int} NOT NULL,
        PRIMARY KEY (tenant_id, client_id, role)
      ){clustered};
      CREATE TABLE directory_sources (
        tenant_id      {id} NOT NULL,
        app_class      {id} NOT NULL,
        kind           {text} NOT NULL,                 -- 'first-party' | 'third-party'
        display_name   {text} NOT NULL,
        export_enabled {bool} NOT NULL,
        PRIMARY KEY (tenant_id, app_class)
      ){clustered};
      CREATE TABLE directory_source_writers (
        tenant_id {id} NOT NULL,
        app_class {id} NOT NULL,
        client_id {id} NOT NULL,
        PRIMARY KEY (tenant_id, app_class, client_id)
      ){clustered};
      )sql";

// private_pem is a private key: this table must stay readable by the servers alone.
const char* const kSigningKeys = R"sql(
      CREATE TABLE signing_keys (
        kid          {id} PRIMARY KEY,                  -- RFC 7638 thumbprint
        private_pem  {text} NOT NULL,                   -- PKCS#8 PEM, unencrypted
        created_at   {int} NOT NULL,                    -- unix seconds
        retire_after {int} NOT NULL                     -- unix seconds; 0: the active key
      ){clustered};
      -- At most one active key, whatever races between servers.
      CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (retire_after) WHERE retire_after = 0;
      )sql";

const char* const kSubscriptions = R"sql(
      CREATE TABLE subscriptions (
        tenant_id                   {id} NOT NULL,
        id                          {id} NOT NULL,
        app_id                      {id} NOT NULL,
        creator_id                  {text} NOT NULL,
        delegated                   {bool} NOT NULL,
        user_id                     {id} NOT NULL,      -- '' for tenant-wide
        resource                    {text} NOT NULL,
        filter                      {text} NOT NULL,    -- canonical $filter, '' for none
        change_types                {int16} NOT NULL,   -- bits of store::ChangeType
        notification_url            {text} NOT NULL,
        lifecycle_notification_url  {text} NOT NULL,
        client_state                {text} NOT NULL,
        include_resource_data       {bool} NOT NULL,
        encryption_certificate      {text} NOT NULL,
        encryption_certificate_id   {text} NOT NULL,
        expiration_ms               {int} NOT NULL,
        created_ms                  {int} NOT NULL,
        reauthorization_notified_ms {int} NOT NULL,
        PRIMARY KEY (tenant_id, id)
      ){clustered};
      -- The quotas count by app and by user; GET /subscriptions lists an app's.
      CREATE INDEX subscriptions_app ON subscriptions (tenant_id, app_id, user_id);
      CREATE INDEX subscriptions_user ON subscriptions (tenant_id, user_id);
      )sql";

// The role was a tenant-wide admin consent until now: each such consent becomes a grant for every
// work account the tenant has today (what the consent allowed then), and the consent goes. Users
// added later need a grant of their own.
const char* const kUserAccess = R"sql(
      CREATE TABLE directory_user_access (
        tenant_id  {id} NOT NULL,
        client_id  {id} NOT NULL,
        user_id    {id} NOT NULL,
        granted_at {int} NOT NULL,
        PRIMARY KEY (tenant_id, client_id, user_id)
      ){clustered};
      CREATE INDEX directory_user_access_user ON directory_user_access (tenant_id, user_id);
      INSERT INTO directory_user_access (tenant_id, client_id, user_id, granted_at)
        SELECT c.tenant_id, c.client_id, u.user_id, c.granted_at
        FROM directory_consents c JOIN directory_users u ON u.tenant_id = c.tenant_id
        WHERE c.role = 'AiEnterpriseInteraction.Read.User' AND u.account_type = 'work';
      DELETE FROM directory_consents WHERE role = 'AiEnterpriseInteraction.Read.User';
      )sql";

// `version` counts a subscription's changes, and a monitor acts only on the version it read; an
// outbox entry with a once_key (the `missed` event) waits at most once per subscription.
const char* const kOnceKeys = R"sql(
      ALTER TABLE subscriptions ADD COLUMN version {int} NOT NULL DEFAULT 1;
      ALTER TABLE notification_outbox ADD COLUMN once_key {id};  -- NULL: none
      CREATE UNIQUE INDEX notification_outbox_once ON notification_outbox (tenant_id, subscription_id, once_key)
        WHERE once_key IS NOT NULL;
      )sql";

// The newest TLS version the receiver supports, and the app id the receiver expects in the
// validation tokens ('' for none).
const char* const kTlsVersion = R"sql(
      ALTER TABLE subscriptions ADD COLUMN latest_supported_tls_version {text} NOT NULL DEFAULT 'v1_2';
      ALTER TABLE subscriptions ADD COLUMN notification_url_app_id {text} NOT NULL DEFAULT '';
      )sql";

// Full-text search ($search; store/search_document.h): each interaction keeps its search document
// (terms made in C++, the same for both engines). NULL: a row written before this version, not
// indexed.
const char* const kSearchTerms = R"sql(
      ALTER TABLE interactions ADD COLUMN search_terms {search_terms};
      -- The rows still to index (sql/search_backfill.h): empty once they are, and never written to
      -- again, as every new row has its document.
      CREATE INDEX interactions_unsearched ON interactions (tenant_id, user_id, id) WHERE search_terms IS NULL;
      )sql";

// The export's $filter on one conversation, one request, or a rare appClass or locale. Each index
// leads with the value and continues in the export's order, so a page is a range read that stops
// after it is full, however long the history. sessionId and requestId name one user's items: the
// tenant's index serves that user's export too (the user is a filter on the few rows of the value).
// An appClass or locale is shared by many users, so the per-user export has its own index.
const char* const kFilterIndexes = R"sql(
      CREATE INDEX interactions_tenant_session ON interactions (tenant_id, session_id, created_ticks, id, user_id);
      CREATE INDEX interactions_tenant_request ON interactions (tenant_id, request_id, created_ticks, id, user_id);
      CREATE INDEX interactions_tenant_app ON interactions (tenant_id, app_class, created_ticks, id, user_id);
      CREATE INDEX interactions_user_app ON interactions (tenant_id, user_id, app_class, created_ticks, id);
      CREATE INDEX interactions_tenant_locale ON interactions (tenant_id, locale, created_ticks, id, user_id);
      CREATE INDEX interactions_user_locale ON interactions (tenant_id, user_id, locale, created_ticks, id);
      )sql";

// Per tenant (store/log_store.h, docs/integrity.md): its leaves in order, the hashes of its complete
// subtrees of 16, 256, 4096, ... leaves (every fourth level: a proof recomputes the three levels
// between from at most 8 stored hashes), the signed checkpoints and the Ed25519 keys that sign them.
const char* const kVerifiableLog = R"sql(
      CREATE TABLE log_leaves (
        tenant_id       {id} NOT NULL,
        leaf_index      {int} NOT NULL,                -- 0, 1, 2, ... per tenant, never reused
        user_id         {id} NOT NULL,
        interaction_id  {id} NOT NULL,
        version         {int} NOT NULL,                -- the etag follows from (id, version)
        kind            {int} NOT NULL,                -- 1 stored, 2 updated, 3 deleted
        content_sha256  {bytes} NOT NULL,              -- of the canonical JSON as stored
        leaf_hash       {bytes} NOT NULL,              -- RFC 9162: SHA-256(0x00 || leaf)
        PRIMARY KEY (tenant_id, leaf_index)
      ){clustered};
      CREATE INDEX log_leaves_item ON log_leaves (tenant_id, user_id, interaction_id, leaf_index);
      CREATE TABLE log_nodes (
        tenant_id  {id} NOT NULL,
        level      {int} NOT NULL,                     -- 4, 8, 12, ...: the subtree holds 2^level leaves
        node_index {int} NOT NULL,                     -- its first leaf is node_index * 2^level
        hash       {bytes} NOT NULL,
        PRIMARY KEY (tenant_id, level, node_index)
      ){clustered};
      CREATE TABLE log_checkpoints (
        tenant_id  {id} NOT NULL,
        tree_size  {int} NOT NULL,
        key        {id} NOT NULL,                      -- the verifier key that signed it
        root       {bytes} NOT NULL,
        note       {text} NOT NULL,                    -- the signed note (c2sp.org/tlog-checkpoint)
        created_at {int} NOT NULL,                     -- unix milliseconds
        PRIMARY KEY (tenant_id, tree_size, key)
      ){clustered};
      CREATE TABLE log_keys (
        key        {id} PRIMARY KEY,                   -- the verifier key: <name>+<key id>+<base64 key>
        seed       {bytes} NOT NULL,                   -- the Ed25519 private key seed
        created_at {int} NOT NULL,                     -- unix milliseconds
        retired_at {int} NOT NULL                      -- unix milliseconds; 0: the active key
      );
      CREATE UNIQUE INDEX log_keys_one_active ON log_keys (retired_at) WHERE retired_at = 0;
      -- The tenants whose interactions predate the log: LogStore::AdoptPending logs those rows once.
      CREATE TABLE log_adoptions (tenant_id {id} PRIMARY KEY);
      INSERT INTO log_adoptions (tenant_id) SELECT DISTINCT tenant_id FROM interactions;
      )sql";

// A hold belongs to a case (Graph's ediscoveryCase), names its users and may narrow itself by a
// $filter and a date range (start_ticks/end_ticks: createdDateTime bounds, the int64 extremes
// meaning none). An erasure keeps the id and content hash of what was erased, so that a re-import
// can be told.
const char* const kHoldsAndErasures = R"sql(
      CREATE TABLE governance_cases (
        tenant_id    {text} NOT NULL,
        case_id      {text} NOT NULL,
        display_name {text} NOT NULL,
        description  {text} NOT NULL,
        created_ms   {int} NOT NULL,
        PRIMARY KEY (tenant_id, case_id)
      ){clustered};
      CREATE TABLE legal_holds (
        tenant_id     {text} NOT NULL,
        hold_id       {text} NOT NULL,
        case_id       {text} NOT NULL,
        display_name  {text} NOT NULL,
        content_query {text} NOT NULL,                  -- canonical $filter, '' for everything
        start_ticks   {int} NOT NULL,
        end_ticks     {int} NOT NULL,
        status        {text} NOT NULL,                  -- 'active' | 'released'
        created_ms    {int} NOT NULL,
        released_ms   {int} NOT NULL,                   -- 0 while active
        PRIMARY KEY (tenant_id, hold_id)
      ){clustered};
      CREATE INDEX legal_holds_case ON legal_holds (tenant_id, case_id);
      CREATE TABLE legal_hold_users (
        tenant_id {text} NOT NULL,
        hold_id   {text} NOT NULL,
        user_id   {text} NOT NULL,
        PRIMARY KEY (tenant_id, hold_id, user_id)
      ){clustered};
      CREATE TABLE erasures (
        tenant_id    {text} NOT NULL,
        user_id      {text} NOT NULL,
        id           {text} NOT NULL,
        content_hash {int} NOT NULL,
        erased_ms    {int} NOT NULL,
        reason       {text} NOT NULL,                   -- 'erasure' | 'admin'
        actor        {text} NOT NULL,
        PRIMARY KEY (tenant_id, user_id, id)
      ){clustered};
      )sql";

// The sweep's per-tenant lease: the server holding it (holder) sweeps the tenant until
// lease_until_ms; a crashed holder's lease runs out.
const char* const kRetention = R"sql(
      CREATE TABLE retention_policies (
        tenant_id    {text} NOT NULL,
        policy_id    {text} NOT NULL,
        display_name {text} NOT NULL,
        app_class    {text} NOT NULL,                   -- '' all; 'X.*' a prefix; else exact
        party        {text} NOT NULL,                   -- '' all | 'first-party' | 'third-party'
        action       {text} NOT NULL,                   -- 'retain' | 'delete' | 'retainThenDelete'
        period_days  {int} NOT NULL,                    -- counted from createdDateTime
        created_ms   {int} NOT NULL,
        PRIMARY KEY (tenant_id, policy_id)
      ){clustered};
      CREATE TABLE retention_policy_users (
        tenant_id {text} NOT NULL,
        policy_id {text} NOT NULL,
        user_id   {text} NOT NULL,
        PRIMARY KEY (tenant_id, policy_id, user_id)
      ){clustered};
      CREATE TABLE retention_leases (
        tenant_id      {text} PRIMARY KEY,
        holder         {text} NOT NULL,
        lease_until_ms {int} NOT NULL
      ){clustered};
      )sql";

// Append-only, numbered in commit order ({serial_key}: a number is never reused, even after the
// log's retention removed the newest entries). Only its retention deletes rows.
const char* const kAuditLog = R"sql(
      CREATE TABLE audit_log (
        seq        {serial_key},
        created_ms {int} NOT NULL,                      -- unix milliseconds
        tenant_id  {text} NOT NULL,                     -- '' for what belongs to no tenant
        actor_kind {text} NOT NULL,                     -- adminKey | anonymous | app | user | system | operator
        actor_id   {text} NOT NULL,
        action     {text} NOT NULL,
        target     {text} NOT NULL,
        request_id {text} NOT NULL,
        outcome    {text} NOT NULL,                     -- 'success' | 'failure'
        status     {int} NOT NULL,                      -- the HTTP status, 0 when not a request
        item_count {int} NOT NULL,
        details    {text} NOT NULL                      -- a JSON object
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
      CREATE INDEX audit_log_time ON audit_log (created_ms);
      )sql";

// A leaf repeated its tenant, user and interaction ids in its row and its index (about 300 bytes
// with GUIDs) and stored its hash, which its fields give. Now the ids are stored once: a tenant's
// once in log_tenants, an item's once in log_items (for every leaf of every version and deletion of
// it), and a leaf refers to both by integer keys; its hash is computed when read (proofs read at most
// 16 leaves). The leaves (their encoding, docs/integrity.md) are unchanged. An interaction keeps the
// SHA-256 of its JSON (what its leaf records), so that a deletion's leaf need not read and hash the
// JSON again (NULL: written before this version; the deletion then hashes the JSON).
const char* const kSlimLog = R"sql(
      ALTER TABLE interactions ADD COLUMN content_sha256 {bytes};
      CREATE TABLE log_tenants (
        tenant_key {auto_key},
        tenant_id  {id} NOT NULL UNIQUE
      );
      CREATE TABLE log_items (
        item_key       {auto_key},
        tenant_key     {int} NOT NULL,
        user_id        {id} NOT NULL,
        interaction_id {id} NOT NULL
      );
      CREATE UNIQUE INDEX log_items_key ON log_items (tenant_key, user_id, interaction_id);
      CREATE TABLE log_entries (
        tenant_key     {int} NOT NULL,
        leaf_index     {int} NOT NULL,                 -- 0, 1, 2, ... per tenant, never reused
        item_key       {int} NOT NULL,
        version        {int} NOT NULL,                 -- the etag follows from (id, version)
        kind           {int} NOT NULL,                 -- 1 stored, 2 updated, 3 deleted
        content_sha256 {bytes} NOT NULL,               -- of the canonical JSON as stored
        PRIMARY KEY (tenant_key, leaf_index)
      ){clustered};
      INSERT INTO log_tenants (tenant_id) SELECT DISTINCT tenant_id FROM log_leaves ORDER BY tenant_id;
      INSERT INTO log_items (tenant_key, user_id, interaction_id)
        SELECT DISTINCT t.tenant_key, l.user_id, l.interaction_id FROM log_leaves l
        JOIN log_tenants t ON t.tenant_id = l.tenant_id;
      INSERT INTO log_entries (tenant_key, leaf_index, item_key, version, kind, content_sha256)
        SELECT t.tenant_key, l.leaf_index, i.item_key, l.version, l.kind, l.content_sha256 FROM log_leaves l
        JOIN log_tenants t ON t.tenant_id = l.tenant_id
        JOIN log_items i ON i.tenant_key = t.tenant_key AND i.user_id = l.user_id AND i.interaction_id = l.interaction_id;
      DROP TABLE log_leaves;
      ALTER TABLE log_entries RENAME TO log_leaves;
      -- An item's leaves by version (FindLeaf; a deletion's lookup of the version it deletes).
      CREATE INDEX log_leaves_item ON log_leaves (item_key, version);
      )sql";

// Beside its $filter (the export's $search, KQL).
const char* const kHoldSearch = R"sql(
      ALTER TABLE legal_holds ADD COLUMN content_search {text} NOT NULL DEFAULT '';  -- '' none
      )sql";

}  // namespace ddl
}  // namespace aih::store::sql
