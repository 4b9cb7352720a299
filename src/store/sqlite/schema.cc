#include "store/sqlite/schema.h"

#include "base/log.h"
#include "store/sql/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

namespace aih::store::sqlite {
namespace {

// How SQLite spells the DDL written once (sql/migrations.h).
const sql::DdlSpelling kSpelling{"TEXT", "TEXT", "INTEGER", "INTEGER", "INTEGER", "BLOB",
                                 "INTEGER PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT", " WITHOUT ROWID", "TEXT"};

std::string Ddl(const char* shared) { return sql::SpellDdl(kSpelling, shared); }

// Each entry is one migration; index 0 is version 1. The shared ones are described in
// sql/migrations.cc; those written here are this engine's own.
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
      Ddl(sql::ddl::kDirectory),  // 2
      // 3: the change feed becomes a queue that consumers claim (store/change_feed.h): a change is
      // pending until completed; claimed_by/lease_until (unix ms) say who holds it, and until when.
      R"sql(
      ALTER TABLE changes ADD COLUMN claimed_by TEXT;
      ALTER TABLE changes ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
      DROP TABLE change_consumers;
      )sql",
      Ddl(sql::ddl::kSigningKeys),  // 4
      // 5: change-notification subscriptions and their outbox (store/subscription_store.h).
      Ddl(sql::ddl::kSubscriptions) + R"sql(
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
      Ddl(sql::ddl::kUserAccess),    // 6
      Ddl(sql::ddl::kOnceKeys),      // 7
      Ddl(sql::ddl::kTlsVersion),    // 8
      // 9: full-text search: an FTS5 index over the search document, keyed by the row's rowid,
      // follows every insert, update and delete through triggers: in the write's transaction,
      // whichever statement removes a row. The index keeps no copy of the text (external content).
      Ddl(sql::ddl::kSearchTerms) + R"sql(
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
      Ddl(sql::ddl::kFilterIndexes),     // 10
      Ddl(sql::ddl::kVerifiableLog),     // 11
      Ddl(sql::ddl::kHoldsAndErasures),  // 12
      Ddl(sql::ddl::kRetention),         // 13
      // 14: the audit log; an UPDATE is refused by the trigger.
      Ddl(sql::ddl::kAuditLog) + R"sql(
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      )sql",
      Ddl(sql::ddl::kSlimLog),  // 15
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
      Ddl(sql::ddl::kHoldSearch),  // 17
      // 18: FTS5 merges eight segments of a level into one, not four: each batch's segment is then
      // rewritten by fewer merges as the index grows (log8 rather than log4 of its segments), which
      // was most of what indexing wrote. Readers see at most eight segments a level instead of four.
      R"sql(
      INSERT INTO interaction_search (interaction_search, rank) VALUES ('automerge', 8);
      )sql",
      // 19: the index's vocabulary, one row per occurrence, ordered by term: the terms a prefix
      // (`forecast*`) stands for are found by seeking in it (prefix_terms.h). A view over the
      // index: nothing is stored or rebuilt.
      R"sql(
      CREATE VIRTUAL TABLE interaction_search_vocab USING fts5vocab(interaction_search, instance);
      )sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> CurrentSchemaVersion(Connection& conn) {
  // Scoped to this call: a statement left open would lock the tables a migration drops.
  auto stmt = conn.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  Status status;
  const int version = stmt->Step(&status) ? static_cast<int>(stmt->Int(0)) : 0;
  if (!status.ok()) return status;
  return version;
}

Status Migrate(Connection& conn) { return MigrateTo(conn, LatestSchemaVersion()); }

Status MigrateTo(Connection& conn, int target_version) {
  AIH_ASSIGN_OR_RETURN(const int version, CurrentSchemaVersion(conn));
  static const sql::MigrationSpelling kSpelling{
      "sqlite", "BEGIN IMMEDIATE", [](int v) { return "PRAGMA user_version = " + std::to_string(v); }};
  return sql::ApplyMigrations([&](const std::string& sql) { return conn.Exec(sql); }, Migrations(), version,
                              target_version, kSpelling);
}

}  // namespace aih::store::sqlite
