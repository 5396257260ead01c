#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/http_server.h"
#include "tradeplane/net/websocket_client.h"
#include "tradeplane/net/websocket_server.h"
#include "tradeplane/testing/wait.h"

#include "test_certificates.h"

namespace tradeplane::net {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

bool Contains(const absl::Status& status, std::string_view text) {
  return ToStd(status.message()).find(text) != std::string_view::npos;
}

TlsServerOptions ServerTls() {
  const auto& certs = testing::Certificates();
  return TlsServerOptions{certs.certificate_file, certs.key_file};
}

TlsClientOptions TrustTestCa() {
  TlsClientOptions tls;
  tls.ca_file = testing::Certificates().ca_file;
  return tls;
}

std::unique_ptr<HttpServer> StartHttpsServer() {
  HttpServerOptions options;
  options.tls = ServerTls();
  auto server = HttpServer::Start(options, [](const HttpRequest& request) {
    return HttpResponse::Json(200, StrCat(R"({"path":")", request.path, R"("})"));
  });
  REQUIRE(server.ok());
  return std::move(*server);
}

TEST_CASE("an https GET succeeds when the client trusts the server's CA", "[net][tls]") {
  auto server = StartHttpsServer();
  HttpClientOptions options;
  options.tls = TrustTestCa();
  HttpClient client(options);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    INFO(host);
    auto response =
        client.Get(StrCat("https://", host, ":", server->port(), "/api/v3/time"), {}, kTimeout);
    REQUIRE(response.ok());
    CHECK(response->status == 200);
    CHECK(response->body == R"({"path":"/api/v3/time"})");
  }
  // Keep-alive holds over TLS too: one connection per origin.
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client.Get(StrCat("https://127.0.0.1:", server->port(), "/again"), {}, kTimeout).ok());
  }
  CHECK(client.connections_opened() == 2);
}

TEST_CASE("an https server whose CA is not trusted is refused with the reason", "[net][tls]") {
  auto server = StartHttpsServer();
  HttpClient client;  // the system store only
  auto response = client.Get(StrCat("https://127.0.0.1:", server->port(), "/"), {}, kTimeout);
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(response.status(), "TLS handshake"));
  CHECK(Contains(response.status(), "certificate"));

  // A plain http request to the TLS port is no answer either, and no crash.
  auto plain = client.Get(StrCat("http://127.0.0.1:", server->port(), "/"), {}, milliseconds(2000));
  CHECK_FALSE(plain.ok());
  // The server still serves a client that trusts it.
  HttpClientOptions options;
  options.tls = TrustTestCa();
  HttpClient trusting(options);
  CHECK(trusting.Get(StrCat("https://127.0.0.1:", server->port(), "/"), {}, kTimeout).ok());
}

TEST_CASE("a CA file that cannot be read is INVALID_ARGUMENT naming the file", "[net][tls]") {
  auto server = StartHttpsServer();
  HttpClientOptions options;
  options.tls.ca_file = "/nonexistent/ca.pem";
  HttpClient client(options);
  auto response = client.Get(StrCat("https://127.0.0.1:", server->port(), "/"), {}, kTimeout);
  CHECK(response.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(response.status(), "/nonexistent/ca.pem"));
  HttpServerOptions bad;
  bad.tls = TlsServerOptions{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  auto refused = HttpServer::Start(bad, [](const HttpRequest&) { return HttpResponse(); });
  CHECK(refused.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a wss round trip succeeds when the client trusts the server's CA", "[net][tls]") {
  WebSocketServerOptions options;
  options.tls = ServerTls();
  WebSocketServer* raw_server = nullptr;
  WebSocketServer::Callbacks callbacks;
  callbacks.on_message = [&](ConnectionId id, std::string_view message) {
    (void)raw_server->Send(id, StrCat("secure:", message));
  };
  auto server = WebSocketServer::Start(options, std::move(callbacks));
  REQUIRE(server.ok());
  raw_server = server->get();

  WebSocketClientOptions client_options;
  client_options.tls = TrustTestCa();
  WebSocketClient client(client_options);
  REQUIRE(client.Connect(StrCat("wss://localhost:", (*server)->port(), "/ws/key"), kTimeout).ok());
  REQUIRE(client.SendText("ping-1", kTimeout).ok());
  auto reply = client.Receive(kTimeout);
  REQUIRE(reply.ok());
  CHECK(*reply == "secure:ping-1");
  REQUIRE(client.Close(kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return (*server)->connection_count() == 0; }));

  WebSocketClient untrusting;
  absl::Status refused =
      untrusting.Connect(StrCat("wss://localhost:", (*server)->port(), "/ws/key"), kTimeout);
  CHECK(refused.code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(refused, "TLS handshake"));
}

}  // namespace
}  // namespace tradeplane::net
