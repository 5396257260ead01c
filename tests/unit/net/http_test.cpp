#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/http_server.h"
#include "tradeplane/testing/wait.h"

#include "raw_tcp.h"

namespace tradeplane::net {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

bool Contains(const absl::Status& status, std::string_view text) {
  return ToStd(status.message()).find(text) != std::string_view::npos;
}

// A server that records what it received and answers with an echo of it.
struct EchoServer {
  std::mutex mutex;
  std::vector<HttpRequest> requests;
  std::unique_ptr<HttpServer> server;

  explicit EchoServer(HttpServerOptions options = {}) {
    auto started = HttpServer::Start(options, [this](const HttpRequest& request) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        requests.push_back(request);
      }
      HttpResponse response = HttpResponse::Text(
          request.path == "/missing" ? 404 : 200,
          StrCat(request.method, " ", request.path, " ?", request.raw_query, " ", request.body));
      response.headers.Add("X-Remote", request.remote_address);
      return response;
    });
    REQUIRE(started.ok());
    server = std::move(*started);
  }
  std::string Url(std::string_view target) const {
    return StrCat("http://127.0.0.1:", server->port(), target);
  }
  HttpRequest Last() {
    std::lock_guard<std::mutex> lock(mutex);
    return requests.back();
  }
};

TEST_CASE("GET, POST and DELETE carry query, headers and body both ways", "[net][http]") {
  EchoServer echo;
  HttpClient client;

  auto get = client.Request("GET", echo.Url("/api/v3/depth?symbol=BTCUSDT&limit=100"),
                            {{"X-MBX-APIKEY", "key-1"}}, "", kTimeout);
  REQUIRE(get.ok());
  CHECK(get->status == 200);
  CHECK(get->body == "GET /api/v3/depth ?symbol=BTCUSDT&limit=100 ");
  CHECK(get->headers.Get("content-type") == "text/plain; charset=utf-8");
  HttpRequest seen = echo.Last();
  CHECK(seen.method == "GET");
  CHECK(seen.target == "/api/v3/depth?symbol=BTCUSDT&limit=100");
  CHECK(seen.headers.Get("x-mbx-apikey") == "key-1");
  CHECK(seen.headers.Get("host") == StrCat("127.0.0.1:", echo.server->port()));
  CHECK(seen.version == 11);

  std::string form = "symbol=BTCUSDT&side=BUY&price=0.1&signature=ab%2Bcd";
  auto post =
      client.Request("POST", echo.Url("/api/v3/order?timestamp=1"),
                     {{"Content-Type", "application/x-www-form-urlencoded"}}, form, kTimeout);
  REQUIRE(post.ok());
  CHECK(post->status == 200);
  CHECK(post->body == StrCat("POST /api/v3/order ?timestamp=1 ", form));
  seen = echo.Last();
  CHECK(seen.body == form);
  CHECK(seen.raw_query == "timestamp=1");
  CHECK(seen.headers.Get("content-length") == std::to_string(form.size()));

  auto del = client.Request("DELETE", echo.Url("/api/v3/order?symbol=BTCUSDT&orderId=7"), {}, "",
                            kTimeout);
  REQUIRE(del.ok());
  CHECK(del->body == "DELETE /api/v3/order ?symbol=BTCUSDT&orderId=7 ");
  auto query = echo.Last().Query();
  REQUIRE(query.ok());
  CHECK(*FindQueryValue(*query, "orderId") == "7");

  auto put =
      client.Request("PUT", echo.Url("/api/v3/userDataStream?listenKey=abc"), {}, "", kTimeout);
  REQUIRE(put.ok());
  CHECK(echo.Last().headers.Get("content-length") == "0");

  // A status that is not 2xx is an answer, not an error.
  auto missing = client.Get(echo.Url("/missing"), {}, kTimeout);
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
}

TEST_CASE("keep-alive sends many requests over one connection", "[net][http]") {
  EchoServer echo;
  HttpClient client;
  std::string remote;
  for (int i = 0; i < 5; ++i) {
    auto response = client.Get(echo.Url(StrCat("/n?i=", i)), {}, kTimeout);
    REQUIRE(response.ok());
    REQUIRE(response->status == 200);
    std::string this_remote(*response->headers.Get("X-Remote"));
    if (i > 0) CHECK(this_remote == remote);  // the same client port each time
    remote = this_remote;
  }
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("a response with Connection close makes the next request open a new connection",
          "[net][http]") {
  auto server = HttpServer::Start({}, [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, "bye");
    response.headers.Add("Connection", "close");
    return response;
  });
  REQUIRE(server.ok());
  HttpClient client;
  std::string url = StrCat("http://127.0.0.1:", (*server)->port(), "/");
  for (int i = 0; i < 3; ++i) {
    auto response = client.Get(url, {}, kTimeout);
    REQUIRE(response.ok());
    CHECK(response->body == "bye");
  }
  CHECK(client.connections_opened() == 3);
}

