#include "postgres_limits.h"

#include <chrono>
#include <cstdlib>

#include "store/postgres/connection.h"
#include "store/postgres/schema.h"

namespace aih::bench {
namespace {

using Clock = std::chrono::steady_clock;
using store::postgres::Connection;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void PutInt16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}
void PutInt32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void PutText(std::string& out, std::string_view text) {
  PutInt32(out, static_cast<uint32_t>(text.size()));
  out.append(text);
}
void PutText(std::string& out, const std::optional<std::string>& text) {
  if (text) PutText(out, std::string_view(*text)); else PutInt32(out, 0xffffffffu);
}
void PutInt64(std::string& out, int64_t value) {
  PutInt32(out, 8);
  uint64_t v = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// One tuple of the interactions table in COPY's binary format.
void AppendTuple(std::string& out, const store::ItemToWrite& r) {
  const model::Interaction& in = r.interaction;
  PutInt16(out, 13);
  PutText(out, std::string_view(r.tenant_id));
  PutText(out, std::string_view(r.user_id));
  PutText(out, std::string_view(in.id));
  PutInt64(out, in.created.ticks);
  PutText(out, std::string_view(in.app_class));
  PutText(out, std::string_view(model::ToString(in.interaction_type)));
  PutText(out, in.conversation_type);
  PutText(out, in.locale);
  PutText(out, in.session_id);
  PutText(out, in.request_id);
  PutInt64(out, static_cast<int64_t>(r.content_hash));
  PutInt64(out, 1);
  PutText(out, std::string_view(r.json));
}

Status CopyBatch(Connection& c, const std::vector<store::ItemToWrite>& rows, size_t begin, size_t end) {
  PGconn* pg = c.handle();
  AIH_RETURN_IF_ERROR(c.Exec("BEGIN"));
  PGresult* started = PQexec(pg,
                             "COPY interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
                             " conversation_type, locale, session_id, request_id, content_hash, version, json)"
                             " FROM STDIN (FORMAT binary)");
  const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
  PQclear(started);
  if (!copying) return Status::Internal(std::string("COPY did not start: ") + PQerrorMessage(pg));
  std::string data("PGCOPY\n\377\r\n\0", 11);
  PutInt32(data, 0);  // flags
  PutInt32(data, 0);  // header extension
  for (size_t i = begin; i < end; ++i) AppendTuple(data, rows[i]);
  PutInt16(data, 0xffff);  // trailer
  if (PQputCopyData(pg, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(pg, nullptr) != 1) {
    return Status::Internal(std::string("COPY failed: ") + PQerrorMessage(pg));
  }
  PGresult* done = PQgetResult(pg);
  const bool ok = PQresultStatus(done) == PGRES_COMMAND_OK;
  std::string error = ok ? "" : PQresultErrorMessage(done);
  PQclear(done);
  while (PGresult* more = PQgetResult(pg)) PQclear(more);
  if (!ok) {
    c.Exec("ROLLBACK");
    return Status::Internal("COPY failed: " + error);
  }
  return c.Exec("COMMIT");
}

}  // namespace

Result<double> PostgresRawCopy(const std::string& url, const std::vector<store::ItemToWrite>& rows, int batch) {
  auto conn = Connection::Open(url);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(store::postgres::Migrate(**conn));
  auto start = Clock::now();
  for (size_t i = 0; i < rows.size(); i += static_cast<size_t>(batch)) {
    AIH_RETURN_IF_ERROR(CopyBatch(**conn, rows, i, std::min(rows.size(), i + static_cast<size_t>(batch))));
  }
  return Seconds(start);
}

Result<double> PostgresRawSelect(const std::string& url, const std::string& tenant, const std::string& user,
                                 uint64_t* rows, uint64_t* bytes) {
  auto conn = Connection::Open(url);
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  store::postgres::Params p;
  p.Text(std::string_view(tenant)).Text(std::string_view(user));
  *rows = *bytes = 0;
  std::string sink;
  auto start = Clock::now();
  // One index-ordered scan, streamed through a cursor so that a million rows need not fit in memory.
  AIH_RETURN_IF_ERROR(c.Exec("BEGIN"));
  auto declared = c.Query(
      "DECLARE scan NO SCROLL CURSOR FOR SELECT json, user_id, id, created_ticks FROM interactions"
      " WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_ticks DESC, id DESC",
      p);
  if (!declared.ok()) return declared.status();
  for (;;) {
    auto chunk = c.Query("FETCH 10000 FROM scan");
    if (!chunk.ok()) return chunk.status();
    if (chunk->size() == 0) break;
    for (int r = 0; r < chunk->size(); ++r) {
      std::string_view json = chunk->Text(r, 0);
      sink.assign(json);  // the copy the export would make
      ++*rows;
      *bytes += json.size();
    }
  }
  AIH_RETURN_IF_ERROR(c.Exec("COMMIT"));
  return Seconds(start);
}

Result<std::string> CreateBenchSchema(const std::string& server_url, const std::string& name) {
  auto conn = Connection::Open(server_url);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR((*conn)->Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE"));
  AIH_RETURN_IF_ERROR((*conn)->Exec("CREATE SCHEMA " + name));
  return server_url + (server_url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name;
}

int64_t PostgresPendingChanges(const std::string& url) {
  auto conn = Connection::Open(url);
  if (!conn.ok()) return -1;
  auto result = (*conn)->Query("SELECT count(*) FROM changes");
  if (!result.ok() || result->size() != 1) return -1;
  return std::atoll(std::string(result->Text(0, 0)).c_str());
}

}  // namespace aih::bench
