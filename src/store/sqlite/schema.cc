#include "store/sqlite/schema.h"

#include "base/log.h"

#include <algorithm>
#include <string>
#include <vector>

namespace aih::store::sqlite {
namespace {

// Each entry is one migration; index 0 is version 1.
const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: interactions, the change feed, named secrets.
      R"sql(
      CREATE TABLE interactions (
        seq               INTEGER PRIMARY KEY,          -- rowid: the physical row
        tenant_id         TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        id                TEXT NOT NULL,
        created_ticks     INTEGER NOT NULL,             -- createdDateTime, 100 ns since the epoch
        app_class         TEXT NOT NULL,
        interaction_type  TEXT NOT NULL,
        conversation_type TEXT,
        locale            TEXT,
        session_id        TEXT,
        request_id        TEXT,
        content_hash      INTEGER NOT NULL,             -- of the canonical JSON with etag == id
        version           INTEGER NOT NULL,             -- 1 until first modified; etag follows it
        json              BLOB NOT NULL                 -- canonical Graph JSON, spliced into pages
      );
      CREATE UNIQUE INDEX interactions_key ON interactions (tenant_id, user_id, id);
      -- Per-user export: keyset range scans in (createdDateTime, id) order.
      CREATE INDEX interactions_user_time ON interactions (tenant_id, user_id, created_ticks, id);
      -- Tenant-wide export: (createdDateTime, id, user) order across users.
      CREATE INDEX interactions_tenant_time ON interactions (tenant_id, created_ticks, id, user_id);

