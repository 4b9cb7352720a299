#include "api/otlp_resource.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "api/request_context.h"
#include "base/metrics.h"
#include "directory/users.h"
#include "ingest/pipeline.h"
#include "otlp/interaction_mapping.h"
#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"

namespace aih::api {
namespace {

struct OtlpMetrics {
  metrics::Family<metrics::Counter>& records = metrics::Registry::Default().AddCounterFamily(
      "aihistory_otlp_records_total",
      "Spans and log records received over OTLP, by what became of them: recorded (a model call stored), "
      "skipped (no model call), contentless (a model call without content), rejected.",
      {"signal", "outcome"});
};

OtlpMetrics& TheOtlpMetrics() {
  static OtlpMetrics metrics;
  return metrics;
}

enum class Encoding { kProtobuf, kJson };

Result<Encoding> EncodingOf(const http::Request& request) {
  std::string type(request.Header("content-type"));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  if (type == "application/x-protobuf" || type == "application/protobuf") return Encoding::kProtobuf;
  if (type == "application/json") return Encoding::kJson;
  return Status(Code::kUnsupportedMediaType, "Content-Type '" + type +
                                                 "' is not OTLP/HTTP: send application/x-protobuf or application/json");
}

// The writer's token: the Authorization header, or the api-key header exporters can be given.
std::string Credential(const http::Request& request) {
  std::string_view authorization = request.Header("authorization");
  if (!authorization.empty()) return std::string(authorization);
  std::string_view key = request.Header("api-key");
  if (key.empty()) key = request.Header("x-api-key");
  if (key.empty()) return {};
  if (key.size() > 7 && (key.substr(0, 7) == "Bearer " || key.substr(0, 7) == "bearer ")) return std::string(key);
  return "Bearer " + std::string(key);
}

// The appClass of a resource's calls: the writer's source named by service.name, or its only one.
class SourceChooser {
 public:
  SourceChooser(Context& ctx, const auth::Principal& writer) : ctx_(ctx), writer_(writer) {}

  Result<std::string> operator()(const otlp::Attributes& resource) {
    if (!sources_) sources_ = Load();
    if (!sources_->ok()) return sources_->status();
    const std::vector<store::Source>& mine = **sources_;
    if (mine.empty()) {
      return Status::Forbidden("application " + writer_.app_id +
                               " writes no registered source of this tenant: an administrator registers one with it "
                               "as a writer, and its OTLP telemetry is recorded under that appClass");
    }
    const std::string service = otlp::AttributeText(resource, "service.name");
    for (const store::Source& s : mine) {
      if (!service.empty() && (s.app_class == service || s.display_name == service)) return s.app_class;
    }
    if (mine.size() == 1) return mine.front().app_class;
    std::string names;
    for (const store::Source& s : mine) names += (names.empty() ? "'" : ", '") + s.app_class + "'";
    return Status::BadRequest("service.name '" + service + "' names none of the sources application " + writer_.app_id +
                              " writes (" + names + "): set OTEL_SERVICE_NAME to one of their appClasses or display names");
  }

 private:
  Result<std::vector<store::Source>> Load() {
    auto all = ctx_.store.directory().ListSources(writer_.tenant_id);
    if (!all.ok()) return all.status();
    std::vector<store::Source> mine;
    for (store::Source& s : *all) {
      if (std::find(s.writers.begin(), s.writers.end(), writer_.app_id) != s.writers.end()) mine.push_back(std::move(s));
    }
    return mine;
  }

