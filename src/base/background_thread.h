// Background threads: work that must not slow requests down (notification delivery) runs at a lower
// CPU priority than the threads serving requests.
#pragma once

namespace aih {

// Lowers the calling thread's CPU priority (Linux: its own nice value, 10). On a busy machine the
// thread then gets the CPU the request threads leave; on an idle one it runs at full speed.
void RunInBackground();

}  // namespace aih
