#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/websocket_client.h"
#include "tradeplane/net/websocket_server.h"
#include "tradeplane/testing/wait.h"

#include "raw_tcp.h"

namespace tradeplane::net {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

bool Contains(const absl::Status& status, std::string_view text) {
  return ToStd(status.message()).find(text) != std::string_view::npos;
}

// A server that echoes every message, refuses unknown listen keys and
// records opens and closes.
struct Venue {
  std::mutex mutex;
  std::vector<ConnectionId> opened;  // in order
  std::map<ConnectionId, std::string> targets;
  std::map<ConnectionId, WebSocketCloseInfo> closed;
  std::unique_ptr<WebSocketServer> server;

  explicit Venue(WebSocketServerOptions options = {}) {
    WebSocketServer::Callbacks callbacks;
    callbacks.accept = [](const HttpRequest& upgrade) {
      if (upgrade.path.starts_with("/ws/") && upgrade.path != "/ws/valid-key") {
        return WebSocketAcceptDecision::Refuse(404, "unknown listen key");
      }
      return WebSocketAcceptDecision::Accept();
    };
    callbacks.on_open = [this](ConnectionId id, const HttpRequest& upgrade) {
      std::lock_guard<std::mutex> lock(mutex);
      opened.push_back(id);
      targets[id] = upgrade.target;
    };
    callbacks.on_message = [this](ConnectionId id, std::string_view message) {
      (void)server->Send(id, StrCat("echo:", message));
    };
    callbacks.on_close = [this](ConnectionId id, const WebSocketCloseInfo& why) {
      std::lock_guard<std::mutex> lock(mutex);
      closed[id] = why;
    };
    auto started = WebSocketServer::Start(options, std::move(callbacks));
    REQUIRE(started.ok());
    server = std::move(*started);
  }
  std::string Url(std::string_view target) const {
    return StrCat("ws://127.0.0.1:", server->port(), target);
  }
  size_t OpenedCount() {
    std::lock_guard<std::mutex> lock(mutex);
    return opened.size();
  }
  ConnectionId Opened(size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    return opened.at(i);
  }
  std::optional<WebSocketCloseInfo> ClosedInfo(ConnectionId id) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = closed.find(id);
    if (it == closed.end()) return std::nullopt;
    return it->second;
  }
};

TEST_CASE("a WebSocket message is echoed and the server sees the target", "[net][websocket]") {
  Venue venue;
  WebSocketClient client;
  REQUIRE(client.Connect(venue.Url("/stream?streams=btcusdt@trade/ethusdt@depth"), kTimeout).ok());
  CHECK(client.is_open());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.server->connection_count() == 1; }));
  {
    std::lock_guard<std::mutex> lock(venue.mutex);
    CHECK(venue.targets[venue.opened[0]] == "/stream?streams=btcusdt@trade/ethusdt@depth");
  }
  REQUIRE(client.SendText(R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})", kTimeout)
              .ok());
  auto reply = client.Receive(kTimeout);
  REQUIRE(reply.ok());
  CHECK(*reply == R"(echo:{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})");
  REQUIRE(client.SendText(std::string(200 * 1024, 'z'), kTimeout).ok());  // several frames' worth
  auto big = client.Receive(kTimeout);
  REQUIRE(big.ok());
  CHECK(big->size() == 5 + 200 * 1024);
}

TEST_CASE("a receive timeout leaves the connection open", "[net][websocket]") {
  Venue venue;
  WebSocketClient client;
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  auto nothing = client.Receive(milliseconds(30));
  REQUIRE_FALSE(nothing.ok());
  CHECK(nothing.status().code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(client.is_open());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  REQUIRE(venue.server->Send(venue.Opened(0), "executionReport").ok());
  auto message = client.Receive(kTimeout);
  REQUIRE(message.ok());
  CHECK(*message == "executionReport");
}

TEST_CASE("the server pushes to one client or to all, in order", "[net][websocket]") {
  Venue venue;
  std::vector<std::unique_ptr<WebSocketClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<WebSocketClient>());
    REQUIRE(clients.back()->Connect(venue.Url(StrCat("/ws/valid-key?client=", i)), kTimeout).ok());
    // Wait for each open so the n-th id belongs to the n-th client.
    REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == clients.size(); }));
  }
  CHECK(venue.server->connection_count() == 3);
  REQUIRE(venue.server->Send(venue.Opened(1), "only-for-1").ok());
  for (int i = 0; i < 50; ++i) {
    auto sent = venue.server->Broadcast(StrCat("all-", i));
    REQUIRE(sent.ok());
    CHECK(*sent == 3);
  }
  for (int c = 0; c < 3; ++c) {
    INFO("client " << c);
    if (c == 1) {
      auto first = clients[c]->Receive(kTimeout);
      REQUIRE(first.ok());
      CHECK(*first == "only-for-1");
    }
    for (int i = 0; i < 50; ++i) {
      auto message = clients[c]->Receive(kTimeout);
      REQUIRE(message.ok());
      CHECK(*message == StrCat("all-", i));
    }
  }
  auto unknown = venue.server->Send(999, "x");
  CHECK(unknown.code() == absl::StatusCode::kNotFound);
  CHECK(Contains(unknown, "999"));
}

