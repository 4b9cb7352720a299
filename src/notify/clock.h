// The notification worker judges expiry, leases and retries by the service's Clock (base/clock.h).
#pragma once

#include "base/clock.h"

namespace aih::notify {

using aih::Clock;
using aih::ManualClock;
using aih::SystemClock;

}  // namespace aih::notify
