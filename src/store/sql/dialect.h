// Dialect: what differs between the SQL engines, for SQL written once (sql/database.h).
//
// The stores write parameters as $1, $2, ... (PostgreSQL's spelling; SQLite reads ?1, ?2, ...) and
// take from here the few spellings that differ. What distributed PostgreSQL engines lack (advisory
// locks, LISTEN/NOTIFY, FOR UPDATE across shards: docs/scale-out.md) stays out of the shared SQL:
// a shared store that needs more than a row lock of one tenant's rows asks the dialect for it.
// Immutable; shared by every thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/search_sql.h"

namespace aih::store::sql {

struct Dialect {
  enum class Placeholder { kDollar, kQuestion };  // $1 (PostgreSQL) or ?1 (SQLite)
  std::string_view name;
  Placeholder placeholder;
  // The aggregate that joins text values with a separator: string_agg(x, sep) or group_concat(x, sep).
  std::string_view string_agg;
  // Appended to a SELECT inside a transaction to lock the rows it reads (" FOR UPDATE"), or empty
  // where every write transaction is serialised anyway (SQLite's single writer). Shared SQL only
  // ever locks rows of one tenant, which a table distributed by tenant keeps on one shard.
  std::string_view lock_rows;
  // A statement of one text parameter that serialises the transactions running it with the same
  // key until they end (PostgreSQL: an advisory lock on its hash), or empty where every write
  // transaction is serialised anyway. An engine without advisory locks needs another spelling here
  // (docs/scale-out.md).
  std::string_view serialise_key;
  // The same key taken shared: the transactions running it go on together, but never beside one
  // that took the key with serialise_key (PostgreSQL: the advisory lock, shared); empty with it.
  std::string_view serialise_key_shared;
  // Statements that bound how long the transaction's next lock waits may last (a fraction of a
  // second: PostgreSQL's lock_timeout, whose end is SQLSTATE 55P03), and that give them back their
  // usual bound; empty where serialise_key is.
  std::string_view bound_lock_waits;
  std::string_view unbound_lock_waits;
  // The full-text index a $search condition is written for (search_sql.h).
  FullTextEngine full_text;
  // Follows "FROM interactions" in a statement selecting rows by a list of keys (sql_deletion.cc's
  // KeysCondition: the pairs of JsonPairs): SQLite's planner, without statistics, may read the
  // tenant's whole time or key index for it (a retention batch then costs scans of the tenant)
  // unless told to look the keys up in the key index; PostgreSQL's does that unaided.
  std::string_view by_key;
  // The table function over the elements of a JSON array bound as one text parameter (a list of
  // ids or numbers in one statement, whatever its length), and the cast that parameter needs: its
  // elements are the text column `value` (JsonValues).
  std::string_view json_each;
  std::string_view json_param_cast;
  // What lease_until is set to for a change nobody holds (the change feed's Release).
  std::string_view no_lease;
  // Whether text must be valid UTF-8 without NUL characters (PostgreSQL refuses other text as a
  // parameter): a key that is not names nothing stored.
  bool text_is_utf8;
  // Whether a WITH may hold an INSERT or DELETE whose rows the statement reads (PostgreSQL's
  // data-modifying CTEs): then statements that must agree on which rows they touch are one statement,
  // one snapshot. An engine whose write transactions run side by side needs it (sql_deletion.cc);
  // SQLite, whose single writer sees nothing change between its statements, has none.
  bool modifying_with;
  // The table function over the elements of a JSON array bound as one text parameter, each element
  // the JSON column `value` (JsonPairs).
  std::string_view json_elements;

  // `neutral` with this engine's placeholders. A '$' inside a quoted literal or identifier is kept.
  std::string Spell(std::string_view neutral) const;
  // Whether this engine can store `text` (text_is_utf8), and so whether a key of it can name anything
  // stored: a key it cannot hold names nothing (not found, as on SQLite) rather than failing.
  bool CanHold(std::string_view text) const;
  // The n-th (1-based) parameter as this engine spells it: $n or ?n.
  std::string Parameter(int n) const { return (placeholder == Placeholder::kDollar ? "$" : "?") + std::to_string(n); }
  // "SELECT value FROM <json_each>(<param><json_param_cast>)": the elements of the JSON array bound
  // as `param` (JsonArray's text), a subquery for IN; numbers need CAST(value AS bigint).
  std::string JsonValues(std::string_view param) const;
  // "SELECT value->>0, value->>1 FROM ...": the pairs of the JSON array of two-string arrays bound as
  // `param` (JsonPairArray's text), for "(user_id, id) IN (...)". One parameter whatever the number
  // of keys: the statement is prepared and planned once, and looks each pair up in the key index
  // (a list of N pairs written out took PostgreSQL milliseconds to plan and a bitmap OR to run).
  std::string JsonPairs(std::string_view param) const;
};

// `values` as a JSON array of strings or numbers, for Dialect::JsonValues.
std::string JsonArray(const std::vector<std::string>& values);
std::string JsonArray(const std::vector<int64_t>& values);
// `pairs` as a JSON array of two-string arrays, for Dialect::JsonPairs.
std::string JsonPairArray(const std::vector<std::pair<std::string_view, std::string_view>>& pairs);

const Dialect& SqliteDialect();
const Dialect& PostgresDialect();

}  // namespace aih::store::sql
