#include "tradeplane/net/websocket_server.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

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
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr std::chrono::milliseconds kHandshakeTimeout{10'000};
constexpr std::chrono::milliseconds kStopGrace{2000};
constexpr size_t kMaxUpgradeBodyBytes = 64 * 1024;

// RFC 6455 section 7.4: 1004-1006 and 1015 are reserved, codes below 1000 are
// unused, 3000-4999 belong to libraries and applications.
bool IsSendableCloseCode(int code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

// A connection as the server's registry and its other threads see it.
class Connection {
 public:
  virtual ~Connection() = default;
  // Any thread. Queues a text message or a close frame behind what is queued.
  virtual absl::Status Enqueue(std::shared_ptr<const std::string> text) = 0;
  virtual void EnqueueClose(int code, std::string reason) = 0;
  // Any thread. Cuts the TCP connection.
  virtual void Drop(std::string why) = 0;
  // The server's thread, when the server stops.
  virtual void OnServerStop() = 0;
};

// The server's state, shared by its sessions.
class ServerCore {
 public:
  using Callbacks = WebSocketServer::Callbacks;

  ServerCore(WebSocketServerOptions options, Callbacks callbacks)
      : options_(std::move(options)), callbacks_(std::move(callbacks)), acceptor_(io_) {}

  absl::Status Listen();
  void Stop();

  uint16_t port() const { return endpoint_.port(); }
  std::string address() const { return EndpointText(endpoint_); }

  size_t connection_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_.size();
  }

  absl::Status Send(ConnectionId id, std::string text) {
    std::shared_ptr<Connection> connection = Find(id);
    if (connection == nullptr) return NoSuch("send to", id);
    return connection->Enqueue(std::make_shared<const std::string>(std::move(text)));
  }

  absl::StatusOr<size_t> Broadcast(std::string text) {
    if (stopped_) return Stopped("broadcast");
    auto shared = std::make_shared<const std::string>(std::move(text));
    size_t queued = 0;
    for (const auto& connection : Snapshot()) {
      if (connection->Enqueue(shared).ok()) ++queued;
    }
    return queued;
  }

  absl::Status Close(ConnectionId id, int code, std::string reason) {
    if (!IsSendableCloseCode(code)) {
      return absl::InvalidArgumentError(StrCat("WebSocket server ", where_, ": close connection ",
                                               id, ": ", code,
                                               " is not a close code one may send"));
    }
    std::shared_ptr<Connection> connection = Find(id);
    if (connection == nullptr) return NoSuch("close", id);
    connection->EnqueueClose(code, std::move(reason));
    return absl::OkStatus();
  }

  absl::Status Drop(ConnectionId id) {
    std::shared_ptr<Connection> connection = Find(id);
    if (connection == nullptr) return NoSuch("drop", id);
    connection->Drop("dropped by the server");
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> CloseAll(int code, std::string reason) {
    if (stopped_) return Stopped("close all");
    if (!IsSendableCloseCode(code)) {
      return absl::InvalidArgumentError(StrCat("WebSocket server ", where_, ": close all: ", code,
                                               " is not a close code one may send"));
    }
    std::vector<std::shared_ptr<Connection>> all = Snapshot();
    for (const auto& connection : all) connection->EnqueueClose(code, reason);
    return all.size();
  }

  // For sessions, on the server's thread: an id, then (once the session has
  // stored it, so other threads never see it unset) the registration.
  ConnectionId NextId() {
    std::lock_guard<std::mutex> lock(mutex_);
    return next_id_++;
  }
  void Register(ConnectionId id, std::shared_ptr<Connection> connection) {
    std::lock_guard<std::mutex> lock(mutex_);
    open_.emplace(id, std::move(connection));
  }
  // Returns whether `id` was still registered (on_close is then due).
  bool Unregister(ConnectionId id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_.erase(id) == 1;
  }

  const WebSocketServerOptions& options() const { return options_; }
  const Callbacks& callbacks() const { return callbacks_; }
  ssl::context* tls() const { return tls_.get(); }
  bool stopping() const { return stopping_; }
  std::string_view where() const { return where_; }

 private:
  void Accept();
  void OnAccepted(tcp::socket socket);

  std::shared_ptr<Connection> Find(ConnectionId id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = open_.find(id);
    return it == open_.end() ? nullptr : it->second;
  }
  std::vector<std::shared_ptr<Connection>> Snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::shared_ptr<Connection>> all;
    all.reserve(open_.size());
    for (const auto& [id, connection] : open_) all.push_back(connection);
    return all;
  }
  absl::Status NoSuch(std::string_view what, ConnectionId id) const {
    if (stopped_) return Stopped(what);
    return absl::NotFoundError(StrCat("WebSocket server ", where_, ": ", what, " connection ", id,
                                      ": no such open connection"));
  }
  absl::Status Stopped(std::string_view what) const {
    return absl::FailedPreconditionError(
        StrCat("WebSocket server ", where_, ": ", what, ": the server is stopped"));
  }

  WebSocketServerOptions options_;
  Callbacks callbacks_;
  std::unique_ptr<ssl::context> tls_;
  std::string where_;
  std::atomic<bool> stopped_{false};
  bool stopping_ = false;  // the server's thread only

  mutable std::mutex mutex_;
  std::unordered_map<ConnectionId, std::shared_ptr<Connection>> open_;  // guarded by mutex_
  ConnectionId next_id_ = 1;                                            // guarded by mutex_

  // Every session, handshaking or open, for Stop; the server's thread only.
  std::vector<std::weak_ptr<Connection>> sessions_;
  // Destroyed first (members go in reverse): the loop, and the handlers and
  // sessions it still holds, go while the TLS context and registry live.
  asio::io_context io_;
  tcp::acceptor acceptor_;
  tcp::endpoint endpoint_;
  ServerThread thread_;
};

template <class Stream>
using WsStream = websocket::stream<Stream>;

template <class Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(WsStream<Stream> ws, ServerCore& server, std::string remote)
      : ws_(std::move(ws)), server_(server), remote_(std::move(remote)) {}

  void Start() {
    beast::get_lowest_layer(ws_).expires_after(kHandshakeTimeout);
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(ssl::stream_base::server,
                                       [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec) return self->CloseSocket();
                                         self->ReadUpgrade();
                                       });
    } else {
      ReadUpgrade();
    }
  }

  absl::Status Enqueue(std::shared_ptr<const std::string> text) override {
    size_t size = text->size();
    size_t queued = queued_bytes_.fetch_add(size) + size;
    if (queued > server_.options().max_queued_bytes) {
      queued_bytes_.fetch_sub(size);
      Drop(
          StrCat("slow consumer: more than ", server_.options().max_queued_bytes, " bytes queued"));
      return absl::ResourceExhaustedError(
          StrCat("WebSocket server ", server_.where(), ": send to connection ", id_,
                 ": the client is too slow (", server_.options().max_queued_bytes,
                 " bytes queued); it is being disconnected"));
    }
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), text = std::move(text)] {
      self->outbox_.push_back(Outgoing{text, false, {}});
      self->Pump();
    });
    return absl::OkStatus();
  }

  void EnqueueClose(int code, std::string reason) override {
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this(), code, reason = std::move(reason)] {
                 websocket::close_reason close(static_cast<websocket::close_code>(code));
                 close.reason = reason.substr(0, 120);  // a close frame's payload is 125 bytes
                 self->outbox_.push_back(Outgoing{nullptr, true, close});
                 self->Pump();
               });
  }

  void Drop(std::string why) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), why = std::move(why)] {
      if (self->end_reason_.empty()) self->end_reason_ = why;
      self->CloseSocket();
    });
  }

  void OnServerStop() override {
    if (!opened_) return CloseSocket();
    outbox_.push_back(
        Outgoing{nullptr, true, websocket::close_reason(websocket::close_code::going_away)});
    Pump();
  }

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> text;  // null for a close frame
    bool close = false;
    websocket::close_reason reason;
  };

  void ReadUpgrade() {
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(std::min<size_t>(server_.options().max_header_bytes, UINT32_MAX)));
    parser_->body_limit(kMaxUpgradeBodyBytes);
    http::async_read(ws_.next_layer(), buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnBadRequest(ec);
                       self->OnUpgradeRequest();
                     });
  }

  void OnBadRequest(beast::error_code ec) {
    int status = 0;
    if (ec == http::error::header_limit) {
      status = 431;
    } else if (ec == http::error::body_limit) {
      status = 413;
    } else if (ec.category() == beast::error_code(http::error::bad_version).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      status = 400;
    }
    if (status == 0) return CloseSocket();
    Refuse(HttpResponse::Text(status, StrCat(HttpReasonPhrase(status), ": ", ec.message(), "\n")),
           11);
  }

  void OnUpgradeRequest() {
    http::request<http::string_body> message = parser_->release();
    request_.method = std::string(FromBeast(message.method_string()));
    SplitTarget(FromBeast(message.target()), &request_);
    request_.headers = ToHeaders(message.base());
    request_.body = std::move(message.body());
    request_.remote_address = remote_;
    request_.version = static_cast<int>(message.version());
    int version = request_.version;
    if (server_.stopping()) {
      return Refuse(HttpResponse::Text(503, "the server is stopping\n"), version);
    }
    if (!websocket::is_upgrade(message)) {
      HttpResponse response = HttpResponse::Text(426, "this port speaks WebSocket only\n");
      response.headers.Add("Upgrade", "websocket");
      return Refuse(std::move(response), version);
    }
    WebSocketAcceptDecision decision;
    if (server_.callbacks().accept) {
      try {
        decision = server_.callbacks().accept(request_);
      } catch (const std::exception& e) {
        decision = WebSocketAcceptDecision::Refuse(500, StrCat("accept failed: ", e.what(), "\n"));
      } catch (...) {
        decision = WebSocketAcceptDecision::Refuse(500, "accept failed\n");
      }
    }
    if (!decision.accept) return Refuse(std::move(decision.refusal), version);

    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout;
    timeout.handshake_timeout = kHandshakeTimeout;
    if (server_.options().idle_timeout.count() > 0) {
      timeout.idle_timeout = server_.options().idle_timeout;
      timeout.keep_alive_pings = true;
    } else {
      timeout.idle_timeout = websocket::stream_base::none();
      timeout.keep_alive_pings = false;
    }
    ws_.set_option(timeout);
    ws_.read_message_max(server_.options().max_message_bytes);
    ws_.async_accept(message, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return self->CloseSocket();
      self->OnOpen();
    });
  }

  void Refuse(HttpResponse refusal, int version) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(static_cast<unsigned>(version));
    message->result(static_cast<unsigned>(refusal.status));
    refusal.headers.Remove("Content-Length");
    refusal.headers.Remove("Connection");
    AddHeaders(refusal.headers, message.get());
    message->keep_alive(false);
    message->body() = std::move(refusal.body);
    message->prepare_payload();
    http::async_write(ws_.next_layer(), *message,
                      [self = this->shared_from_this(), message](beast::error_code, size_t) {
                        self->CloseSocket();
                      });
  }

  void OnOpen() {
    opened_ = true;
    id_ = server_.NextId();
    server_.Register(id_, this->shared_from_this());
    if (server_.callbacks().on_open) {
      try {
        server_.callbacks().on_open(id_, request_);
      } catch (...) {
        // The callback's failure is its own; the connection stays open.
      }
    }
    Read();
    Pump();
  }

  void Read() {
    ws_.async_read(read_buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnEnded(ec);
      if (self->server_.callbacks().on_message) {
        auto data = self->read_buffer_.cdata();
        try {
          self->server_.callbacks().on_message(
              self->id_, std::string_view(static_cast<const char*>(data.data()), data.size()));
        } catch (...) {
          // As above.
        }
      }
      self->read_buffer_.consume(self->read_buffer_.size());
      self->Read();
    });
  }

  // Writes the next queued message or close frame, one at a time (a
  // WebSocket stream allows one write in flight).
  void Pump() {
    if (!opened_ || writing_ || closing_ || ended_ || outbox_.empty()) return;
    Outgoing next = std::move(outbox_.front());
    outbox_.pop_front();
    writing_ = true;
    if (next.close) {
      closing_ = true;
      if (end_reason_.empty()) end_reason_ = "closed by the server";
      ws_.async_close(next.reason, [self = this->shared_from_this()](beast::error_code) {
        self->writing_ = false;
        // The read in flight ends with the client's close frame (or an error).
      });
      return;
    }
    ws_.text(true);
    ws_.async_write(asio::buffer(*next.text),
                    [self = this->shared_from_this(), next](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      self->queued_bytes_.fetch_sub(next.text->size());
                      if (ec) {
                        if (self->end_reason_.empty()) {
                          self->end_reason_ = StrCat("write failed: ", ec.message());
                        }
                        return self->CloseSocket();
                      }
                      self->Pump();
                    });
  }

  void OnEnded(beast::error_code ec) {
    if (ended_) return;
    ended_ = true;
    WebSocketCloseInfo info;
    if (ec == websocket::error::closed) {
      info.code = static_cast<int>(ws_.reason().code);
      info.reason = ws_.reason().reason.c_str();
      if (!end_reason_.empty() && info.reason.empty()) info.reason = end_reason_;
    } else {
      info.code = 1006;
      info.reason = end_reason_.empty() ? ec.message() : end_reason_;
    }
    CloseSocket();
    outbox_.clear();
    if (server_.Unregister(id_) && server_.callbacks().on_close) {
      try {
        server_.callbacks().on_close(id_, info);
      } catch (...) {
        // As above.
      }
    }
  }

  void CloseSocket() {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  WsStream<Stream> ws_;
  ServerCore& server_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  ConnectionId id_ = 0;
  bool opened_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool ended_ = false;
  std::string end_reason_;  // why the server ended it, when it did
  beast::flat_buffer read_buffer_;
  std::deque<Outgoing> outbox_;
  std::atomic<size_t> queued_bytes_{0};
};

