#include "tradeplane/net/http_client.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/url.h"

#include "absl/status/status.h"
#include "beast_convert.h"
#include "dial.h"
#include <sys/socket.h>

namespace tradeplane::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// One open connection to one origin.
struct Connection {
  std::string origin;  // scheme://host:port
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  void Close() { CloseSocket(lowest()); }
};

bool IsToken(std::string_view method) {
  if (method.empty()) return false;
  return std::all_of(method.begin(), method.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool IsIdempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// A kept connection the server has closed (FIN), reset, or written to
// unasked (a 408, a TLS close_notify) must not carry the next request.
bool IsStale(Connection& connection) {
  if (connection.buffer.size() > 0) return true;
  char byte;
  ssize_t n =
      ::recv(connection.lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n >= 0) return true;
  return !(errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(HttpClientOptions options)
      : options_(std::move(options)), io_(std::make_unique<asio::io_context>()) {}

  ~Impl() { CloseIdle(); }

  absl::StatusOr<HttpResponse> Request(std::string_view method, std::string_view url_text,
                                       const HttpHeaders& headers, std::string_view body,
                                       std::chrono::milliseconds timeout) {
    absl::StatusOr<Url> url = ParseUrl(url_text);
    if (!url.ok()) return url.status();
    if (url->scheme != "http" && url->scheme != "https") {
      return absl::InvalidArgumentError(
          StrCat("HTTP request to ", url->Endpoint(), ": scheme must be http or https"));
    }
    if (!IsToken(method)) {
      return absl::InvalidArgumentError(
          StrCat("HTTP request to ", url->Endpoint(), ": method \"", method, "\" is not a token"));
    }
    ClientCall call{std::string(method), url->Endpoint(), timeout,
                    std::chrono::steady_clock::now() + timeout};

    http::request<http::string_body> request;
    request.method_string(ToBeast(method));
    request.target(ToBeast(url->target()));
    request.version(11);
    AddHeaders(headers, &request);
    request.set(http::field::host, url->host_header());
    if (!headers.Has("User-Agent")) request.set(http::field::user_agent, options_.user_agent);
    request.body() = std::string(body);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      request.content_length(body.size());
    }

    std::string origin = StrCat(url->scheme, "://", url->host_port());
    std::unique_ptr<Connection> connection = TakeIdle(origin);
    bool reused = connection != nullptr;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (connection == nullptr) {
        absl::StatusOr<std::unique_ptr<Connection>> opened = Open(*url, origin, call);
        if (!opened.ok()) return opened.status();
        connection = std::move(*opened);
        reused = false;
      }
      bool nothing_received = false;
      bool keep_alive = false;
      absl::StatusOr<HttpResponse> response =
          connection->secure ? Exchange(*connection->secure, *connection, request, call,
                                        &nothing_received, &keep_alive)
                             : Exchange(*connection->plain, *connection, request, call,
                                        &nothing_received, &keep_alive);
      if (response.ok()) {
        if (keep_alive) {
          KeepIdle(std::move(connection));
        } else {
          connection->Close();
        }
        return response;
      }
      connection->Close();
      connection.reset();
      // The server may have dropped a kept connection just as we reused it;
      // the request never reached a handler, so an idempotent one can go again.
      if (!(reused && nothing_received && IsIdempotent(method) &&
            absl::IsUnavailable(response.status()) &&
            std::chrono::steady_clock::now() < call.deadline)) {
        if (reused && nothing_received && absl::IsUnavailable(response.status())) {
          return absl::UnavailableError(
              StrCat(response.status().message(),
                     " (on a reused keep-alive connection, before any response byte: the "
                     "server may or may not have processed the request)"));
        }
        return response;
      }
    }
    return absl::InternalError(StrCat(call.what, " ", call.where, ": retry loop fell through"));
  }

  void CloseIdle() {
    for (auto& connection : idle_) connection->Close();
    idle_.clear();
  }

  // After an exception, handlers may still refer to stack frames that are
  // gone: drop every socket and the event loop (destroying it destroys the
  // pending handlers without running them).
  void Reset() {
    idle_.clear();
    io_ = std::make_unique<asio::io_context>();
  }

  size_t connections_opened() const { return connections_opened_; }

 private:
  std::unique_ptr<Connection> TakeIdle(const std::string& origin) {
    auto it = std::find_if(idle_.begin(), idle_.end(),
                           [&](const auto& connection) { return connection->origin == origin; });
    if (it == idle_.end()) return nullptr;
    std::unique_ptr<Connection> connection = std::move(*it);
    idle_.erase(it);
    if (IsStale(*connection)) {
      connection->Close();
      return nullptr;
    }
    return connection;
  }

  void KeepIdle(std::unique_ptr<Connection> connection) {
    if (options_.max_idle_connections == 0) {
      connection->Close();
      return;
    }
    while (idle_.size() >= options_.max_idle_connections) {
      idle_.front()->Close();
      idle_.erase(idle_.begin());
    }
    idle_.push_back(std::move(connection));
  }

  absl::StatusOr<std::unique_ptr<Connection>> Open(const Url& url, const std::string& origin,
                                                   const ClientCall& call) {
    if (url.tls() && tls_ == nullptr) {
      absl::StatusOr<std::unique_ptr<ssl::context>> context = MakeClientTlsContext(options_.tls);
      if (!context.ok()) {
        return absl::Status(context.status().code(),
                            StrCat(call.what, " ", call.where, ": ", context.status().message()));
      }
      tls_ = std::move(*context);
    }
    auto connection = std::make_unique<Connection>();
    connection->origin = origin;
    if (url.tls()) {
      connection->secure.emplace(*io_, *tls_);
    } else {
      connection->plain.emplace(*io_);
    }
    ++connections_opened_;
    absl::Status status = DialTcp(*io_, connection->lowest(), url, call);
    if (!status.ok()) return status;
    if (connection->secure) {
      status = HandshakeTls(*io_, *connection->secure, url, options_.tls.verify_peer, call);
      if (!status.ok()) return status;
    }
    return connection;
  }

  template <class Stream>
  absl::StatusOr<HttpResponse> Exchange(Stream& stream, Connection& connection,
                                        const http::request<http::string_body>& request,
                                        const ClientCall& call, bool* nothing_received,
                                        bool* keep_alive) {
    asio::io_context& io = *io_;
    bool done = false;
    beast::error_code ec;
    *nothing_received = true;
    http::async_write(stream, request, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (RunUntilOrAbort(
            io, [&] { return done; }, call.deadline, [&] { connection.Close(); }) ==
        WaitResult::kDeadline) {
      return call.TimedOut("sending the request");
    }
    if (ec) return ErrorToStatus(ec, call.what, call.where, "sending the request");

    http::response_parser<http::string_body> parser;
    parser.header_limit(
        static_cast<uint32_t>(std::min<size_t>(options_.max_response_header_bytes, UINT32_MAX)));
    parser.body_limit(options_.max_response_body_bytes);
    if (request.method() == http::verb::head) parser.skip(true);
    done = false;
    http::async_read(stream, connection.buffer, parser, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (RunUntilOrAbort(
            io, [&] { return done; }, call.deadline, [&] { connection.Close(); }) ==
        WaitResult::kDeadline) {
      *nothing_received = !parser.got_some();
      return call.TimedOut("waiting for the response");
    }
    *nothing_received = !parser.got_some();
    if (ec) return ErrorToStatus(ec, call.what, call.where, "reading the response");

    http::response<http::string_body>& message = parser.get();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    response.headers = ToHeaders(message.base());
    response.body = std::move(message.body());
    *keep_alive = message.keep_alive();
    return response;
  }

  HttpClientOptions options_;
  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<ssl::context> tls_;              // made on the first https request
  std::vector<std::unique_ptr<Connection>> idle_;  // least recently used first
  size_t connections_opened_ = 0;
};

HttpClient::HttpClient() : HttpClient(HttpClientOptions()) {}
HttpClient::HttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

absl::StatusOr<HttpResponse> HttpClient::Request(std::string_view method, std::string_view url,
                                                 const HttpHeaders& headers, std::string_view body,
                                                 std::chrono::milliseconds timeout) {
  try {
    return impl_->Request(method, url, headers, body, timeout);
  } catch (const std::exception& e) {
    impl_->Reset();
    return absl::InternalError(StrCat(method, " ", url, ": unexpected exception: ", e.what()));
  } catch (...) {
    impl_->Reset();
    return absl::InternalError(StrCat(method, " ", url, ": unexpected exception"));
  }
}

void HttpClient::CloseIdleConnections() { impl_->CloseIdle(); }

size_t HttpClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace tradeplane::net
