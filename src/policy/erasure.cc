#include "policy/erasure.h"

#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/users.h"

namespace aih::policy {

Result<ErasureOutcome> Erase(store::Store& store, const ErasureRequest& request) {
  if (request.interaction_id && request.session_id) {
    return Status::BadRequest("name an interaction or a session to erase, not both");
  }
  auto owner = directory::InteractionOwner(store.directory(), request.tenant_id, request.user);
  if (!owner.ok()) return owner.status();
  store::Deletion deletion =
      request.interaction_id ? store::Deletion::One(request.tenant_id, *owner, *request.interaction_id)
      : request.session_id  ? store::Deletion::Session(request.tenant_id, *owner, *request.session_id)
                            : store::Deletion::User(request.tenant_id, *owner);
  deletion.reason = store::Deletion::Reason::kErasure;
  deletion.actor = request.actor;
  deletion.request_id = request.request_id;
  deletion.now_ms = request.now_ms;
  auto done = store.interactions().Delete(deletion);
  if (!done.ok()) return done.status();
  if (done->deleted == 0) {
    if (request.interaction_id) {
      return store::InteractionNotFound(*owner, *request.interaction_id);
    }
    auto known = directory::FindUser(store.directory(), request.tenant_id, *owner);
    if (!known.ok() && known.status().code() == Code::kNotFound) {
      return Status::NotFound("tenant " + request.tenant_id + " has no user " + *owner +
                              " and nothing is stored for that id: nothing to erase");
    }
    if (!known.ok()) return known.status();
  }
  return ErasureOutcome{*owner, done->deleted};
}

}  // namespace aih::policy
