#include "store/retention_store.h"

namespace aih::store {

const char* ToString(RetentionPolicy::Action action) {
  switch (action) {
    case RetentionPolicy::Action::kRetain: return "retain";
    case RetentionPolicy::Action::kDelete: return "delete";
    case RetentionPolicy::Action::kRetainThenDelete: return "retainThenDelete";
  }
  return "delete";
}

const char* ToString(RetentionPolicy::Party party) {
  switch (party) {
    case RetentionPolicy::Party::kAll: return "all";
    case RetentionPolicy::Party::kFirstParty: return "first-party";
    case RetentionPolicy::Party::kThirdParty: return "third-party";
  }
  return "all";
}

}  // namespace aih::store
