// Writer: who writes a batch of interactions, which decides the directory checks its items pass
// (ingest/pipeline.h) and whose items carry no owner.
//
// Three kinds of writer feed the one pipeline:
//  - an application holding a writer token (the HTTP write path; later OTLP): each item passes the
//    AccessPolicy's AuthorizeItems, as the writer of a registered source of its tenant;
//  - an operator holding the database itself (`aihistory import`): the same checks without the
//    writer one (AccessPolicy::CheckItem), and an item imported from an export keeps its etag;
//  - the service's own generator (`aihistory seed`, `demo-setup`), writing a synthetic history into
//    a directory the command has just registered for it: no directory check.
// A Writer is a small value; an application's refers to its Principal, which must outlive it.
#pragma once

#include <string>

#include "auth/principal.h"

namespace aih::ingest {

// Who owns the items of a batch that carry no "@aihistory.userId".
struct Attribution {
  std::string user_id;  // the owner of such items; empty: none, they are refused with `unnamed_refusal`
  // The owner was named by the request itself (the user in an HTTP path): an item naming another
  // owner is refused rather than written to either.
  bool binding = false;
  // Why an item naming no owner is refused when there is no user_id, in the caller's terms (what to
  // add, where to post, which option to pass).
  std::string unnamed_refusal;
};

class Writer {
 public:
  enum class Kind { kApplication, kOperator, kGenerator };

  // An application with a token; the caller has already checked that it may write at all
  // (AccessPolicy::AuthorizeWriter).
  static Writer Application(const auth::Principal& principal) {
    return Writer(Kind::kApplication, principal.tenant_id, &principal);
  }
  // Whoever runs `aihistory import` into tenant `tenant_id`.
  static Writer Operator(std::string tenant_id) { return Writer(Kind::kOperator, std::move(tenant_id), nullptr); }
  // The synthetic history of `seed` and `demo-setup` in tenant `tenant_id`.
  static Writer Generator(std::string tenant_id) { return Writer(Kind::kGenerator, std::move(tenant_id), nullptr); }

  Kind kind() const { return kind_; }
  const std::string& tenant_id() const { return tenant_id_; }
  const auth::Principal* principal() const { return principal_; }  // the application's; else null

 private:
  Writer(Kind kind, std::string tenant_id, const auth::Principal* principal)
      : kind_(kind), tenant_id_(std::move(tenant_id)), principal_(principal) {}

  Kind kind_;
  std::string tenant_id_;
  const auth::Principal* principal_;
};

}  // namespace aih::ingest