absl::Status ServerCore::Listen() {
  if (options_.tls) {
    absl::StatusOr<std::unique_ptr<ssl::context>> tls = MakeServerTlsContext(*options_.tls);
    if (!tls.ok()) {
      return absl::InvalidArgumentError(StrCat("WebSocket server: ", tls.status().message()));
    }
    tls_ = std::move(*tls);
  }
  absl::Status status =
      OpenAcceptor(acceptor_, options_.bind_address, options_.port, "WebSocket server");
  if (!status.ok()) return status;
  beast::error_code ec;
  endpoint_ = acceptor_.local_endpoint(ec);
  where_ = EndpointText(endpoint_);
  Accept();
  thread_.Start(io_);
  return absl::OkStatus();
}

void ServerCore::Accept() {
  acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    if (!ec) OnAccepted(std::move(socket));
    Accept();
  });
}

void ServerCore::OnAccepted(tcp::socket socket) {
  beast::error_code ec;
  tcp::endpoint remote = socket.remote_endpoint(ec);
  std::string remote_text = ec ? std::string("?") : EndpointText(remote);
  socket.set_option(tcp::no_delay(true), ec);
  std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
  if (tls_) {
    using Stream = beast::ssl_stream<beast::tcp_stream>;
    auto session = std::make_shared<Session<Stream>>(
        WsStream<Stream>(beast::tcp_stream(std::move(socket)), *tls_), *this,
        std::move(remote_text));
    sessions_.push_back(session);
    session->Start();
  } else {
    auto session = std::make_shared<Session<beast::tcp_stream>>(
        WsStream<beast::tcp_stream>(std::move(socket)), *this, std::move(remote_text));
    sessions_.push_back(session);
    session->Start();
  }
}

