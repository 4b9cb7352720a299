#include "base/env.h"

#include <openssl/rand.h>

#include <climits>

namespace aih {
namespace {

class SystemEnv final : public Env {
 public:
  const Clock& clock() const override { return clock_; }
  bool Random(unsigned char* out, size_t n) override {
    while (n > 0) {  // RAND_bytes takes an int
      const int chunk = n > INT_MAX ? INT_MAX : static_cast<int>(n);
      if (RAND_bytes(out, chunk) != 1) return false;
      out += chunk;
      n -= static_cast<size_t>(chunk);
    }
    return true;
  }

 private:
  SystemClock clock_;
};

}  // namespace

Env& Env::Default() {
  static SystemEnv* env = new SystemEnv;  // never destroyed: threads may ask it while the process exits
  return *env;
}

}  // namespace aih
