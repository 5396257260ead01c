// Driving a private io_context synchronously, with a deadline: how the
// synchronous clients wait for one asynchronous operation at a time.
#ifndef TRADEPLANE_NET_SRC_IO_WAIT_H_
#define TRADEPLANE_NET_SRC_IO_WAIT_H_

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace tradeplane::net {

using SteadyTime = std::chrono::steady_clock::time_point;

// Runs `io` until `done()` holds or `deadline` passes; returns `done()`.
// Handlers left pending stay pending (a WebSocket read that outlives one
// Receive call). Call on the thread that owns `io`.
inline bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     SteadyTime deadline) {
  if (io.stopped()) io.restart();
  while (!done()) {
    if (io.run_one_until(deadline) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) break;
      // Out of work although `done` is unset: nothing more can happen.
      if (io.stopped()) break;
    }
  }
  return done();
}

enum class WaitResult { kDone, kDeadline };

// RunUntil; at the deadline calls `abort` (which must make the pending
// operation complete, typically by closing the socket) and runs `io` until
// `done()` holds, so that no handler is left referring to the caller's stack.
inline WaitResult RunUntilOrAbort(boost::asio::io_context& io, const std::function<bool()>& done,
                                  SteadyTime deadline, const std::function<void()>& abort) {
  if (RunUntil(io, done, deadline)) return WaitResult::kDone;
  abort();
  if (io.stopped()) io.restart();
  while (!done()) {
    if (io.run_one() == 0) break;  // out of work: nothing more can happen
  }
  return WaitResult::kDeadline;
}

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_IO_WAIT_H_
