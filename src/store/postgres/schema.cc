#include "store/postgres/schema.h"

#include "base/log.h"

#include <algorithm>
#include <string>
#include <vector>

namespace aih::store::postgres {
namespace {

// The advisory lock every server takes to migrate: "aihistor" in ASCII, unlikely to collide.
constexpr const char* kMigrationLock = "7019256296351494002";

// Each entry is one migration; index 0 is version 1. The columns are SQLite's (page_sql.cc builds
// the SELECTs of both engines). Text keys are COLLATE "C": byte order, as SQLite's BINARY and the
// keyset cursor compare. Every tenant-owned table leads its primary key with tenant_id, the column
// Citus distributes by (docs/scale-out.md).
const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: interactions, the change feed, named secrets.
      R"sql(
      CREATE TABLE interactions (
        tenant_id         text COLLATE "C" NOT NULL,
        user_id           text COLLATE "C" NOT NULL,
        id                text COLLATE "C" NOT NULL,
        created_ticks     bigint NOT NULL,           -- createdDateTime, 100 ns since the epoch
        app_class         text COLLATE "C" NOT NULL,
        interaction_type  text COLLATE "C" NOT NULL,
        conversation_type text COLLATE "C",
        locale            text COLLATE "C",
        session_id        text COLLATE "C",
        request_id        text COLLATE "C",
        content_hash      bigint NOT NULL,           -- of the canonical JSON with etag == id
        version           bigint NOT NULL,           -- 1 until first modified; etag follows it
        json              text NOT NULL,             -- canonical Graph JSON, spliced into pages
        PRIMARY KEY (tenant_id, user_id, id)
      );
      -- Per-user export: keyset range scans in (createdDateTime, id) order.
      CREATE INDEX interactions_user_time ON interactions (tenant_id, user_id, created_ticks, id);
      -- Tenant-wide export: (createdDateTime, id, user) order across users.
      CREATE INDEX interactions_tenant_time ON interactions (tenant_id, created_ticks, id, user_id);

      -- The change queue (store/change_feed.h): a row is pending until a consumer completes it;
      -- claimed_by/lease_until say who holds it, and until when.
      CREATE TABLE changes (
        tenant_id      text COLLATE "C" NOT NULL,
        seq            bigserial,
        user_id        text COLLATE "C" NOT NULL,
        interaction_id text COLLATE "C" NOT NULL,
        change_type    smallint NOT NULL,            -- store::ChangeType
        created_ticks  bigint NOT NULL,
        claimed_by     text,
        lease_until    timestamptz NOT NULL DEFAULT 'epoch',
        PRIMARY KEY (tenant_id, seq)
      );
      CREATE INDEX changes_seq ON changes (seq);

