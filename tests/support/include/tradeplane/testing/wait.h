// Waiting on a condition with a deadline: tests never sleep and hope.
#ifndef TRADEPLANE_TESTING_WAIT_H_
#define TRADEPLANE_TESTING_WAIT_H_

#include <chrono>
#include <functional>

namespace tradeplane::testing {

// Polls `condition` (every millisecond, backing off to 20 ms) until it is true
// or `timeout` passes. Returns the last value of `condition`.
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A free TCP port on the loopback interface (bound, read and released).
int FreeTcpPort();

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_WAIT_H_