TEST_CASE("a server-initiated close reaches the client after what was queued before it",
          "[net][websocket]") {
  Venue venue;
  WebSocketClient client;
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  ConnectionId id = venue.Opened(0);
  CHECK(venue.server->Close(id, 1005).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(venue.server->Send(id, "last words").ok());
  REQUIRE(venue.server->Close(id, 4000, "maintenance").ok());
  auto last = client.Receive(kTimeout);
  REQUIRE(last.ok());
  CHECK(*last == "last words");
  auto closed = client.Receive(kTimeout);
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.status().code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(closed.status(), "4000"));
  CHECK_FALSE(client.is_open());
  CHECK(client.close_info().code == 4000);
  CHECK(client.close_info().reason == "maintenance");
  CHECK(client.SendText("too late", kTimeout).code() == absl::StatusCode::kUnavailable);
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.ClosedInfo(id).has_value(); }));
  CHECK(venue.server->connection_count() == 0);
  CHECK(venue.server->Send(id, "gone").code() == absl::StatusCode::kNotFound);

  // No automatic reconnect, but the same object connects again when asked.
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(client.SendText("again", kTimeout).ok());
  auto again = client.Receive(kTimeout);
  REQUIRE(again.ok());
  CHECK(*again == "echo:again");
}

TEST_CASE("a dropped connection is seen by the client as code 1006", "[net][websocket]") {
  Venue venue;
  WebSocketClient client;
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  REQUIRE(venue.server->Drop(venue.Opened(0)).ok());
  auto lost = client.Receive(kTimeout);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.status().code() == absl::StatusCode::kUnavailable);
  CHECK(client.close_info().code == 1006);
  REQUIRE(tradeplane::testing::WaitUntil(
      [&] { return venue.ClosedInfo(venue.Opened(0)).has_value(); }));
  CHECK(venue.ClosedInfo(venue.Opened(0))->code == 1006);
  CHECK(venue.ClosedInfo(venue.Opened(0))->reason == "dropped by the server");
}

TEST_CASE("the server sees a client close and a client that vanishes", "[net][websocket]") {
  Venue venue;
  auto polite = std::make_unique<WebSocketClient>();
  REQUIRE(polite->Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  auto rude = std::make_unique<WebSocketClient>();
  REQUIRE(rude->Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 2; }));

  REQUIRE(polite->Close(kTimeout).ok());
  CHECK_FALSE(polite->is_open());
  REQUIRE(tradeplane::testing::WaitUntil(
      [&] { return venue.ClosedInfo(venue.Opened(0)).has_value(); }));
  CHECK(venue.ClosedInfo(venue.Opened(0))->code == 1000);

  rude.reset();  // the socket closes without a close frame
  REQUIRE(tradeplane::testing::WaitUntil(
      [&] { return venue.ClosedInfo(venue.Opened(1)).has_value(); }));
  CHECK(venue.ClosedInfo(venue.Opened(1))->code == 1006);
  CHECK(venue.server->connection_count() == 0);
}

TEST_CASE("an upgrade the accept callback refuses reaches the client as its HTTP status",
          "[net][websocket]") {
  Venue venue;
  WebSocketClient client;
  absl::Status refused = client.Connect(venue.Url("/ws/unknown-key"), kTimeout);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(refused, "404"));
  CHECK(Contains(refused, "unknown listen key"));
  CHECK(Contains(refused, "/ws/unknown-key"));
  CHECK(client.refused_status() == 404);
  CHECK_FALSE(client.is_open());
  CHECK(venue.OpenedCount() == 0);
  CHECK(client.Receive(milliseconds(10)).status().code() == absl::StatusCode::kFailedPrecondition);

  // Plain HTTP on the WebSocket port is told to upgrade.
  HttpClient http;
  auto plain = http.Get(StrCat("http://127.0.0.1:", venue.server->port(), "/"), {}, kTimeout);
  REQUIRE(plain.ok());
  CHECK(plain->status == 426);
  // Garbage is a 400, and the server still accepts.
  CHECK(testing::RawExchange(venue.server->port(), "\x01\x02\r\n\r\n").rfind("HTTP/1.1 400", 0) ==
        0);
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
}