  Context& ctx_;
  const auth::Principal& writer_;
  std::optional<Result<std::vector<store::Source>>> sources_;
};

// The prompts' sender as the directory knows them: the telemetry may name its user by UPN, and the
// export shows the object id and display name, as for any other writer's items. A user the directory
// does not know is left as named: the pipeline refuses the item, saying so.
void NameSenders(Context& ctx, const std::string& tenant_id, std::vector<model::ParsedItem>& items) {
  std::unordered_map<std::string, std::optional<store::DirectoryUser>> users;
  for (model::ParsedItem& parsed : items) {
    auto& from = parsed.item.interaction.from;
    if (!parsed.status.ok() || !from || !from->user || !from->user->id) continue;
    auto it = users.find(*from->user->id);
    if (it == users.end()) {
      auto found = directory::FindUser(ctx.store.directory(), tenant_id, *from->user->id);
      it = users.emplace(*from->user->id, found.ok() ? std::optional(std::move(*found)) : std::nullopt).first;
    }
    if (!it->second) continue;
    from->user->id = it->second->id;
    from->user->display_name = it->second->display_name;
    from->user->tenant_id = tenant_id;
  }
}

http::Response ExportTelemetry(Context& ctx, const http::Request& request, bool logs) {
  auto principal = Authenticate(ctx, request, Credential(request));
  if (!principal.ok()) return Fail(request, principal.status());
  Status allowed = ctx.policy.AuthorizeWriter(*principal);
  if (!allowed.ok()) return Fail(request, allowed);
  auto encoding = EncodingOf(request);
  if (!encoding.ok()) return Fail(request, encoding.status());

  Result<otlp::Telemetry> telemetry =
      *encoding == Encoding::kProtobuf
          ? (logs ? otlp::DecodeLogsProtobuf(request.body) : otlp::DecodeTracesProtobuf(request.body))
          : (logs ? otlp::DecodeLogsJson(request.body) : otlp::DecodeTracesJson(request.body));
  if (!telemetry.ok()) return Fail(request, telemetry.status());

  SourceChooser sources(ctx, *principal);
  otlp::AppClassOf app_class_of = [&sources](const otlp::Attributes& resource) { return sources(resource); };
  otlp::MappingOptions options;
  options.record_contentless = ctx.options.otlp_record_contentless;
  options.writer_app_id = principal->app_id;
  otlp::Mapping mapping = logs ? otlp::MapLogs(*telemetry, app_class_of, options)
                               : otlp::MapTraces(*telemetry, app_class_of, options);

  ingest::Attribution owner;
  owner.unnamed_refusal = "the call names no user: set user.id or enduser.id";
  size_t rejected = mapping.rejected;
  std::vector<std::string> why = mapping.rejections;
  size_t recorded = 0;
  if (!mapping.items.empty()) {
    NameSenders(ctx, principal->tenant_id, mapping.items);
    auto ingested = ingest::Ingest(ctx.store.interactions(), ctx.policy, ingest::Writer::Application(*principal), owner,
                                   std::move(mapping.items));
    // A directory that could not answer or a failed store write: the whole export is to be retried.
    if (!ingested.ok()) return Fail(request, ingested.status());
    std::vector<bool> refused(mapping.records_of_exchange.size(), false);
    for (size_t i = 0; i < ingested->items.size(); ++i) {
      const ingest::ItemReport& r = ingested->items[i];
      const size_t x = mapping.exchange_of_item[i];
      if (r.status.ok() || refused[x]) continue;
      refused[x] = true;
      rejected += mapping.records_of_exchange[x];
      if (why.size() < 10) why.push_back(mapping.name_of_exchange[x] + ": " + r.status.message());
    }
    for (size_t x = 0; x < refused.size(); ++x) {
      if (!refused[x]) recorded += mapping.records_of_exchange[x];
    }
    request.facts.AddItems(static_cast<int64_t>(ingested->written), static_cast<int64_t>(ingested->written_bytes));
  }

  OtlpMetrics& m = TheOtlpMetrics();
  const std::string signal = logs ? "logs" : "traces";
  m.records.With({signal, "recorded"}).Add(recorded);
  m.records.With({signal, "skipped"}).Add(mapping.not_genai);
  m.records.With({signal, "contentless"}).Add(mapping.contentless);
  m.records.With({signal, "rejected"}).Add(rejected);

  std::string message;
  if (rejected > 0) {
    message = std::to_string(rejected) + " of " + std::to_string(mapping.received) +
              (logs ? " log records" : " spans") + " rejected: ";
    for (size_t i = 0; i < why.size(); ++i) message += (i ? "; " : "") + why[i];
  }
  http::Response response;
  if (*encoding == Encoding::kProtobuf) {
    response.content_type = "application/x-protobuf";
    response.body = otlp::EncodePartialSuccessProtobuf(static_cast<int64_t>(rejected), message);
  } else {
    response.content_type = "application/json";
    response.body = otlp::EncodePartialSuccessJson(logs, static_cast<int64_t>(rejected), message);
  }
  return response;
}

}  // namespace

void AddOtlpRoutes(http::Router& router, Context& ctx) {
  TheOtlpMetrics();
  router.Add("POST", "/v1/traces", [&ctx](const http::Request& r, const http::PathParams&) { return ExportTelemetry(ctx, r, false); });
  router.Add("POST", "/v1/logs", [&ctx](const http::Request& r, const http::PathParams&) { return ExportTelemetry(ctx, r, true); });
}

}  // namespace aih::api