TEST_CASE("a kept connection the server closed is replaced without an error", "[net][http]") {
  auto first = std::make_unique<EchoServer>();
  uint16_t port = first->server->port();
  HttpClient client;
  REQUIRE(client.Get(first->Url("/a"), {}, kTimeout).ok());
  // Stopping closes the idle connection the client keeps; a new server takes the port.
  first.reset();
  HttpServerOptions options;
  options.port = port;
  EchoServer second(options);
  auto post = client.Post(second.Url("/b"), {}, "x", kTimeout);
  REQUIRE(post.ok());
  CHECK(post->body == "POST /b ? x");
  CHECK(client.connections_opened() == 2);
}

TEST_CASE("a server that never answers makes the client time out with DEADLINE_EXCEEDED",
          "[net][http]") {
  testing::SilentListener silent;
  REQUIRE(silent.port() > 0);
  HttpClient client;
  std::string url = StrCat("http://127.0.0.1:", silent.port(), "/api/v3/ping?x=1");
  auto start = std::chrono::steady_clock::now();
  auto response = client.Get(url, {}, milliseconds(200));
  auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(
      Contains(response.status(), StrCat("GET http://127.0.0.1:", silent.port(), "/api/v3/ping")));
  CHECK(Contains(response.status(), "200 ms"));
  CHECK(elapsed >= milliseconds(190));
  CHECK(elapsed < milliseconds(3000));
}

TEST_CASE("a delayed answer times the client out while the server serves others", "[net][http]") {
  auto server = HttpServer::Start({}, [](const HttpRequest& request) {
    HttpResponse response = HttpResponse::Text(200, "late");
    if (request.path == "/slow") response.delay = milliseconds(1000);
    return response;
  });
  REQUIRE(server.ok());
  std::string base = StrCat("http://127.0.0.1:", (*server)->port());
  HttpClient slow_client;
  auto slow = slow_client.Get(base + "/slow", {}, milliseconds(100));
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(Contains(slow.status(), "waiting for the response"));
  // The delay is a timer, not a blocked thread: another client is answered now.
  HttpClient other;
  auto start = std::chrono::steady_clock::now();
  auto fast = other.Get(base + "/fast", {}, kTimeout);
  REQUIRE(fast.ok());
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1000));
}

TEST_CASE("a refused connection is UNAVAILABLE and names the address", "[net][http]") {
  int port = tradeplane::testing::FreeTcpPort();
  REQUIRE(port > 0);
  HttpClient client;
  auto response = client.Get(StrCat("http://127.0.0.1:", port, "/v1/traces"), {}, kTimeout);
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(response.status(), StrCat("127.0.0.1:", port, "/v1/traces")));
  CHECK(Contains(response.status(), "refused"));
}

