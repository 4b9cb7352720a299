#include "store/audit_log.h"

namespace aih::store {

const char* ToString(AuditActor actor) {
  switch (actor) {
    case AuditActor::kAdminKey: return "adminKey";
    case AuditActor::kAnonymous: return "anonymous";
    case AuditActor::kApp: return "app";
    case AuditActor::kUser: return "user";
    case AuditActor::kSystem: return "system";
    case AuditActor::kOperator: return "operator";
  }
  return "system";
}

namespace {

class UnkeptAuditLog final : public AuditLog {
 public:
  Status Append(const std::vector<AuditEntry>&) override { return Refuse(); }
  Status Page(const AuditQuery&, const std::function<bool(const AuditEntry&)>&) override { return Refuse(); }
  Result<int64_t> Expire(int64_t, int) override { return Refuse(); }

 private:
  static Status Refuse() { return Status::Unavailable("this store keeps no audit log"); }
};

}  // namespace

AuditLog& NoAuditLog() {
  static UnkeptAuditLog none;
  return none;
}

}  // namespace aih::store
