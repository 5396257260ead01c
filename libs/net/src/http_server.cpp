#include "tradeplane/net/http_server.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"
#include "acceptor.h"
#include "beast_convert.h"
#include "server_thread.h"
#include "tls_context.h"

namespace tradeplane::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr std::chrono::milliseconds kStopGrace{2000};
constexpr std::chrono::milliseconds kTlsShutdownTimeout{1000};
constexpr std::chrono::milliseconds kLingerTimeout{1000};

// What a server-wide shutdown needs from a session, whatever its stream type.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void OnServerStop() = 0;
};

struct ServerShared {
  HttpServerOptions options;
  HttpServer::Handler handler;
  std::unique_ptr<ssl::context> tls;
  bool stopping = false;  // set on the server's thread
};

// The status a request that failed to parse gets, or 0 when the connection
// should just close (the peer left, or said nothing in time).
int StatusForReadError(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  // Socket, TLS and timeout errors, the peer leaving mid-request: no answer.
  if (ec.category() != beast::error_code(http::error::bad_version).category()) return 0;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  return 400;  // any other parse error: not HTTP
}

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(Stream stream, ServerShared& shared, std::string remote)
      : stream_(std::move(stream)),
        shared_(shared),
        remote_(std::move(remote)),
        delay_timer_(stream_.get_executor()) {}

  void Start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(shared_.options.idle_timeout);
      stream_.async_handshake(ssl::stream_base::server, buffer_.data(),
                              [self = this->shared_from_this()](beast::error_code ec, size_t used) {
                                self->buffer_.consume(used);
                                if (ec) return self->CloseNow();
                                self->ReadHeader();
                              });
    } else {
      ReadHeader();
    }
  }

  void OnServerStop() override {
    // A response being written finishes; a connection waiting for a request,
    // or holding back a delayed (fault-injected) answer, closes.
    if (state_ != State::kAnswering) CloseNow();
  }

 private:
  enum class State { kReading, kDelaying, kAnswering, kClosed };

  void ReadHeader() {
    if (shared_.stopping) return CloseNow();
    state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(std::min<size_t>(shared_.options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(shared_.options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(shared_.options.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    auto& message = parser_->get();
    auto expect = message[http::field::expect];
    if (beast::iequals(expect, "100-continue") && !parser_->is_done()) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                        message.version());
      http::async_write(stream_, *interim,
                        [self = this->shared_from_this(), interim](beast::error_code e, size_t) {
                          if (e) return self->CloseNow();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->OnRequest();
                     });
  }

  void OnReadError(beast::error_code ec) {
    int status = StatusForReadError(ec);
    if (status == 0) return CloseNow();
    HttpResponse response =
        HttpResponse::Text(status, StrCat(HttpReasonPhrase(status), ": ", ec.message(), "\n"));
    Write(std::move(response), /*keep_alive=*/false, /*head=*/false, 11);
  }

  void OnRequest() {
    state_ = State::kAnswering;
    beast::get_lowest_layer(stream_).expires_never();
    http::request<http::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(FromBeast(message.method_string()));
    SplitTarget(FromBeast(message.target()), &request);
    request.headers = ToHeaders(message.base());
    request.body = std::move(message.body());
    request.remote_address = remote_;
    request.version = static_cast<int>(message.version());

    HttpResponse response;
    try {
      response = shared_.handler(request);
    } catch (const std::exception& e) {
      response = HttpResponse::Text(500, StrCat("handler failed: ", e.what(), "\n"));
    } catch (...) {
      response = HttpResponse::Text(500, "handler failed\n");
    }
    if (response.drop_connection) return CloseNow();
    bool keep_alive = message.keep_alive() && !shared_.stopping;
    if (std::optional<std::string_view> connection = response.headers.Get("Connection")) {
      if (beast::iequals(ToBeast(*connection), "close")) keep_alive = false;
    }
    bool head = message.method() == http::verb::head;
    int version = static_cast<int>(message.version());
    if (response.delay.count() > 0) {
      state_ = State::kDelaying;
      delay_timer_.expires_after(response.delay);
      delay_timer_.async_wait([self = this->shared_from_this(), response = std::move(response),
                               keep_alive, head, version](beast::error_code ec) mutable {
        if (ec) return self->CloseNow();
        self->Write(std::move(response), keep_alive, head, version);
      });
      return;
    }
    Write(std::move(response), keep_alive, head, version);
  }

  void Write(HttpResponse response, bool keep_alive, bool head, int version) {
    state_ = State::kAnswering;
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(static_cast<unsigned>(version));
    message->result(static_cast<unsigned>(response.status));
    response.headers.Remove("Content-Length");
    response.headers.Remove("Transfer-Encoding");
    response.headers.Remove("Connection");
    AddHeaders(response.headers, message.get());
    message->keep_alive(keep_alive);
    if (head) {
      message->content_length(response.body.size());
    } else {
      message->body() = std::move(response.body);
      message->prepare_payload();
    }
    beast::get_lowest_layer(stream_).expires_after(shared_.options.idle_timeout);
    http::async_write(stream_, *message,
                      [self = this->shared_from_this(), message](beast::error_code ec, size_t) {
                        if (ec) return self->CloseNow();
                        if (!message->keep_alive()) return self->CloseGracefully();
                        self->ReadHeader();
                      });
  }

  // After a response that ends the connection: let the peer read it all.
  void CloseGracefully() {
    if constexpr (kTls) {
      state_ = State::kClosed;
      beast::get_lowest_layer(stream_).expires_after(kTlsShutdownTimeout);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseNow(); });
    } else {
      // Closing a socket with unread input makes the kernel send a reset,
      // which can destroy the response before the client reads it (a 413
      // while the client is still sending its body): half-close, then read
      // and discard until the client closes too, for a bounded time.
      state_ = State::kClosed;
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream_.expires_after(kLingerTimeout);
      Drain();
    }
  }

  void Drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->CloseNow();
                              self->Drain();
                            });
  }

  void CloseNow() {
    state_ = State::kClosed;
    delay_timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  Stream stream_;
  ServerShared& shared_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  asio::steady_timer delay_timer_;
  State state_ = State::kReading;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, Handler handler) : acceptor_(io_) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
  }

  absl::Status Listen() {
    if (shared_.options.tls) {
      absl::StatusOr<std::unique_ptr<ssl::context>> tls =
          MakeServerTlsContext(*shared_.options.tls);
      if (!tls.ok()) {
        return absl::InvalidArgumentError(StrCat("HTTP server: ", tls.status().message()));
      }
      shared_.tls = std::move(*tls);
    }
    absl::Status status =
        OpenAcceptor(acceptor_, shared_.options.bind_address, shared_.options.port, "HTTP server");
    if (!status.ok()) return status;
    beast::error_code ec;
    endpoint_ = acceptor_.local_endpoint(ec);
    Accept();
    thread_.Start(io_);
    return absl::OkStatus();
  }

  void Stop() {
    thread_.Stop(
        io_,
        [this] {
          shared_.stopping = true;
          beast::error_code ignored;
          acceptor_.close(ignored);
          for (auto& weak : sessions_) {
            if (auto session = weak.lock()) session->OnServerStop();
          }
        },
        kStopGrace);
  }

  uint16_t port() const { return endpoint_.port(); }
  std::string address() const { return EndpointText(endpoint_); }

 private:
  void Accept() {
    acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || shared_.stopping) return;
      if (!ec) OnAccepted(std::move(socket));
      Accept();
    });
  }

  void OnAccepted(tcp::socket socket) {
    beast::error_code ec;
    tcp::endpoint remote = socket.remote_endpoint(ec);
    socket.set_option(tcp::no_delay(true), ec);
    std::string remote_text = ec ? std::string("?") : EndpointText(remote);
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    if (shared_.tls) {
      auto session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *shared_.tls),
          shared_, std::move(remote_text));
      sessions_.push_back(session);
      session->Start();
    } else {
      auto session = std::make_shared<Session<beast::tcp_stream>>(
          beast::tcp_stream(std::move(socket)), shared_, std::move(remote_text));
      sessions_.push_back(session);
      session->Start();
    }
  }

  // Destruction runs upwards: the thread is joined, the acceptor closed, then
  // the event loop destroys any handler still queued (and the sessions they
  // hold) while the TLS context and the shared state are still alive.
  ServerShared shared_;
  std::vector<std::weak_ptr<SessionBase>> sessions_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  tcp::endpoint endpoint_;
  ServerThread thread_;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                              Handler handler) {
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
    absl::Status status = impl->Listen();
    if (!status.ok()) return status;
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("HTTP server: start: unexpected exception: ", e.what()));
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port(); }
std::string HttpServer::address() const { return impl_->address(); }

void HttpServer::Stop() {
  try {
    impl_->Stop();
  } catch (...) {
    // Stop is called from destructors; there is nothing better to do.
  }
}

}  // namespace tradeplane::net
