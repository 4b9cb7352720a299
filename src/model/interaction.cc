#include "model/interaction.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "base/utf8.h"

namespace aih::model {

const char* ToString(InteractionType type) {
  switch (type) {
    case InteractionType::kUserPrompt: return "userPrompt";
    case InteractionType::kAiResponse: return "aiResponse";
    case InteractionType::kUnknownFutureValue: return "unknownFutureValue";
  }
  return "unknownFutureValue";
}

Status CheckIndexedFields(const Interaction& interaction) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"appClass", &interaction.app_class},
      {"conversationType", interaction.conversation_type ? &*interaction.conversation_type : nullptr},
      {"locale", interaction.locale ? &*interaction.locale : nullptr},
      {"sessionId", interaction.session_id ? &*interaction.session_id : nullptr},
      {"requestId", interaction.request_id ? &*interaction.request_id : nullptr}};
  for (const auto& [name, value] : fields) {
    if (value == nullptr) continue;
    if (value->size() > kMaxKeyBytes) {
      return Status::BadRequest(std::string(name) + " is " + std::to_string(value->size()) + " bytes long; at most " +
                                std::to_string(kMaxKeyBytes) + " are allowed");
    }
    if (HasControlCharacter(*value)) return Status::BadRequest(std::string(name) + " must not contain control characters");
  }
  return Status::Ok();
}

const char* const kInteractionProperties[15] = {
    "id",
    "sessionId",
    "requestId",
    "appClass",
    "interactionType",
    "conversationType",
    "etag",
    "createdDateTime",
    "locale",
    "body",
    "from",
    "attachments",
    "contexts",
    "links",
    "mentions",
};

bool IsInteractionProperty(std::string_view name) {
  for (const char* property : kInteractionProperties) {
    if (name == property) return true;
  }
  return false;
}

namespace {

// 64 random bits per call. Each thread has its own generator, seeded from the OS and mixed with the
// thread and the clock so that two threads (or two processes sharing a poor random_device) differ.
uint64_t RandomBits() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{
        device(),
        device(),
        device(),
        device(),
        static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())),
        static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())};
    return std::mt19937_64(seed);
  }();
  return generator();
}

}  // namespace

void AssignId(Interaction& interaction) {
  if (!interaction.id.empty()) return;
  int64_t millis = interaction.created.UnixMillis();
  if (millis < 0) millis = 0;  // a '-' would sort before every digit and reverse the order
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%013lld-%016llx", static_cast<long long>(millis),
                        static_cast<unsigned long long>(RandomBits()));
  interaction.id.assign(buf, static_cast<size_t>(n));
}

}  // namespace aih::model