void ServerCore::Stop() {
  if (stopped_.exchange(true)) return;
  thread_.Stop(
      io_,
      [this] {
        stopping_ = true;
        beast::error_code ignored;
        acceptor_.close(ignored);
        for (auto& weak : sessions_) {
          if (auto session = weak.lock()) session->OnServerStop();
        }
      },
      kStopGrace);
  // Connections the grace period did not see closed still get their on_close,
  // here on the caller's thread (the server's thread is gone).
  std::vector<ConnectionId> left;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, connection] : open_) left.push_back(id);
    open_.clear();
  }
  for (ConnectionId id : left) {
    if (!callbacks_.on_close) break;
    try {
      callbacks_.on_close(id, WebSocketCloseInfo{1006, "the server stopped"});
    } catch (...) {
      // As above.
    }
  }
}

}  // namespace

class WebSocketServer::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

absl::StatusOr<std::unique_ptr<WebSocketServer>> WebSocketServer::Start(
    WebSocketServerOptions options, Callbacks callbacks) {
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(callbacks));
    absl::Status status = impl->Listen();
    if (!status.ok()) return status;
    return std::unique_ptr<WebSocketServer>(new WebSocketServer(std::move(impl)));
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("WebSocket server: start: unexpected exception: ", e.what()));
  }
}

