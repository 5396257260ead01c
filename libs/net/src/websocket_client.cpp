#include "tradeplane/net/websocket_client.h"

#include <deque>
#include <optional>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/url.h"

#include "absl/status/status.h"
#include "beast_convert.h"
#include "dial.h"

namespace tradeplane::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;

using PlainSocket = websocket::stream<beast::tcp_stream>;
using TlsSocket = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace

class WebSocketClient::Impl {
 public:
  explicit Impl(WebSocketClientOptions options)
      : options_(std::move(options)), io_(std::make_unique<asio::io_context>()) {}

  ~Impl() { Teardown(); }

  absl::Status Connect(std::string_view url_text, std::chrono::milliseconds timeout) {
    if (is_open()) {
      return absl::FailedPreconditionError(
          StrCat("WebSocket connect ", url_text, ": already connected to ", endpoint_));
    }
    Teardown();
    open_ = false;
    ended_ = false;
    inbox_.clear();
    absl::StatusOr<Url> url = ParseUrl(url_text);
    if (!url.ok()) return url.status();
    if (url->scheme != "ws" && url->scheme != "wss") {
      return absl::InvalidArgumentError(
          StrCat("WebSocket connect ", url->Endpoint(), ": scheme must be ws or wss"));
    }
    endpoint_ = url->Endpoint();
    ClientCall call{"WebSocket connect", endpoint_, timeout,
                    std::chrono::steady_clock::now() + timeout};
    refused_status_ = 0;
    close_info_ = WebSocketCloseInfo{1006, "never connected"};
    if (url->tls()) {
      if (tls_ == nullptr) {
        absl::StatusOr<std::unique_ptr<ssl::context>> context = MakeClientTlsContext(options_.tls);
        if (!context.ok()) {
          return absl::Status(context.status().code(),
                              StrCat(call.what, " ", call.where, ": ", context.status().message()));
        }
        tls_ = std::move(*context);
      }
      secure_.emplace(*io_, *tls_);
    } else {
      plain_.emplace(*io_);
    }
    absl::Status status = DialTcp(*io_, beast::get_lowest_layer(Lowest()), *url, call);
    if (status.ok() && secure_) {
      status = HandshakeTls(*io_, secure_->next_layer(), *url, options_.tls.verify_peer, call);
    }
    if (status.ok()) {
      status = secure_ ? Handshake(*secure_, *url, call) : Handshake(*plain_, *url, call);
    }
    if (!status.ok()) {
      Teardown();
      return status;
    }
    open_ = true;
    ended_ = false;
    close_info_ = WebSocketCloseInfo{1006, "open"};
    if (secure_) {
      StartRead(*secure_);
    } else {
      StartRead(*plain_);
    }
    return absl::OkStatus();
  }

