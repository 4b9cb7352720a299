// RoutedChange: one change waiting in a subscription's outbox, and the payload format that keeps a
// batch of them (store::OutboxEntry::payload of kind kChanges).
//
// A routed change carries what the notification needs and nothing the receiver should not get: the
// change's seq (which makes the notification's id stable across redeliveries), its type, the owner,
// the interaction id, and for rich subscriptions the interaction's canonical JSON as it was when the
// change was routed (a later change gets its own notification). The payload is a JSON array.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/change_feed.h"

namespace aih::notify {

struct RoutedChange {
  int64_t seq = 0;
  store::ChangeType type = store::ChangeType::kCreated;
  std::string user_id;
  std::string interaction_id;
  std::string resource_json;  // rich subscriptions: the aiInteraction JSON; otherwise empty
};

// [{"seq":1,"type":"created","userId":"...","id":"...","data":"<JSON as a string>"?}, ...]
std::string WriteRoutedChanges(const std::vector<RoutedChange>& changes);
// kInternal when the payload is damaged (it is only ever written by WriteRoutedChanges).
Result<std::vector<RoutedChange>> ReadRoutedChanges(std::string_view payload);

}  // namespace aih::notify