WebSocketServer::WebSocketServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebSocketServer::~WebSocketServer() { Stop(); }

uint16_t WebSocketServer::port() const { return impl_->port(); }
std::string WebSocketServer::address() const { return impl_->address(); }
size_t WebSocketServer::connection_count() const { return impl_->connection_count(); }

namespace {
template <class F>
auto Guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return absl::InternalError(
        StrCat("WebSocket server: ", what, ": unexpected exception: ", e.what()));
  } catch (...) {
    return absl::InternalError(StrCat("WebSocket server: ", what, ": unexpected exception"));
  }
}
}  // namespace

absl::Status WebSocketServer::Send(ConnectionId id, std::string text) {
  return Guarded("send", [&] { return impl_->Send(id, std::move(text)); });
}
absl::StatusOr<size_t> WebSocketServer::Broadcast(std::string text) {
  return Guarded("broadcast", [&] { return impl_->Broadcast(std::move(text)); });
}
absl::Status WebSocketServer::Close(ConnectionId id, int code, std::string reason) {
  return Guarded("close", [&] { return impl_->Close(id, code, std::move(reason)); });
}
absl::Status WebSocketServer::Drop(ConnectionId id) {
  return Guarded("drop", [&] { return impl_->Drop(id); });
}
absl::StatusOr<size_t> WebSocketServer::CloseAll(int code, std::string reason) {
  return Guarded("close all", [&] { return impl_->CloseAll(code, std::move(reason)); });
}

void WebSocketServer::Stop() {
  try {
    impl_->Stop();
  } catch (...) {
    // Stop is called from destructors; there is nothing better to do.
  }
}

}  // namespace tradeplane::net
