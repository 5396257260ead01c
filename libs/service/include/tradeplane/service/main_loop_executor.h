// Runs work on a service's main loop from other threads (gRPC admin
// handlers): the service's state is owned by its loop, so admin calls post a
// task and wait for its result instead of taking locks on the hot path.
#ifndef TRADEPLANE_SERVICE_MAIN_LOOP_EXECUTOR_H_
#define TRADEPLANE_SERVICE_MAIN_LOOP_EXECUTOR_H_

#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>

#include "absl/status/statusor.h"

namespace tradeplane::service {

class MainLoopExecutor {
 public:
  MainLoopExecutor();
  ~MainLoopExecutor();
  MainLoopExecutor(const MainLoopExecutor&) = delete;
  MainLoopExecutor& operator=(const MainLoopExecutor&) = delete;

  // The descriptor the loop polls; readable when tasks wait.
  int fd() const { return fd_; }
  // Runs every waiting task; call on the loop when fd() is readable.
  void RunPending();

  // From any other thread: runs `fn` on the loop and returns its result, or
  // DEADLINE_EXCEEDED when the loop does not get to it in time (the task is
  // then skipped if it has not started).
  template <typename T>
  absl::StatusOr<T> Call(std::function<absl::StatusOr<T>()> fn,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto state = std::make_shared<CallState<T>>();
    state->fn = std::move(fn);
    std::future<absl::StatusOr<T>> result = state->promise.get_future();
    Post([state] {
      if (state->abandoned.exchange(true)) return;  // the caller gave up
      state->promise.set_value(state->fn());
    });
    if (result.wait_for(timeout) != std::future_status::ready) {
      if (!state->abandoned.exchange(true)) {
        return absl::DeadlineExceededError("the service's main loop did not answer in time");
      }
      return result.get();  // started just now: wait for it
    }
    return result.get();
  }

  void Post(std::function<void()> task);

 private:
  template <typename T>
  struct CallState {
    std::function<absl::StatusOr<T>()> fn;
    std::promise<absl::StatusOr<T>> promise;
    std::atomic<bool> abandoned{false};
  };
  int fd_;
  std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
};

}  // namespace tradeplane::service

#endif  // TRADEPLANE_SERVICE_MAIN_LOOP_EXECUTOR_H_