      CREATE TABLE secrets (name text COLLATE "C" PRIMARY KEY, value bytea NOT NULL);
      )sql",
      // 2: the directory (store/directory_store.h). Tenant-owned tables lead with tenant_id so a
      // distributed engine shards them with the interactions; applications are a global reference table.
      R"sql(
      CREATE TABLE directory_tenants (
        tenant_id    text COLLATE "C" PRIMARY KEY,
        display_name text NOT NULL
      );
      CREATE TABLE directory_users (
        tenant_id           text COLLATE "C" NOT NULL,
        user_id             text COLLATE "C" NOT NULL,   -- object id, lower-case GUID
        user_principal_name text NOT NULL,               -- as the admin wrote it
        upn_key             text COLLATE "C" NOT NULL,   -- lower-cased: case-insensitive in every engine
        display_name        text NOT NULL,
        account_type        text NOT NULL,               -- 'work' | 'personal'
        PRIMARY KEY (tenant_id, user_id)
      );
      CREATE UNIQUE INDEX directory_users_upn ON directory_users (tenant_id, upn_key);
      -- Joined by tenant-wide export (page_sql.cc: licensed_users_only); the key is its index.
      CREATE TABLE directory_licenses (
        tenant_id       text COLLATE "C" NOT NULL,
        user_id         text COLLATE "C" NOT NULL,
        service_plan_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant_id, user_id, service_plan_id)
      );
      CREATE TABLE directory_applications (
        client_id      text COLLATE "C" PRIMARY KEY,
        display_name   text NOT NULL,
        home_tenant_id text COLLATE "C" NOT NULL,
        created_at     bigint NOT NULL
      );
      CREATE TABLE directory_app_secrets (
        client_id   text COLLATE "C" NOT NULL,
        secret_id   text COLLATE "C" NOT NULL,
        secret_hash text NOT NULL,                       -- never the secret itself
        hint        text NOT NULL,
        created_at  bigint NOT NULL,
        expires_at  bigint NOT NULL,                     -- 0: never
        PRIMARY KEY (client_id, secret_id)
      );
      CREATE TABLE directory_app_certificates (
        client_id       text COLLATE "C" NOT NULL,
        thumbprint      text COLLATE "C" NOT NULL,
        certificate_pem text NOT NULL,
        created_at      bigint NOT NULL,
        PRIMARY KEY (client_id, thumbprint)
      );
      CREATE TABLE directory_consents (
        tenant_id  text COLLATE "C" NOT NULL,
        client_id  text COLLATE "C" NOT NULL,
        role       text COLLATE "C" NOT NULL,
        granted_at bigint NOT NULL,
        PRIMARY KEY (tenant_id, client_id, role)
      );
      CREATE TABLE directory_sources (
        tenant_id      text COLLATE "C" NOT NULL,
        app_class      text COLLATE "C" NOT NULL,
        kind           text NOT NULL,                    -- 'first-party' | 'third-party'
        display_name   text NOT NULL,
        export_enabled boolean NOT NULL,
        PRIMARY KEY (tenant_id, app_class)
      );
      CREATE TABLE directory_source_writers (
        tenant_id text COLLATE "C" NOT NULL,
        app_class text COLLATE "C" NOT NULL,
        client_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant_id, app_class, client_id)
      );
      )sql",
      // 3: the token issuer's signing keys (store/signing_key_store.h), shared by every server.
      // private_pem is a private key: only the servers' role may read this table.
      R"sql(
      CREATE TABLE signing_keys (
        kid          text COLLATE "C" PRIMARY KEY,       -- RFC 7638 thumbprint
        private_pem  text NOT NULL,                      -- PKCS#8 PEM, unencrypted
        created_at   bigint NOT NULL,                    -- unix seconds
        retire_after bigint NOT NULL                     -- unix seconds; 0: the active key
      );
      -- At most one active key, whatever races between servers.
      CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (retire_after) WHERE retire_after = 0;
      )sql",
      // 4: change-notification subscriptions and their outbox (store/subscription_store.h).
      R"sql(
      CREATE TABLE subscriptions (
        tenant_id                   text COLLATE "C" NOT NULL,
        id                          text COLLATE "C" NOT NULL,
        app_id                      text COLLATE "C" NOT NULL,
        creator_id                  text NOT NULL,
        delegated                   boolean NOT NULL,
        user_id                     text COLLATE "C" NOT NULL,   -- '' for tenant-wide
        resource                    text NOT NULL,
        filter                      text NOT NULL,               -- canonical $filter, '' for none
        change_types                smallint NOT NULL,           -- bits of store::ChangeType
        notification_url            text NOT NULL,
        lifecycle_notification_url  text NOT NULL,
        client_state                text NOT NULL,
        include_resource_data       boolean NOT NULL,
        encryption_certificate      text NOT NULL,
        encryption_certificate_id   text NOT NULL,
        expiration_ms               bigint NOT NULL,
        created_ms                  bigint NOT NULL,
        reauthorization_notified_ms bigint NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      -- The quotas count by app and by user; GET /subscriptions lists an app's.
      CREATE INDEX subscriptions_app ON subscriptions (tenant_id, app_id, user_id);
      CREATE INDEX subscriptions_user ON subscriptions (tenant_id, user_id);
      CREATE TABLE notification_outbox (
        tenant_id       text COLLATE "C" NOT NULL,
        entry_id        bigserial,
        subscription_id text COLLATE "C" NOT NULL,
        kind            smallint NOT NULL,                   -- store::OutboxKind
        url             text NOT NULL,
        payload         bytea NOT NULL,
        items           integer NOT NULL,
        enqueued_ms     bigint NOT NULL,
        attempts        integer NOT NULL,
        next_attempt_ms bigint NOT NULL,                     -- also the end of a claim's lease
        claimed_by      text,
        PRIMARY KEY (tenant_id, entry_id)
      );
      CREATE INDEX notification_outbox_subscription ON notification_outbox (tenant_id, subscription_id, entry_id);
      CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_ms);
      )sql",
      // 5: per-user grants of AiEnterpriseInteraction.Read.User (store/directory_store.h). The role was
      // a tenant-wide admin consent until now: each such consent becomes a grant for every work account
      // the tenant has today (what the consent allowed then), and the consent goes. Users added later
      // need a grant of their own.
      R"sql(
      CREATE TABLE directory_user_access (
        tenant_id  text COLLATE "C" NOT NULL,
        client_id  text COLLATE "C" NOT NULL,
        user_id    text COLLATE "C" NOT NULL,
        granted_at bigint NOT NULL,
        PRIMARY KEY (tenant_id, client_id, user_id)
      );
      CREATE INDEX directory_user_access_user ON directory_user_access (tenant_id, user_id);
      INSERT INTO directory_user_access (tenant_id, client_id, user_id, granted_at)
        SELECT c.tenant_id, c.client_id, u.user_id, c.granted_at
        FROM directory_consents c JOIN directory_users u ON u.tenant_id = c.tenant_id
        WHERE c.role = 'AiEnterpriseInteraction.Read.User' AND u.account_type = 'work';
      DELETE FROM directory_consents WHERE role = 'AiEnterpriseInteraction.Read.User';
      )sql",
      // 6: lifecycle transitions that exactly one server wins (store/subscription_store.h). `version`
      // counts a subscription's changes, and a monitor acts only on the version it read; an outbox entry
      // with a once_key (the `missed` event) waits at most once per subscription.
      R"sql(
      ALTER TABLE subscriptions ADD COLUMN version bigint NOT NULL DEFAULT 1;
      ALTER TABLE notification_outbox ADD COLUMN once_key text COLLATE "C";  -- NULL: none
      CREATE UNIQUE INDEX notification_outbox_once ON notification_outbox (tenant_id, subscription_id, once_key)
        WHERE once_key IS NOT NULL;
      )sql",
      // 7: payloads stored once however many outbox entries carry them, as SQLite does: the
      // subscriptions of a tenant that match the same changes share one (by SHA-256), which keeps
      // fan-out from multiplying the writes. The payloads of entries already waiting move there.
      R"sql(
      CREATE TABLE notification_payloads (
        tenant_id  text COLLATE "C" NOT NULL,
        payload_id bigserial,
        digest     text COLLATE "C" NOT NULL,             -- SHA-256 of the payload, lower-case hex
        payload    bytea NOT NULL,
        PRIMARY KEY (tenant_id, payload_id)
      );
      CREATE UNIQUE INDEX notification_payloads_digest ON notification_payloads (tenant_id, digest);
      INSERT INTO notification_payloads (tenant_id, digest, payload)
        SELECT DISTINCT ON (tenant_id, digest) tenant_id, digest, payload
        FROM (SELECT tenant_id, encode(sha256(payload), 'hex') AS digest, payload FROM notification_outbox) waiting
        ORDER BY tenant_id, digest;
      ALTER TABLE notification_outbox ADD COLUMN payload_id bigint;
      UPDATE notification_outbox o SET payload_id = p.payload_id FROM notification_payloads p
        WHERE p.tenant_id = o.tenant_id AND p.digest = encode(sha256(o.payload), 'hex');
      ALTER TABLE notification_outbox ALTER COLUMN payload_id SET NOT NULL;
      ALTER TABLE notification_outbox DROP COLUMN payload;
      CREATE INDEX notification_outbox_payload ON notification_outbox (tenant_id, payload_id);
      )sql",
      // 8: what Graph's subscriptions also keep and return (2026): the newest TLS version the receiver
      // supports, and the app id the receiver expects in the validation tokens ('' for none).
      R"sql(
      ALTER TABLE subscriptions ADD COLUMN latest_supported_tls_version text NOT NULL DEFAULT 'v1_2';
      ALTER TABLE subscriptions ADD COLUMN notification_url_app_id text NOT NULL DEFAULT '';
      )sql",
      // 9: full-text search ($search; store/search_document.h). Each interaction keeps its search
      // terms (made in C++, the same as SQLite's FTS5 indexes) as a tsvector, written with the row;
      // a GIN index finds the rows holding a term, a prefix or a phrase (a phrase is checked on the
      // positions). Text without spaces is indexed as overlapping character pairs, so no trigram
      // index is needed: a two-character substring is one term (pg_trgm cannot use its index for
      // fewer than three characters). NULL: a row written before this version, not indexed.
      R"sql(
      ALTER TABLE interactions ADD COLUMN search_terms tsvector;
      -- The rows still to index (sql/search_backfill.h): empty once they are, and never written to
      -- again, as every new row has its document.
      CREATE INDEX interactions_unsearched ON interactions (tenant_id, user_id, id) WHERE search_terms IS NULL;
      CREATE INDEX interactions_search ON interactions USING gin (search_terms);
      )sql",
      // 10: queries that cost what they return (the export's $filter on one conversation, one request,
      // or a rare appClass or locale). Each index leads with the value and continues in the export's
      // order, so a page is a range read that stops after it is full, however long the history.
      // sessionId and requestId name one user's items: the tenant's index serves that user's export
      // too (the user is a filter on the few rows of the value). An appClass or locale is shared by
      // many users, so the per-user export has its own index.
      R"sql(
      CREATE INDEX interactions_tenant_session ON interactions (tenant_id, session_id, created_ticks, id, user_id);
      CREATE INDEX interactions_tenant_request ON interactions (tenant_id, request_id, created_ticks, id, user_id);
      CREATE INDEX interactions_tenant_app ON interactions (tenant_id, app_class, created_ticks, id, user_id);
      CREATE INDEX interactions_user_app ON interactions (tenant_id, user_id, app_class, created_ticks, id);
      CREATE INDEX interactions_tenant_locale ON interactions (tenant_id, locale, created_ticks, id, user_id);
      CREATE INDEX interactions_user_locale ON interactions (tenant_id, user_id, locale, created_ticks, id);
      )sql",
      // 11: the verifiable log (store/log_store.h, docs/integrity.md): per tenant, its leaves in order,
      // the hashes of its complete subtrees of 16, 256, 4096, ... leaves, the signed checkpoints and
      // the Ed25519 keys that sign them. Tenant tables lead with tenant_id (sharding by tenant).
      R"sql(
      CREATE TABLE log_leaves (
        tenant_id       text COLLATE "C" NOT NULL,
        leaf_index      bigint NOT NULL,
        user_id         text COLLATE "C" NOT NULL,
        interaction_id  text COLLATE "C" NOT NULL,
        version         bigint NOT NULL,
        kind            bigint NOT NULL,               -- 1 stored, 2 updated, 3 deleted
        content_sha256  bytea NOT NULL,
        leaf_hash       bytea NOT NULL,
        PRIMARY KEY (tenant_id, leaf_index)
      );
      CREATE INDEX log_leaves_item ON log_leaves (tenant_id, user_id, interaction_id, leaf_index);
      CREATE TABLE log_nodes (
        tenant_id  text COLLATE "C" NOT NULL,
        level      bigint NOT NULL,
        node_index bigint NOT NULL,
        hash       bytea NOT NULL,
        PRIMARY KEY (tenant_id, level, node_index)
      );
      CREATE TABLE log_checkpoints (
        tenant_id  text COLLATE "C" NOT NULL,
        tree_size  bigint NOT NULL,
        key        text COLLATE "C" NOT NULL,
        root       bytea NOT NULL,
        note       text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (tenant_id, tree_size, key)
      );
      CREATE TABLE log_keys (
        key        text COLLATE "C" PRIMARY KEY,
        seed       bytea NOT NULL,
        created_at bigint NOT NULL,
        retired_at bigint NOT NULL
      );
      CREATE UNIQUE INDEX log_keys_one_active ON log_keys (retired_at) WHERE retired_at = 0;
      -- The tenants whose interactions predate the log: LogStore::AdoptPending logs those rows once.
      CREATE TABLE log_adoptions (tenant_id text COLLATE "C" PRIMARY KEY);
      INSERT INTO log_adoptions (tenant_id) SELECT DISTINCT tenant_id FROM interactions;
      )sql",
      // 12: legal holds and erasures (store/hold_store.h, store/deletion.h). A hold belongs to a case
      // (Graph's ediscoveryCase), names its users and may narrow itself by a $filter and a date range
      // (start_ticks/end_ticks: createdDateTime bounds, the int64 extremes meaning none). An erasure
      // keeps the id and content hash of what was erased, so that a re-import can be told.
      R"sql(
      CREATE TABLE governance_cases (
        tenant_id    text NOT NULL,
        case_id      text NOT NULL,
        display_name text NOT NULL,
        description  text NOT NULL,
        created_ms   bigint NOT NULL,
        PRIMARY KEY (tenant_id, case_id)
      );
      CREATE TABLE legal_holds (
        tenant_id     text NOT NULL,
        hold_id       text NOT NULL,
        case_id       text NOT NULL,
        display_name  text NOT NULL,
        content_query text NOT NULL,                    -- canonical $filter, '' for everything
        start_ticks   bigint NOT NULL,
        end_ticks     bigint NOT NULL,
        status        text NOT NULL,                    -- 'active' | 'released'
        created_ms    bigint NOT NULL,
        released_ms   bigint NOT NULL,                 -- 0 while active
        PRIMARY KEY (tenant_id, hold_id)
      );
      CREATE INDEX legal_holds_case ON legal_holds (tenant_id, case_id);
      CREATE TABLE legal_hold_users (
        tenant_id text NOT NULL,
        hold_id   text NOT NULL,
        user_id   text NOT NULL,
        PRIMARY KEY (tenant_id, hold_id, user_id)
      );
      CREATE TABLE erasures (
        tenant_id    text NOT NULL,
        user_id      text NOT NULL,
        id           text NOT NULL,
        content_hash bigint NOT NULL,
        erased_ms    bigint NOT NULL,
        reason       text NOT NULL,                     -- 'erasure' | 'admin'
        actor        text NOT NULL,
        PRIMARY KEY (tenant_id, user_id, id)
      );
      )sql",
      // 13: retention policies (store/retention_store.h) and the sweep's per-tenant lease: the server
      // holding it (holder) sweeps the tenant until lease_until_ms; a crashed holder's lease runs out.
      R"sql(
      CREATE TABLE retention_policies (
        tenant_id    text NOT NULL,
        policy_id    text NOT NULL,
        display_name text NOT NULL,
        app_class    text NOT NULL,                     -- '' all; 'X.*' a prefix; else exact
        party        text NOT NULL,                     -- '' all | 'first-party' | 'third-party'
        action       text NOT NULL,                     -- 'retain' | 'delete' | 'retainThenDelete'
        period_days  bigint NOT NULL,                  -- counted from createdDateTime
        created_ms   bigint NOT NULL,
        PRIMARY KEY (tenant_id, policy_id)
      );
      CREATE TABLE retention_policy_users (
        tenant_id text NOT NULL,
        policy_id text NOT NULL,
        user_id   text NOT NULL,
        PRIMARY KEY (tenant_id, policy_id, user_id)
      );
      CREATE TABLE retention_leases (
        tenant_id      text PRIMARY KEY,
        holder         text NOT NULL,
        lease_until_ms bigint NOT NULL
      );
      )sql",
      // 14: the audit log (store/audit_log.h): append-only, numbered in commit order (appends serialise
      // on an advisory lock, sql_audit_log.cc). Only its retention deletes rows; an UPDATE is refused
      // by the trigger.
      R"sql(
      CREATE TABLE audit_log (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        created_ms bigint NOT NULL,                     -- unix milliseconds
        tenant_id  text NOT NULL,                       -- '' for what belongs to no tenant
        actor_kind text NOT NULL,                       -- adminKey | anonymous | app | user | system | operator
        actor_id   text NOT NULL,
        action     text NOT NULL,
        target     text NOT NULL,
        request_id text NOT NULL,
        outcome    text NOT NULL,                       -- 'success' | 'failure'
        status     bigint NOT NULL,                     -- the HTTP status, 0 when not a request
        item_count bigint NOT NULL,
        details    text NOT NULL                        -- a JSON object
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
      CREATE INDEX audit_log_time ON audit_log (created_ms);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      )sql",
      // 15: the log's leaves, slimmer (as SQLite's 15: the ids stored once per tenant and per item,
      // leaves refer to them by integer keys, the leaf hash computed when read), and the SHA-256 of an
      // interaction's JSON kept with it (NULL: written before this version). The log tables lead
      // with tenant_key, the tenant's own number in this database, in place of tenant_id.
      R"sql(
      ALTER TABLE interactions ADD COLUMN content_sha256 bytea;
      CREATE TABLE log_tenants (
        tenant_key bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        tenant_id  text COLLATE "C" NOT NULL UNIQUE
      );
      CREATE TABLE log_items (
        item_key       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        tenant_key     bigint NOT NULL,
        user_id        text COLLATE "C" NOT NULL,
        interaction_id text COLLATE "C" NOT NULL
      );
      CREATE UNIQUE INDEX log_items_key ON log_items (tenant_key, user_id, interaction_id);
      CREATE TABLE log_entries (
        tenant_key     bigint NOT NULL,
        leaf_index     bigint NOT NULL,
        item_key       bigint NOT NULL,
        version        bigint NOT NULL,
        kind           bigint NOT NULL,               -- 1 stored, 2 updated, 3 deleted
        content_sha256 bytea NOT NULL,
        PRIMARY KEY (tenant_key, leaf_index)
      );
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
      ALTER INDEX log_entries_pkey RENAME TO log_leaves_pkey;
      CREATE INDEX log_leaves_item ON log_leaves (item_key, version);
      )sql",
      // 16: nothing on this engine: SQLite's 16 moves its search index's insert from a trigger into
      // the write; here the write has always set the tsvector. Kept so that both engines count the
      // same versions.
      "SELECT 1",
      // 17: a legal hold's content search (the export's $search, KQL), beside its $filter.
      R"sql(
      ALTER TABLE legal_holds ADD COLUMN content_search text NOT NULL DEFAULT '';  -- '' none
      )sql",
      // 18: nothing on this engine: SQLite's 18 tunes how FTS5 merges its index segments. Kept so
      // that both engines count the same versions.
      "SELECT 1",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> CurrentSchemaVersion(Connection& conn) {
  auto exists = conn.Query("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  if (!exists->Bool(0, 0)) return 0;
  auto rows = conn.Query("SELECT coalesce(max(version), 0)::int8 FROM schema_migrations");
  if (!rows.ok()) return rows.status();
  return static_cast<int>(rows->Int(0, 0));
}

Status Migrate(Connection& conn) { return MigrateTo(conn, LatestSchemaVersion()); }

Status MigrateTo(Connection& conn, int target_version) {
  auto encoding = conn.Query("SELECT current_setting('server_encoding')");
  if (!encoding.ok()) return encoding.status();
  if (encoding->Text(0, 0) != "UTF8") {
    return Status::Internal("the database's encoding is " + std::string(encoding->Text(0, 0)) +
                            "; aihistory needs UTF8: CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0");
  }
  // Migrations may take long on a big database, and the lock waits for another server's migration
  // (the caller closes this connection afterwards: the setting does not leak into the pool).
  AIH_RETURN_IF_ERROR(conn.Exec("SET statement_timeout = 0"));
  AIH_RETURN_IF_ERROR(conn.Exec(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")"));
  auto migrate = [&]() -> Status {
    AIH_RETURN_IF_ERROR(conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
    auto version = CurrentSchemaVersion(conn);
    if (!version.ok()) return version.status();
    if (*version > LatestSchemaVersion()) {
      return Status::Internal("the database is at schema version " + std::to_string(*version) +
                              ", newer than this aihistory (" + std::to_string(LatestSchemaVersion()) +
                              "); upgrade aihistory");
    }
    for (int v = *version + 1; v <= std::min(target_version, LatestSchemaVersion()); ++v) {
      AIH_RETURN_IF_ERROR(conn.Exec("BEGIN"));
      Status s = conn.Exec(Migrations()[v - 1]);
      if (s.ok()) s = conn.Exec("INSERT INTO schema_migrations (version) VALUES (" + std::to_string(v) + ")");
      if (s.ok()) s = conn.Exec("COMMIT");
      if (!s.ok()) {
        if (conn.in_transaction()) conn.Exec("ROLLBACK");
        log::Error("migration_failed").Str("engine", "postgresql").Int("version", v).Str("error", s.message());
        return s.WithContext("schema migration " + std::to_string(v));
      }
      if (*version > 0) log::Info("migration").Str("engine", "postgresql").Int("from", v - 1).Int("to", v);
    }
    return Status::Ok();
  };
  Status s = migrate();
  // Ending the session releases the lock too, even if this server dies mid-migration.
  Status unlock = conn.Exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
  return s.ok() ? unlock : s;
}

}  // namespace aih::store::postgres
