#include "tradeplane/bus/poller.h"

#include <algorithm>

#include <zmq.hpp>

#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/core/clock.h"

#include "socket_handles.h"

namespace tradeplane::bus {

void Poller::Add(Subscriber& subscriber) {
  entries_.push_back({SubscriberHandle(subscriber), -1, [&subscriber] { subscriber.Poll(); }});
}

void Poller::Add(ReplyServer& server) {
  entries_.push_back({ReplyServerHandle(server), -1, [&server] { server.Poll(); }});
}

void Poller::AddFd(int fd, std::function<void()> on_readable) {
  entries_.push_back({nullptr, fd, std::move(on_readable)});
}

void Poller::AddTimer(std::chrono::milliseconds period, std::function<void()> fn) {
  int64_t p = std::chrono::duration_cast<std::chrono::nanoseconds>(period).count();
  timers_.push_back({p, MonotonicNanos() + p, std::move(fn)});
}

void Poller::AddWork(std::function<std::chrono::nanoseconds()> fn) {
  work_.push_back({std::move(fn), 0});
}

void Poller::RunOnce(std::chrono::milliseconds max_wait) {
  int64_t now = MonotonicNanos();
  int64_t wait_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(max_wait).count();
  for (const Timer& t : timers_) wait_ns = std::min(wait_ns, std::max<int64_t>(0, t.next_ns - now));
  for (const Work& w : work_) wait_ns = std::min(wait_ns, std::max<int64_t>(0, w.due_ns - now));
  std::vector<zmq::pollitem_t> items;
  items.reserve(entries_.size());
  for (const Entry& e : entries_) items.push_back({e.socket, e.fd, ZMQ_POLLIN, 0});
  try {
    // Round up so a timer due in 0.4 ms does not become a busy loop.
    zmq::poll(items.data(), items.size(),
              std::chrono::milliseconds((wait_ns + 999'999) / 1'000'000));
  } catch (const zmq::error_t&) {
    // EINTR (a signal): fall through to timers; the caller checks its stop flag.
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if ((items[i].revents & ZMQ_POLLIN) != 0) entries_[i].on_readable();
  }
  now = MonotonicNanos();
  for (Work& w : work_) {
    if (now < w.due_ns) continue;
    std::chrono::nanoseconds again = w.fn();
    w.due_ns =
        again == std::chrono::nanoseconds::max() ? INT64_MAX : MonotonicNanos() + again.count();
  }
  for (Timer& t : timers_) {
    if (now >= t.next_ns) {
      t.fn();
      // Skip missed periods rather than firing a burst after a stall.
      t.next_ns = std::max(t.next_ns + t.period_ns, now + 1);
    }
  }
}

void Poller::Run(const std::atomic<bool>& stop) {
  while (!stop.load()) RunOnce(std::chrono::milliseconds(100));
}

}  // namespace tradeplane::bus
