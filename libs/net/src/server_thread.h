// The one thread a server runs its event loop on, and stopping it with a bound.
#ifndef TRADEPLANE_NET_SRC_SERVER_THREAD_H_
#define TRADEPLANE_NET_SRC_SERVER_THREAD_H_

#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include <boost/asio/io_context.hpp>

namespace tradeplane::net {

class ServerThread {
 public:
  // Runs `io` on a new thread until it runs out of work or is stopped. An
  // exception that escapes a handler is swallowed and the loop goes on: one
  // bad request must not take the server down.
  void Start(boost::asio::io_context& io);

  // Posts `begin_shutdown` to the loop (it should close the acceptor and the
  // connections, so the loop runs out of work), waits up to `grace` for the
  // loop to finish, then stops it and joins. Idempotent.
  void Stop(boost::asio::io_context& io, std::function<void()> begin_shutdown,
            std::chrono::milliseconds grace);

  [[nodiscard]] bool running() const { return thread_.joinable(); }

 private:
  std::thread thread_;
  std::future<void> finished_;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_SERVER_THREAD_H_
