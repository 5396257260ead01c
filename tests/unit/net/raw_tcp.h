// Plain POSIX sockets for tests that must misbehave on purpose: a listener
// that never answers, a client that writes bytes that are not HTTP.
#ifndef TRADEPLANE_TESTS_UNIT_NET_RAW_TCP_H_
#define TRADEPLANE_TESTS_UNIT_NET_RAW_TCP_H_

#include <chrono>
#include <string>

namespace tradeplane::net::testing {

// Listens on 127.0.0.1 (port 0) and never accepts: connects succeed (the
// kernel completes them into the backlog) and then nothing is ever read or
// written.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Connects to 127.0.0.1:port, writes `bytes`, and returns everything read
// until the peer closes or `timeout` passes.
std::string RawExchange(int port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace tradeplane::net::testing

#endif  // TRADEPLANE_TESTS_UNIT_NET_RAW_TCP_H_
