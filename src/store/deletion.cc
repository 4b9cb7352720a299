#include "store/deletion.h"

namespace aih::store {

const char* ToString(Deletion::Reason reason) {
  switch (reason) {
    case Deletion::Reason::kAdmin: return "admin";
    case Deletion::Reason::kErasure: return "erasure";
    case Deletion::Reason::kRetention: return "retention";
  }
  return "admin";
}

}  // namespace aih::store