TEST_CASE("connecting to nothing is UNAVAILABLE and to a silent port is DEADLINE_EXCEEDED",
          "[net][websocket]") {
  WebSocketClient client;
  int port = tradeplane::testing::FreeTcpPort();
  absl::Status refused = client.Connect(StrCat("ws://127.0.0.1:", port, "/ws/k"), kTimeout);
  CHECK(refused.code() == absl::StatusCode::kUnavailable);
  CHECK(Contains(refused, StrCat("127.0.0.1:", port, "/ws/k")));
  testing::SilentListener silent;
  absl::Status silent_status =
      client.Connect(StrCat("ws://127.0.0.1:", silent.port(), "/ws/k"), milliseconds(150));
  CHECK(silent_status.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(client.Connect("http://127.0.0.1/", kTimeout).code() == absl::StatusCode::kInvalidArgument);
  CHECK(client.SendText("x", kTimeout).code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("pings keep a receiving client alive and drop a silent one", "[net][websocket]") {
  WebSocketServerOptions options;
  options.idle_timeout = milliseconds(800);  // ping after 400 ms of silence
  Venue venue(options);
  WebSocketClient receiving;
  REQUIRE(receiving.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  WebSocketClient silent;  // never runs its event loop again, so never answers a ping
  REQUIRE(silent.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 2; }));
  ConnectionId silent_id = venue.Opened(1);

  // Receiving answers the server's pings: the receiving client outlives the
  // silent one, which is dropped after one idle timeout with no pong.
  auto give_up = std::chrono::steady_clock::now() + kTimeout;
  while (!venue.ClosedInfo(silent_id).has_value() && std::chrono::steady_clock::now() < give_up) {
    auto message = receiving.Receive(milliseconds(50));
    REQUIRE(message.status().code() == absl::StatusCode::kDeadlineExceeded);
  }
  REQUIRE(venue.ClosedInfo(silent_id).has_value());
  CHECK(venue.ClosedInfo(silent_id)->code == 1006);
  // Another full idle period of receiving only, still alive.
  auto until = std::chrono::steady_clock::now() + milliseconds(800);
  while (std::chrono::steady_clock::now() < until) {
    auto message = receiving.Receive(milliseconds(50));
    REQUIRE(message.status().code() == absl::StatusCode::kDeadlineExceeded);
  }
  CHECK(receiving.is_open());
  CHECK_FALSE(venue.ClosedInfo(venue.Opened(0)).has_value());
  REQUIRE(venue.server->Send(venue.Opened(0), "still here").ok());
  auto message = receiving.Receive(kTimeout);
  REQUIRE(message.ok());
  CHECK(*message == "still here");
}

TEST_CASE("a client that does not read is cut off as a slow consumer", "[net][websocket]") {
  WebSocketServerOptions options;
  options.max_queued_bytes = 256 * 1024;
  Venue venue(options);
  WebSocketClient client;  // connects, then never reads
  REQUIRE(client.Connect(venue.Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.OpenedCount() == 1; }));
  ConnectionId id = venue.Opened(0);
  std::string chunk(64 * 1024, 'd');
  absl::Status status;
  size_t sent_bytes = 0;
  // The kernel's socket buffers absorb a few megabytes first.
  while (status.ok() && sent_bytes < (512u << 20)) {
    status = venue.server->Send(id, chunk);
    sent_bytes += chunk.size();
  }
  CHECK((status.code() == absl::StatusCode::kResourceExhausted ||
         status.code() == absl::StatusCode::kNotFound));
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue.ClosedInfo(id).has_value(); }));
  CHECK(venue.ClosedInfo(id)->reason.find("slow consumer") != std::string::npos);
}

TEST_CASE("stopping the server closes its clients with going away", "[net][websocket]") {
  auto venue = std::make_unique<Venue>();
  WebSocketClient client;
  REQUIRE(client.Connect(venue->Url("/ws/valid-key"), kTimeout).ok());
  REQUIRE(tradeplane::testing::WaitUntil([&] { return venue->OpenedCount() == 1; }));
  std::thread stopper([&] { venue->server->Stop(); });
  // The client must read for the close handshake to complete.
  auto closed = client.Receive(kTimeout);
  stopper.join();
  REQUIRE_FALSE(closed.ok());
  CHECK(client.close_info().code == 1001);
  CHECK(venue->ClosedInfo(venue->Opened(0)).has_value());
  CHECK(venue->server->Broadcast("x").status().code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tradeplane::net