      CREATE TABLE changes (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id      TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        interaction_id TEXT NOT NULL,
        change_type    INTEGER NOT NULL,               -- store::ChangeType
        created_ticks  INTEGER NOT NULL
      );
      CREATE TABLE change_consumers (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
      )sql",
      // 2: the directory (store/directory_store.h). Tenant-owned tables lead with tenant_id so a
      // distributed engine shards them with the interactions; applications are a global reference table.
      R"sql(
      CREATE TABLE directory_tenants (
        tenant_id    TEXT PRIMARY KEY,
        display_name TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE directory_users (
        tenant_id           TEXT NOT NULL,
        user_id             TEXT NOT NULL,              -- object id, lower-case GUID
        user_principal_name TEXT NOT NULL,              -- as the admin wrote it
        upn_key             TEXT NOT NULL,              -- lower-cased: case-insensitive in every engine
        display_name        TEXT NOT NULL,
        account_type        TEXT NOT NULL,              -- 'work' | 'personal'
        PRIMARY KEY (tenant_id, user_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX directory_users_upn ON directory_users (tenant_id, upn_key);
      -- Joined by tenant-wide export (page_sql.cc: licensed_users_only); the key is its index.
      CREATE TABLE directory_licenses (
        tenant_id       TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        service_plan_id TEXT NOT NULL,
        PRIMARY KEY (tenant_id, user_id, service_plan_id)
      ) WITHOUT ROWID;
      CREATE TABLE directory_applications (
        client_id      TEXT PRIMARY KEY,
        display_name   TEXT NOT NULL,
        home_tenant_id TEXT NOT NULL,
        created_at     INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE directory_app_secrets (
        client_id   TEXT NOT NULL,
        secret_id   TEXT NOT NULL,
        secret_hash TEXT NOT NULL,                      -- never the secret itself
        hint        TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,                   -- 0: never
        PRIMARY KEY (client_id, secret_id)
      ) WITHOUT ROWID;
      CREATE TABLE directory_app_certificates (
        client_id       TEXT NOT NULL,
        thumbprint      TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (client_id, thumbprint)
      ) WITHOUT ROWID;
      CREATE TABLE directory_consents (
        tenant_id  TEXT NOT NULL,
        client_id  TEXT NOT NULL,
        role       TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, client_id, role)
      ) WITHOUT ROWID;
      CREATE TABLE directory_sources (
        tenant_id      TEXT NOT NULL,
        app_class      TEXT NOT NULL,
        kind           TEXT NOT NULL,                   -- 'first-party' | 'third-party'
        display_name   TEXT NOT NULL,
        export_enabled INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, app_class)
      ) WITHOUT ROWID;
      CREATE TABLE directory_source_writers (
        tenant_id TEXT NOT NULL,
        app_class TEXT NOT NULL,
        client_id TEXT NOT NULL,
        PRIMARY KEY (tenant_id, app_class, client_id)
      ) WITHOUT ROWID;
      )sql",
      // 3: the change feed becomes a queue that consumers claim (store/change_feed.h): a change is
      // pending until completed; claimed_by/lease_until (unix ms) say who holds it, and until when.
      R"sql(
      ALTER TABLE changes ADD COLUMN claimed_by TEXT;
      ALTER TABLE changes ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
      DROP TABLE change_consumers;
      )sql",
      // 4: the token issuer's signing keys (store/signing_key_store.h). private_pem is a private key:
      // this database must stay readable by the servers alone.
      R"sql(
      CREATE TABLE signing_keys (
        kid          TEXT PRIMARY KEY,                  -- RFC 7638 thumbprint
        private_pem  TEXT NOT NULL,                     -- PKCS#8 PEM, unencrypted
        created_at   INTEGER NOT NULL,                  -- unix seconds
        retire_after INTEGER NOT NULL                   -- unix seconds; 0: the active key
      ) WITHOUT ROWID;
      -- At most one active key, whatever races between servers.
      CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (retire_after) WHERE retire_after = 0;
      )sql",
      // 5: change-notification subscriptions and their outbox (store/subscription_store.h).
      R"sql(
      CREATE TABLE subscriptions (
        tenant_id                   TEXT NOT NULL,
        id                          TEXT NOT NULL,
        app_id                      TEXT NOT NULL,
        creator_id                  TEXT NOT NULL,
        delegated                   INTEGER NOT NULL,
        user_id                     TEXT NOT NULL,      -- '' for tenant-wide
        resource                    TEXT NOT NULL,
        filter                      TEXT NOT NULL,      -- canonical $filter, '' for none
        change_types                INTEGER NOT NULL,   -- bits of store::ChangeType
        notification_url            TEXT NOT NULL,
        lifecycle_notification_url  TEXT NOT NULL,
        client_state                TEXT NOT NULL,
        include_resource_data       INTEGER NOT NULL,
        encryption_certificate      TEXT NOT NULL,
        encryption_certificate_id   TEXT NOT NULL,
        expiration_ms               INTEGER NOT NULL,
        created_ms                  INTEGER NOT NULL,
        reauthorization_notified_ms INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      ) WITHOUT ROWID;
      -- The quotas count by app and by user; GET /subscriptions lists an app's.
      CREATE INDEX subscriptions_app ON subscriptions (tenant_id, app_id, user_id);
      CREATE INDEX subscriptions_user ON subscriptions (tenant_id, user_id);
      -- Payloads are stored once however many entries carry them: the subscriptions of a tenant that
      -- match the same changes share one (by SHA-256), which keeps fan-out from multiplying the writes.
      CREATE TABLE notification_payloads (
        payload_id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id  TEXT NOT NULL,
        digest     TEXT NOT NULL,                    -- SHA-256 of the payload, hex
        payload    BLOB NOT NULL
      );
      CREATE UNIQUE INDEX notification_payloads_digest ON notification_payloads (tenant_id, digest);
      CREATE TABLE notification_outbox (
        entry_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id       TEXT NOT NULL,
        subscription_id TEXT NOT NULL,
        kind            INTEGER NOT NULL,               -- store::OutboxKind
        url             TEXT NOT NULL,
        payload_id      INTEGER NOT NULL,               -- notification_payloads
        items           INTEGER NOT NULL,
        enqueued_ms     INTEGER NOT NULL,
        attempts        INTEGER NOT NULL,
        next_attempt_ms INTEGER NOT NULL,               -- also the end of a claim's lease
        claimed_by      TEXT
      );
      CREATE INDEX notification_outbox_subscription ON notification_outbox (tenant_id, subscription_id, entry_id);
      CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_ms);
      CREATE INDEX notification_outbox_payload ON notification_outbox (payload_id);
      )sql",
      // 6: per-user grants of AiEnterpriseInteraction.Read.User (store/directory_store.h). The role was
      // a tenant-wide admin consent until now: each such consent becomes a grant for every work account
      // the tenant has today (what the consent allowed then), and the consent goes. Users added later
      // need a grant of their own.
      R"sql(
      CREATE TABLE directory_user_access (
        tenant_id  TEXT NOT NULL,
        client_id  TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, client_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX directory_user_access_user ON directory_user_access (tenant_id, user_id);
      INSERT INTO directory_user_access (tenant_id, client_id, user_id, granted_at)
        SELECT c.tenant_id, c.client_id, u.user_id, c.granted_at
        FROM directory_consents c JOIN directory_users u ON u.tenant_id = c.tenant_id
        WHERE c.role = 'AiEnterpriseInteraction.Read.User' AND u.account_type = 'work';
      DELETE FROM directory_consents WHERE role = 'AiEnterpriseInteraction.Read.User';
      )sql",
      // 7: lifecycle transitions that exactly one server wins (store/subscription_store.h). `version`
      // counts a subscription's changes, and a monitor acts only on the version it read; an outbox entry
      // with a once_key (the `missed` event) waits at most once per subscription.
      R"sql(
      ALTER TABLE subscriptions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE notification_outbox ADD COLUMN once_key TEXT;  -- NULL: none
      CREATE UNIQUE INDEX notification_outbox_once ON notification_outbox (tenant_id, subscription_id, once_key)
        WHERE once_key IS NOT NULL;
      )sql",
      // 8: what Graph's subscriptions also keep and return (2026): the newest TLS version the receiver
      // supports, and the app id the receiver expects in the validation tokens ('' for none).
      R"sql(
      ALTER TABLE subscriptions ADD COLUMN latest_supported_tls_version TEXT NOT NULL DEFAULT 'v1_2';
      ALTER TABLE subscriptions ADD COLUMN notification_url_app_id TEXT NOT NULL DEFAULT '';
      )sql",
      // 9: full-text search ($search; store/search_document.h). Each interaction keeps its search
      // document (terms made in C++, the same as PostgreSQL's), and an FTS5 index over it, keyed by
      // the row's rowid, follows every insert, update and delete through triggers: in the write's
      // transaction, whichever statement removes a row. The index keeps no copy of the text
      // (external content). NULL: a row written before this version, not indexed.
      R"sql(
      ALTER TABLE interactions ADD COLUMN search_terms TEXT;
      -- The rows still to index (sql/search_backfill.h): empty once they are, and never written to
      -- again, as every new row has its document.
      CREATE INDEX interactions_unsearched ON interactions (tenant_id, user_id, id) WHERE search_terms IS NULL;
      CREATE VIRTUAL TABLE interaction_search USING fts5(
        search_terms, content='interactions', content_rowid='seq', tokenize='ascii', detail='full');
      CREATE TRIGGER interactions_search_insert AFTER INSERT ON interactions
        WHEN new.search_terms IS NOT NULL BEGIN
        INSERT INTO interaction_search (rowid, search_terms) VALUES (new.seq, new.search_terms);
      END;
      CREATE TRIGGER interactions_search_delete AFTER DELETE ON interactions
        WHEN old.search_terms IS NOT NULL BEGIN
        INSERT INTO interaction_search (interaction_search, rowid, search_terms) VALUES ('delete', old.seq, old.search_terms);
      END;
      CREATE TRIGGER interactions_search_update AFTER UPDATE OF search_terms ON interactions BEGIN
        INSERT INTO interaction_search (interaction_search, rowid, search_terms)
          SELECT 'delete', old.seq, old.search_terms WHERE old.search_terms IS NOT NULL;
        INSERT INTO interaction_search (rowid, search_terms)
          SELECT new.seq, new.search_terms WHERE new.search_terms IS NOT NULL;
      END;
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
      // the hashes of its complete subtrees of 16, 256, 4096, ... leaves (every fourth level: a proof
      // recomputes the three levels between from at most 8 stored hashes), the signed checkpoints and
      // the Ed25519 keys that sign them.
      R"sql(
      CREATE TABLE log_leaves (
        tenant_id       TEXT NOT NULL,
        leaf_index      INTEGER NOT NULL,              -- 0, 1, 2, ... per tenant, never reused
        user_id         TEXT NOT NULL,
        interaction_id  TEXT NOT NULL,
        version         INTEGER NOT NULL,              -- the etag follows from (id, version)
        kind            INTEGER NOT NULL,              -- 1 stored, 2 updated, 3 deleted
        content_sha256  BLOB NOT NULL,                 -- of the canonical JSON as stored
        leaf_hash       BLOB NOT NULL,                 -- RFC 9162: SHA-256(0x00 || leaf)
        PRIMARY KEY (tenant_id, leaf_index)
      ) WITHOUT ROWID;
      CREATE INDEX log_leaves_item ON log_leaves (tenant_id, user_id, interaction_id, leaf_index);
      CREATE TABLE log_nodes (
        tenant_id  TEXT NOT NULL,
        level      INTEGER NOT NULL,                   -- 4, 8, 12, ...: the subtree holds 2^level leaves
        node_index INTEGER NOT NULL,                   -- its first leaf is node_index * 2^level
        hash       BLOB NOT NULL,
        PRIMARY KEY (tenant_id, level, node_index)
      ) WITHOUT ROWID;
      CREATE TABLE log_checkpoints (
        tenant_id  TEXT NOT NULL,
        tree_size  INTEGER NOT NULL,
        key        TEXT NOT NULL,                      -- the verifier key that signed it
        root       BLOB NOT NULL,
        note       TEXT NOT NULL,                      -- the signed note (c2sp.org/tlog-checkpoint)
        created_at INTEGER NOT NULL,                   -- unix milliseconds
        PRIMARY KEY (tenant_id, tree_size, key)
      ) WITHOUT ROWID;
      CREATE TABLE log_keys (
        key        TEXT PRIMARY KEY,                   -- the verifier key: <name>+<key id>+<base64 key>
        seed       BLOB NOT NULL,                      -- the Ed25519 private key seed
        created_at INTEGER NOT NULL,                   -- unix milliseconds
        retired_at INTEGER NOT NULL                    -- unix milliseconds; 0: the active key
      );
      CREATE UNIQUE INDEX log_keys_one_active ON log_keys (retired_at) WHERE retired_at = 0;
      -- The tenants whose interactions predate the log: LogStore::AdoptPending logs those rows once.
      CREATE TABLE log_adoptions (tenant_id TEXT PRIMARY KEY);
      INSERT INTO log_adoptions (tenant_id) SELECT DISTINCT tenant_id FROM interactions;
      )sql",
      // 12: legal holds and erasures (store/hold_store.h, store/deletion.h). A hold belongs to a case
      // (Graph's ediscoveryCase), names its users and may narrow itself by a $filter and a date range
      // (start_ticks/end_ticks: createdDateTime bounds, the int64 extremes meaning none). An erasure
      // keeps the id and content hash of what was erased, so that a re-import can be told.
      R"sql(
      CREATE TABLE governance_cases (
        tenant_id    TEXT NOT NULL,
        case_id      TEXT NOT NULL,
        display_name TEXT NOT NULL,
        description  TEXT NOT NULL,
        created_ms   INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, case_id)
      ) WITHOUT ROWID;
      CREATE TABLE legal_holds (
        tenant_id     TEXT NOT NULL,
        hold_id       TEXT NOT NULL,
        case_id       TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        content_query TEXT NOT NULL,                    -- canonical $filter, '' for everything
        start_ticks   INTEGER NOT NULL,
        end_ticks     INTEGER NOT NULL,
        status        TEXT NOT NULL,                    -- 'active' | 'released'
        created_ms    INTEGER NOT NULL,
        released_ms   INTEGER NOT NULL,                 -- 0 while active
        PRIMARY KEY (tenant_id, hold_id)
      ) WITHOUT ROWID;
      CREATE INDEX legal_holds_case ON legal_holds (tenant_id, case_id);
      CREATE TABLE legal_hold_users (
        tenant_id TEXT NOT NULL,
        hold_id   TEXT NOT NULL,
        user_id   TEXT NOT NULL,
        PRIMARY KEY (tenant_id, hold_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE erasures (
        tenant_id    TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        id           TEXT NOT NULL,
        content_hash INTEGER NOT NULL,
        erased_ms    INTEGER NOT NULL,
        reason       TEXT NOT NULL,                     -- 'erasure' | 'admin'
        actor        TEXT NOT NULL,
        PRIMARY KEY (tenant_id, user_id, id)
      ) WITHOUT ROWID;
      )sql",
      // 13: retention policies (store/retention_store.h) and the sweep's per-tenant lease: the server
      // holding it (holder) sweeps the tenant until lease_until_ms; a crashed holder's lease runs out.
      R"sql(
      CREATE TABLE retention_policies (
        tenant_id    TEXT NOT NULL,
        policy_id    TEXT NOT NULL,
        display_name TEXT NOT NULL,
        app_class    TEXT NOT NULL,                     -- '' all; 'X.*' a prefix; else exact
        party        TEXT NOT NULL,                     -- '' all | 'first-party' | 'third-party'
        action       TEXT NOT NULL,                     -- 'retain' | 'delete' | 'retainThenDelete'
        period_days  INTEGER NOT NULL,                  -- counted from createdDateTime
        created_ms   INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, policy_id)
      ) WITHOUT ROWID;
      CREATE TABLE retention_policy_users (
        tenant_id TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        user_id   TEXT NOT NULL,
        PRIMARY KEY (tenant_id, policy_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE retention_leases (
        tenant_id      TEXT PRIMARY KEY,
        holder         TEXT NOT NULL,
        lease_until_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      )sql",
      // 14: the audit log (store/audit_log.h): append-only, numbered in commit order (AUTOINCREMENT:
      // a number is never reused, even after the log's retention removed the newest entries). Only
      // its retention deletes rows; an UPDATE is refused by the trigger.
      R"sql(
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        created_ms INTEGER NOT NULL,                    -- unix milliseconds
        tenant_id  TEXT NOT NULL,                       -- '' for what belongs to no tenant
        actor_kind TEXT NOT NULL,                       -- adminKey | anonymous | app | user | system | operator
        actor_id   TEXT NOT NULL,
        action     TEXT NOT NULL,
        target     TEXT NOT NULL,
        request_id TEXT NOT NULL,
        outcome    TEXT NOT NULL,                       -- 'success' | 'failure'
        status     INTEGER NOT NULL,                    -- the HTTP status, 0 when not a request
        item_count INTEGER NOT NULL,
        details    TEXT NOT NULL                        -- a JSON object
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
      CREATE INDEX audit_log_time ON audit_log (created_ms);
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      )sql",
      // 15: the log's leaves, slimmer (issue #15: space comes back). A leaf repeated its tenant, user
      // and interaction ids in its row and its index (about 300 bytes with GUIDs) and stored its hash,
      // which its fields give. Now the ids are stored once: a tenant's once in log_tenants, an item's
      // once in log_items (for every leaf of every version and deletion of it), and a leaf refers to
      // both by integer keys; its hash is computed when read (proofs read at most 16 leaves). The
      // leaves (their encoding, docs/integrity.md) are unchanged. An interaction keeps the SHA-256 of
      // its JSON (what its leaf records), so that a deletion's leaf need not read and hash the JSON
      // again (NULL: written before this version; the deletion then hashes the JSON).
      R"sql(
      ALTER TABLE interactions ADD COLUMN content_sha256 BLOB;
      CREATE TABLE log_tenants (
        tenant_key INTEGER PRIMARY KEY,
        tenant_id  TEXT NOT NULL UNIQUE
      );
      CREATE TABLE log_items (
        item_key       INTEGER PRIMARY KEY,
        tenant_key     INTEGER NOT NULL,
        user_id        TEXT NOT NULL,
        interaction_id TEXT NOT NULL
      );
      CREATE UNIQUE INDEX log_items_key ON log_items (tenant_key, user_id, interaction_id);
      CREATE TABLE log_entries (
        tenant_key     INTEGER NOT NULL,
        leaf_index     INTEGER NOT NULL,               -- 0, 1, 2, ... per tenant, never reused
        item_key       INTEGER NOT NULL,
        version        INTEGER NOT NULL,               -- the etag follows from (id, version)
        kind           INTEGER NOT NULL,               -- 1 stored, 2 updated, 3 deleted
        content_sha256 BLOB NOT NULL,                  -- of the canonical JSON as stored
        PRIMARY KEY (tenant_key, leaf_index)
      ) WITHOUT ROWID;
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
      )sql",
      // 16: a new item's index entry is written by the write itself (sqlite_interactions.cc), no longer
      // by the insert trigger: a statement that fires a trigger opens a statement savepoint, and FTS5
      // flushes its pending terms at every savepoint, so through the trigger each item became an index
      // segment of its own (ingest ran at a third of its rate without the index). An empty document
      // has no terms and is no longer entered; the update and delete triggers skip it too, and the
      // empty entries made before are removed here so the index's row count stays exact.
      R"sql(
      DROP TRIGGER interactions_search_insert;
      DROP TRIGGER interactions_search_delete;
      DROP TRIGGER interactions_search_update;
      INSERT INTO interaction_search (interaction_search, rowid, search_terms)
        SELECT 'delete', seq, '' FROM interactions WHERE search_terms = '';
      CREATE TRIGGER interactions_search_delete AFTER DELETE ON interactions
        WHEN old.search_terms IS NOT NULL AND old.search_terms <> '' BEGIN
        INSERT INTO interaction_search (interaction_search, rowid, search_terms) VALUES ('delete', old.seq, old.search_terms);
      END;
      CREATE TRIGGER interactions_search_update AFTER UPDATE OF search_terms ON interactions BEGIN
        INSERT INTO interaction_search (interaction_search, rowid, search_terms)
          SELECT 'delete', old.seq, old.search_terms WHERE old.search_terms IS NOT NULL AND old.search_terms <> '';
        INSERT INTO interaction_search (rowid, search_terms)
          SELECT new.seq, new.search_terms WHERE new.search_terms IS NOT NULL AND new.search_terms <> '';
      END;
      )sql",
      // 17: a legal hold's content search (the export's $search, KQL), beside its $filter.
      R"sql(
      ALTER TABLE legal_holds ADD COLUMN content_search TEXT NOT NULL DEFAULT '';  -- '' none
      )sql",
      // 18: FTS5 merges eight segments of a level into one, not four: each batch's segment is then
      // rewritten by fewer merges as the index grows (log8 rather than log4 of its segments), which
      // was most of what indexing wrote. Readers see at most eight segments a level instead of four.
      R"sql(
      INSERT INTO interaction_search (interaction_search, rank) VALUES ('automerge', 8);
      )sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status Migrate(Connection& conn) { return MigrateTo(conn, LatestSchemaVersion()); }