  absl::Status SendText(std::string_view text, std::chrono::milliseconds timeout) {
    if (absl::Status s = CheckUsable("send"); !s.ok()) return s;
    ClientCall call{"WebSocket send", endpoint_, timeout,
                    std::chrono::steady_clock::now() + timeout};
    bool done = false;
    beast::error_code ec;
    auto write = [&](auto& ws) {
      ws.text(true);
      ws.async_write(asio::buffer(text.data(), text.size()), [&](beast::error_code e, size_t) {
        ec = e;
        done = true;
      });
    };
    if (secure_) {
      write(*secure_);
    } else {
      write(*plain_);
    }
    if (RunUntilOrAbort(
            *io_, [&] { return done; }, call.deadline, [&] { Abort("send timed out"); }) ==
        WaitResult::kDeadline) {
      return call.TimedOut("sending (the connection is closed)");
    }
    if (ec) {
      Abort(StrCat("send failed: ", ec.message()));
      return call.Failed(ec, "send");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Receive(std::chrono::milliseconds timeout) {
    if (inbox_.empty() && !ended_ && open_) {
      RunUntil(
          *io_, [&] { return !inbox_.empty() || ended_; },
          std::chrono::steady_clock::now() + timeout);
    }
    if (!inbox_.empty()) {
      std::string message = std::move(inbox_.front());
      inbox_.pop_front();
      return message;
    }
    if (absl::Status s = CheckUsable("receive"); !s.ok()) return s;
    return absl::DeadlineExceededError(
        StrCat("WebSocket receive ", endpoint_, ": no message within ", timeout.count(), " ms"));
  }

  absl::Status Close(std::chrono::milliseconds timeout) {
    if (!is_open()) {
      Teardown();
      return absl::OkStatus();
    }
    ClientCall call{"WebSocket close", endpoint_, timeout,
                    std::chrono::steady_clock::now() + timeout};
    bool done = false;
    beast::error_code ec;
    auto close = [&](auto& ws) {
      ws.async_close(websocket::close_code::normal, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
    };
    if (secure_) {
      close(*secure_);
    } else {
      close(*plain_);
    }
    absl::Status status = absl::OkStatus();
    if (RunUntilOrAbort(
            *io_, [&] { return done; }, call.deadline, [&] { Abort("close timed out"); }) ==
        WaitResult::kDeadline) {
      status = call.TimedOut("waiting for the server's close frame (the socket is closed)");
    } else if (ec && ec != websocket::error::closed && ec != asio::error::operation_aborted) {
      status = call.Failed(ec, "close");
    }
    // The pending read ends with the close; wait for it, then let go.
    RunUntil(
        *io_, [&] { return !read_pending_; }, call.deadline);
    if (!ended_) {
      ended_ = true;
      close_info_ = WebSocketCloseInfo{1000, "closed by the client"};
    }
    Teardown();
    return status;
  }

  bool is_open() const { return open_ && !ended_; }
  const WebSocketCloseInfo& close_info() const { return close_info_; }
  int refused_status() const { return refused_status_; }

  // After an exception: drop the connection and the event loop with its
  // pending handlers, unrun.
  void Reset() {
    plain_.reset();
    secure_.reset();
    io_ = std::make_unique<asio::io_context>();
    open_ = false;
    ended_ = true;
    read_pending_ = false;
    inbox_.clear();
  }

 private:
  beast::tcp_stream& Lowest() {
    return secure_ ? beast::get_lowest_layer(*secure_) : beast::get_lowest_layer(*plain_);
  }

  absl::Status CheckUsable(std::string_view step) const {
    if (ended_ && !endpoint_.empty() && open_) {
      return absl::UnavailableError(
          StrCat("WebSocket ", step, " ", endpoint_, ": connection closed: code ", close_info_.code,
                 close_info_.reason.empty() ? "" : ": ", close_info_.reason));
    }
    if (!open_) {
      return absl::FailedPreconditionError(StrCat("WebSocket ", step, ": not connected"));
    }
    return absl::OkStatus();
  }

  template <class Ws>
  absl::Status Handshake(Ws& ws, const Url& url, const ClientCall& call) {
    ws.read_message_max(options_.max_message_bytes);
    HttpHeaders extra = options_.headers;
    ws.set_option(websocket::stream_base::decorator([extra](websocket::request_type& request) {
      request.set(http::field::user_agent, "tradeplane");
      for (const auto& [name, value] : extra.fields()) {
        request.set(ToBeast(name), ToBeast(value));
      }
    }));
    bool done = false;
    beast::error_code ec;
    websocket::response_type response;
    ws.async_handshake(response, url.host_header(), url.target(), [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    if (RunUntilOrAbort(
            *io_, [&] { return done; }, call.deadline, [&] { CloseSocket(Lowest()); }) ==
        WaitResult::kDeadline) {
      return call.TimedOut("in the WebSocket handshake");
    }
    if (ec == websocket::error::upgrade_declined) {
      refused_status_ = static_cast<int>(response.result_int());
      return absl::UnavailableError(StrCat(call.what, " ", call.where,
                                           ": the server refused the upgrade with HTTP ",
                                           refused_status_, " ", FromBeast(response.reason()),
                                           response.body().empty() ? "" : ": ", response.body()));
    }
    if (ec) return call.Failed(ec, "WebSocket handshake");
    return absl::OkStatus();
  }

  // Keeps one read outstanding for the life of the connection; messages
  // queue in inbox_ while the caller's calls run the event loop (this is also
  // when pings get their pongs).
  template <class Ws>
  void StartRead(Ws& ws) {
    read_pending_ = true;
    ws.async_read(read_buffer_, [this, &ws](beast::error_code ec, size_t) {
      read_pending_ = false;
      if (ec) {
        if (!ended_) {
          ended_ = true;
          if (ec == websocket::error::closed) {
            close_info_ = WebSocketCloseInfo{static_cast<int>(ws.reason().code),
                                             std::string(ws.reason().reason.c_str())};
          } else {
            close_info_ = WebSocketCloseInfo{1006, ec.message()};
          }
        }
        return;
      }
      inbox_.push_back(beast::buffers_to_string(read_buffer_.data()));
      read_buffer_.consume(read_buffer_.size());
      StartRead(ws);
    });
  }

  // Ends the connection from our side without a close handshake.
  void Abort(std::string why) {
    if (!ended_) {
      ended_ = true;
      close_info_ = WebSocketCloseInfo{1006, std::move(why)};
    }
    if (plain_ || secure_) CloseSocket(Lowest());
  }

  // Closes the socket, lets the pending read finish, destroys the stream.
  void Teardown() {
    if (plain_ || secure_) {
      CloseSocket(Lowest());
      if (io_->stopped()) io_->restart();
      while (read_pending_) {
        if (io_->run_one() == 0) break;
      }
      // Anything else queued (a cancelled timer, a finished write) runs now.
      io_->restart();
      io_->poll();
    }
    read_pending_ = false;
    plain_.reset();
    secure_.reset();
    read_buffer_.clear();
    if (open_ && !ended_) {
      ended_ = true;
      close_info_ = WebSocketCloseInfo{1006, "closed by the client"};
    }
  }

  WebSocketClientOptions options_;
  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<ssl::context> tls_;  // made on the first wss connect
  std::optional<PlainSocket> plain_;
  std::optional<TlsSocket> secure_;
  beast::flat_buffer read_buffer_;
  std::deque<std::string> inbox_;
  std::string endpoint_;
  bool open_ = false;   // a connection was established (and not torn down for a new one)
  bool ended_ = false;  // ...and it has ended
  bool read_pending_ = false;
  int refused_status_ = 0;
  WebSocketCloseInfo close_info_;
};

WebSocketClient::WebSocketClient() : WebSocketClient(WebSocketClientOptions()) {}
WebSocketClient::WebSocketClient(WebSocketClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
WebSocketClient::~WebSocketClient() = default;

namespace {
// Nothing throws out of the library: an exception becomes INTERNAL, and the
// connection, whose handlers may refer to unwound frames, is dropped.
template <class F, class Reset>
auto Guard(std::string_view what, F&& f, Reset&& reset) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    reset();
    return absl::InternalError(StrCat("WebSocket ", what, ": unexpected exception: ", e.what()));
  } catch (...) {
    reset();
    return absl::InternalError(StrCat("WebSocket ", what, ": unexpected exception"));
  }
}
}  // namespace

absl::Status WebSocketClient::Connect(std::string_view url, std::chrono::milliseconds timeout) {
  return Guard(
      "connect", [&] { return impl_->Connect(url, timeout); }, [&] { impl_->Reset(); });
}
absl::Status WebSocketClient::SendText(std::string_view text, std::chrono::milliseconds timeout) {
  return Guard(
      "send", [&] { return impl_->SendText(text, timeout); }, [&] { impl_->Reset(); });
}
absl::StatusOr<std::string> WebSocketClient::Receive(std::chrono::milliseconds timeout) {
  return Guard(
      "receive", [&] { return impl_->Receive(timeout); }, [&] { impl_->Reset(); });
}
absl::Status WebSocketClient::Close(std::chrono::milliseconds timeout) {
  return Guard(
      "close", [&] { return impl_->Close(timeout); }, [&] { impl_->Reset(); });
}
bool WebSocketClient::is_open() const { return impl_->is_open(); }
const WebSocketCloseInfo& WebSocketClient::close_info() const { return impl_->close_info(); }
int WebSocketClient::refused_status() const { return impl_->refused_status(); }

}  // namespace tradeplane::net
