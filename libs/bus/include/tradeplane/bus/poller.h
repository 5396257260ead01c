// Poller: a service's event loop. Blocks in zmq_poll (never busy-polls: on
// two cores a spinning loop starves the other processes) until a socket or a
// file descriptor is readable or a timer is due, then handles it.
#ifndef TRADEPLANE_BUS_POLLER_H_
#define TRADEPLANE_BUS_POLLER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <vector>

namespace tradeplane::bus {

class Subscriber;
class ReplyServer;

class Poller {
 public:
  void Add(Subscriber& subscriber);
  void Add(ReplyServer& server);
  // Calls `on_readable` when the descriptor is readable (e.g. a wake-up pipe).
  void AddFd(int fd, std::function<void()> on_readable);
  // Calls `fn` every `period` (first after one period), on the loop's thread.
  void AddTimer(std::chrono::milliseconds period, std::function<void()> fn);
  // Work that is not a socket (a file replay): `fn` does a slice of it and
  // returns how long until it wants to run again — zero while it has more to
  // do now (the loop then does not block), Duration::max() when idle.
  void AddWork(std::function<std::chrono::nanoseconds()> fn);

  // Waits at most `max_wait` for work, handles what is ready, runs due timers.
  void RunOnce(std::chrono::milliseconds max_wait = std::chrono::milliseconds(100));
  // RunOnce until `stop` is set; notices it within 100 ms.
  void Run(const std::atomic<bool>& stop);

 private:
  struct Entry {
    void* socket = nullptr;
    int fd = -1;
    std::function<void()> on_readable;
  };
  struct Timer {
    int64_t period_ns;
    int64_t next_ns;
    std::function<void()> fn;
  };
  struct Work {
    std::function<std::chrono::nanoseconds()> fn;
    int64_t due_ns = 0;
  };
  std::vector<Entry> entries_;
  std::vector<Timer> timers_;
  std::vector<Work> work_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_POLLER_H_