TEST_CASE("bad URLs and methods are INVALID_ARGUMENT and nothing is sent", "[net][http]") {
  HttpClient client;
  CHECK(client.Get("ftp://127.0.0.1/", {}, kTimeout).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(client.Get("ws://127.0.0.1/", {}, kTimeout).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(client.Request("GE T", "http://127.0.0.1/", {}, "", kTimeout).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(client.connections_opened() == 0);
}

TEST_CASE("a malformed request gets 400 and the server keeps serving", "[net][http]") {
  EchoServer echo;
  std::string reply =
      testing::RawExchange(echo.server->port(), "NOT HTTP AT ALL\r\n\r\n", milliseconds(3000));
  CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
  reply = testing::RawExchange(echo.server->port(),
                               "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                               milliseconds(3000));
  CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
  HttpClient client;
  auto response = client.Get(echo.Url("/still-here"), {}, kTimeout);
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  std::lock_guard<std::mutex> lock(echo.mutex);
  CHECK(echo.requests.size() == 1);  // the handler never saw the malformed ones
}

TEST_CASE("a body over the limit gets 413 and headers over the limit get 431", "[net][http]") {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 2048;
  EchoServer echo(options);
  HttpClient client;
  auto big_body = client.Post(echo.Url("/api/v3/order"), {}, std::string(64 * 1024, 'x'), kTimeout);
  REQUIRE(big_body.ok());
  CHECK(big_body->status == 413);
  auto big_header = client.Get(echo.Url("/"), {{"X-Padding", std::string(4096, 'p')}}, kTimeout);
  REQUIRE(big_header.ok());
  CHECK(big_header->status == 431);
  auto fits = client.Post(echo.Url("/ok"), {}, std::string(1024, 'y'), kTimeout);
  REQUIRE(fits.ok());
  CHECK(fits->status == 200);
  std::lock_guard<std::mutex> lock(echo.mutex);
  CHECK(echo.requests.size() == 1);
}

TEST_CASE("a handler that throws gets its client a 500 and the server keeps serving",
          "[net][http]") {
  auto server = HttpServer::Start({}, [](const HttpRequest& request) -> HttpResponse {
    if (request.path == "/throw") throw std::runtime_error("boom");
    return HttpResponse::Text(200, "fine");
  });
  REQUIRE(server.ok());
  std::string base = StrCat("http://127.0.0.1:", (*server)->port());
  HttpClient client;
  auto thrown = client.Get(base + "/throw", {}, kTimeout);
  REQUIRE(thrown.ok());
  CHECK(thrown->status == 500);
  CHECK(thrown->body.find("boom") != std::string::npos);
  auto fine = client.Get(base + "/", {}, kTimeout);
  REQUIRE(fine.ok());
  CHECK(fine->body == "fine");
}

TEST_CASE("status codes and Retry-After reach the caller, and a dropped POST is not retried",
          "[net][http]") {
  std::atomic<int> posts{0};
  auto server = HttpServer::Start({}, [&](const HttpRequest& request) {
    if (request.method == "POST") {
      ++posts;
      HttpResponse dropped;
      dropped.drop_connection = true;
      return dropped;
    }
    HttpResponse response = HttpResponse::Json(429, R"({"code":-1003,"msg":"Too many requests"})");
    response.headers.Add("Retry-After", "7");
    return response;
  });
  REQUIRE(server.ok());
  std::string base = StrCat("http://127.0.0.1:", (*server)->port());
  HttpClient client;
  auto limited = client.Get(base + "/api/v3/order", {}, kTimeout);
  REQUIRE(limited.ok());
  CHECK(limited->status == 429);
  CHECK(limited->RetryAfter() == std::chrono::seconds(7));
  CHECK(limited->body == R"({"code":-1003,"msg":"Too many requests"})");
  auto dropped = client.Post(base + "/api/v3/order", {}, "symbol=BTCUSDT", kTimeout);
  REQUIRE_FALSE(dropped.ok());
  CHECK(dropped.status().code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(dropped.status(), "POST"));
  CHECK(posts.load() == 1);
}

TEST_CASE("a port in use is refused with UNAVAILABLE and the address", "[net][http]") {
  EchoServer echo;
  HttpServerOptions options;
  options.port = echo.server->port();
  // SO_REUSEADDR does not let two listeners share a port.
  auto second = HttpServer::Start(options, [](const HttpRequest&) { return HttpResponse(); });
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(second.status(), StrCat("127.0.0.1:", options.port)));
  HttpServerOptions bad;
  bad.bind_address = "localhost";
  auto named = HttpServer::Start(bad, [](const HttpRequest&) { return HttpResponse(); });
  CHECK(named.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("stopping the server lets the running handler's response out", "[net][http]") {
  std::atomic<bool> in_handler{false};
  std::atomic<bool> release{false};
  auto server = HttpServer::Start({}, [&](const HttpRequest&) {
    in_handler = true;
    while (!release) std::this_thread::yield();
    return HttpResponse::Text(200, "finished");
  });
  REQUIRE(server.ok());
  std::string url = StrCat("http://127.0.0.1:", (*server)->port(), "/");
  absl::StatusOr<HttpResponse> response;
  std::thread caller([&] {
    HttpClient client;
    response = client.Get(url, {}, kTimeout);
  });
  REQUIRE(tradeplane::testing::WaitUntil([&] { return in_handler.load(); }));
  std::thread stopper([&] { (*server)->Stop(); });
  release = true;
  stopper.join();
  caller.join();
  REQUIRE(response.ok());
  CHECK(response->body == "finished");
}

}  // namespace
}  // namespace tradeplane::net
