// OTLP ingest through the real server: an SDK's gzip-compressed protobuf export is inflated and
// stored, and a span too large for the body limit (here 100 MB that compress to almost nothing) is
// refused with 413, storing nothing.
#include <gtest/gtest.h>

#include "integration_fixture.h"
#include "otlp/protobuf_encoder.h"
#include "support/store_engines.h"
#include "support/gzip.h"

namespace aih::testing {
namespace {

otlp::Attribute Attr(std::string key, std::string value) {
  otlp::AnyValue v;
  v.kind = otlp::AnyValue::Kind::kString;
  v.text = std::move(value);
  return {std::move(key), std::move(v)};
}

class OtlpTest : public ServerTest {
 protected:
  otlp::Telemetry Call(const std::string& question) {
    otlp::Telemetry t;
    t.resources.emplace_back();
    t.resources[0].resource = {Attr("service.name", demo_.first_party_app_class)};
    otlp::Span span;
    span.trace_id = std::string(16, '\x11');
    span.span_id = std::string(8, '\x22');
    span.name = "chat";
    span.start_time_unix_nano = 1767258000000000000ull;
    span.end_time_unix_nano = 1767258001000000000ull;
    span.attributes = {Attr("user.id", demo_.licensed_upn),
                       Attr("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" +
                                                         question + "\"}]}]"),
                       Attr("gen_ai.output.messages",
                            R"([{"role":"assistant","parts":[{"type":"text","content":"An answer."}]}])")};
    t.resources[0].spans.push_back(span);
    return t;
  }
  HttpResult Send(const std::string& body) {
    return client_->Send("POST", "/v1/traces",
                         {{"Authorization", "Bearer " + writer_token_},
                          {"Content-Type", "application/x-protobuf"},
                          {"Content-Encoding", "gzip"}},
                         body);
  }
};

TEST_P(OtlpTest, AGzipProtobufExportIsStored) {
  auto r = Send(Gzip(otlp::EncodeTracesProtobuf(Call("What changed in the hiring plan?"))));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "");
  auto page = Export();
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("What changed in the hiring plan?"), std::string::npos);
  EXPECT_NE(page.body.find("11111111111111111111111111111111-2222222222222222-prompt"), std::string::npos);
}

TEST_P(OtlpTest, AHundredMegabyteSpanIsRefusedWith413AndStoresNothing) {
  auto r = Send(Gzip(otlp::EncodeTracesProtobuf(Call("big " + std::string(100 << 20, 'x')))));
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 300);
  EXPECT_NE(r.body.find("inflates to more than"), std::string::npos) << r.body.substr(0, 300);
  auto page = Export();
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("2222222222222222"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, OtlpTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
