#include "store/store_location.h"

namespace aih::store {

StoreLocation StoreLocation::Parse(const std::string& name) {
  StoreLocation at;
  if (name.rfind("postgresql://", 0) == 0 || name.rfind("postgres://", 0) == 0) {
    at.postgres = true;
    at.url = name;
  } else {
    at.directory = name.rfind("sqlite:", 0) == 0 ? name.substr(7) : name;
  }
  return at;
}

}  // namespace aih::store
