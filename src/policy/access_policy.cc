#include "policy/access_policy.h"

namespace aih::policy {

void ExportScope::ApplyTo(store::PageQuery& query) const {
  query.user_id = user_id;
  query.hidden_app_classes = hidden_app_classes;
  query.required_service_plan = required_service_plan;
}

}  // namespace aih::policy
