#include "server_thread.h"

#include <boost/asio/post.hpp>

namespace tradeplane::net {

void ServerThread::Start(boost::asio::io_context& io) {
  std::promise<void> finished;
  finished_ = finished.get_future();
  thread_ = std::thread([&io, finished = std::move(finished)]() mutable {
    while (true) {
      try {
        io.run();
        break;
      } catch (...) {
        // Keep serving; the handler that threw has been unwound.
      }
    }
    finished.set_value();
  });
}

void ServerThread::Stop(boost::asio::io_context& io, std::function<void()> begin_shutdown,
                        std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  boost::asio::post(io, std::move(begin_shutdown));
  if (finished_.wait_for(grace) != std::future_status::ready) io.stop();
  thread_.join();
}

}  // namespace tradeplane::net
