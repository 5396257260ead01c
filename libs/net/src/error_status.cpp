#include "error_status.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

absl::Status ErrorToStatus(const boost::system::error_code& ec, std::string_view what,
                           std::string_view where, std::string_view step) {
  std::string message = StrCat(what, " ", where, ": ", step, ": ", ec.message());
  if (ec == beast::error::timeout || ec == asio::error::timed_out) {
    return absl::DeadlineExceededError(message);
  }
  if (ec == beast::http::error::body_limit || ec == beast::http::error::header_limit ||
      ec == beast::http::error::buffer_overflow || ec == beast::websocket::error::message_too_big ||
      ec == beast::websocket::error::buffer_overflow) {
    return absl::ResourceExhaustedError(message);
  }
  return absl::UnavailableError(message);
}

bool IsConnectionLost(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == beast::http::error::end_of_stream ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

}  // namespace tradeplane::net
