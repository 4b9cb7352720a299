#include "http/message.h"

namespace aih::http {

void Response::SetHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace aih::http