Status MigrateTo(Connection& conn, int target_version) {
  int version = 0;
  {
    // Scoped: a statement left open would lock the tables a migration drops.
    auto stmt = conn.Prepare("PRAGMA user_version");
    if (!stmt.ok()) return stmt.status();
    Status status;
    version = stmt->Step(&status) ? static_cast<int>(stmt->Int(0)) : 0;
    AIH_RETURN_IF_ERROR(status);
  }
  if (version > LatestSchemaVersion()) {
    return Status::Internal("the database is at schema version " + std::to_string(version) +
                            ", newer than this aihistory (" + std::to_string(LatestSchemaVersion()) +
                            "); upgrade aihistory");
  }
  for (int v = version + 1; v <= std::min(target_version, LatestSchemaVersion()); ++v) {
    AIH_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
    Status s = conn.Exec(Migrations()[v - 1]);
    if (s.ok()) s = conn.Exec("PRAGMA user_version = " + std::to_string(v));
    if (s.ok()) s = conn.Exec("COMMIT");
    if (!s.ok()) {
      conn.Exec("ROLLBACK");
      log::Error("migration_failed").Str("engine", "sqlite").Int("version", v).Str("error", s.message());
      return s.WithContext("schema migration " + std::to_string(v));
    }
    // An existing store brought forward (a new store's creation is not news).
    if (version > 0) log::Info("migration").Str("engine", "sqlite").Int("from", v - 1).Int("to", v);
  }
  return Status::Ok();
}

}  // namespace aih::store::sqlite
