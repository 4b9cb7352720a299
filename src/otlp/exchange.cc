#include "otlp/exchange.h"

namespace aih::otlp {

bool Exchange::HasContent() const {
  for (const auto* messages : {&input, &output}) {
    for (const Message& m : *messages) {
      for (const MessagePart& p : m.parts) {
        if (!p.content.empty() || !p.arguments.empty() || !p.uri.empty()) return true;
        if (p.kind == MessagePart::Kind::kFile && !p.id.empty()) return true;
      }
    }
  }
  return false;
}

}  // namespace aih::otlp
