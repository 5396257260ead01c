#include "tradeplane/service/main_loop_executor.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace tradeplane::service {

MainLoopExecutor::MainLoopExecutor() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

MainLoopExecutor::~MainLoopExecutor() {
  if (fd_ >= 0) close(fd_);
}

void MainLoopExecutor::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  uint64_t one = 1;
  (void)!write(fd_, &one, sizeof(one));
}

void MainLoopExecutor::RunPending() {
  uint64_t count;
  (void)!read(fd_, &count, sizeof(count));
  std::deque<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks.swap(tasks_);
  }
  for (auto& t : tasks) t();
}

}  // namespace tradeplane::service
