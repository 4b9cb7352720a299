// Fuzzes the reader of writer JSON (ReadBatch, both modes) and checks, for every item it accepts,
// that the canonical JSON reads back to the same interaction and the same bytes: the write path
// stores WriteInteraction's output once and re-reads it on import, so a value that does not round
// trip would be silently altered. Every message must also be valid UTF-8 (it ends up in a JSON
// error body).
//
// Build: CXX=clang++ cmake -S . -B build-fuzz -DAIH_FUZZ=ON -DAIH_TESTS=OFF
//        cmake --build build-fuzz --target interaction_reader_fuzzer
// Run:   build-fuzz/interaction_reader_fuzzer -max_total_time=60
// tests/fuzz/corpus/interaction_reader
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "model/interaction.h"
#include "model/interaction_reader.h"
#include "model/interaction_writer.h"

namespace {

using aih::Result;
using aih::Status;
using namespace aih::model;

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "interaction_reader_fuzzer: %s\n%.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void CheckMessage(const Status& status) {
  if (!status.ok() && (status.message().empty() || !aih::IsUtf8(status.message()))) {
    Fail("a refusal without a valid UTF-8 message", status.message());
  }
}

void CheckRoundTrip(WriteItem item) {
  if (!item.interaction.etag.empty()) {
    Fail("the reader kept a writer's etag", item.interaction.etag);
  }
  AssignId(item.interaction);  // as the ingest layer does before it writes: "id":"" is refused
  const std::string json = WriteInteraction(item.interaction);
  const std::string annotated =
      item.user_id.empty() ? json : PrependAnnotation(json, "@aihistory.userId", item.user_id);
  Result<WriteItem> back = ReadItem(annotated);
  if (!back.ok()) Fail(("canonical JSON refused: " + back.status().message()).c_str(), annotated);
  if (!(back->interaction == item.interaction)) Fail("round trip changed the interaction", json);
  if (back->user_id != item.user_id) Fail("round trip changed the owner", annotated);
  if (WriteInteraction(back->interaction) != json) {
    Fail("canonical JSON is not a fixed point", json);
  }
  // Stored JSON keeps its etag (here the id: an item written before it was ever modified).
  Result<WriteItem> stored = ReadStoredItem(json);
  if (!stored.ok() || stored->interaction.etag != item.interaction.id) {
    Fail("stored JSON did not keep its etag", json);
  }
  stored->interaction.etag.clear();
  if (!(stored->interaction == item.interaction)) Fail("stored JSON read back differently", json);
}

void Check(std::string_view body, bool ndjson) {
  ReaderLimits limits;
  limits.max_items = 64;
  Result<ParsedBatch> batch = ReadBatch(body, ndjson, limits);
  CheckMessage(batch.status());
  if (!batch.ok()) return;
  if (batch->items.empty() || batch->items.size() > limits.max_items) {
    Fail("a batch outside 1..max_items was accepted", body);
  }
  for (const ParsedItem& parsed : batch->items) {
    CheckMessage(parsed.status);
    if (parsed.status.ok()) CheckRoundTrip(parsed.item);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  Check(body, false);
  Check(body, true);
  return 0;
}
