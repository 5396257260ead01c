// Bad input of every class gets a clear Binance-style error or a close, is
// counted, and the simulator keeps serving.
#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/metrics_scrape.h"

#include "venue_sim_fixture.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tradeplane::venue_sim_test {
namespace {

using std::chrono::milliseconds;

// Sends raw bytes to 127.0.0.1:port and returns what comes back until the
// server closes (or 5 s pass).
std::string RawExchange(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  REQUIRE(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

std::string Order(std::string_view params) {
  return StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&", params);
}

TEST_CASE("bad input of every class gets its error or a close and is counted",
          "[venue-sim][bad-input]") {
  VenueSim sim;
  sim.Start(
      {.extra_yaml = "lockstep: true\nrequest_weight_per_minute: 600\nreplays:\n" + SpotReplay(),
       .metrics = true});
  REQUIRE(sim.Control("POST", "/control/step?events=100000").status == 200);

  // Not HTTP at all: the server answers 400 and closes; nothing else notices.
  std::string garbage = RawExchange(sim.rest_port(), "\x01\x02 this is not HTTP\r\n\r\n");
  CHECK(garbage.starts_with("HTTP/1.1 400"));

  // Unknown endpoints and methods.
  Response unknown = sim.Get("/api/v3/nothing");
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == -1000);
  CHECK(sim.Rest("PATCH", "/api/v3/order").status == 404);

  // Query strings.
  CHECK(sim.Get("/api/v3/depth?symbol=NKN%ZZ").code() == -1100);
  CHECK(sim.Get("/api/v3/depth?symbol=NKNUSDT&symbol=NKNUSDT").code() == -1101);
  Response unread = sim.Get("/api/v3/depth?symbol=NKNUSDT&colour=red");
  CHECK(unread.code() == -1104);
  CHECK(unread.Str("msg") ==
        "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.");
  CHECK(sim.Get("/api/v3/depth?symbol=nknusdt").code() == -1100);
  CHECK(sim.Get("/api/v3/depth?symbol=NOSUCH").code() == -1121);
  CHECK(sim.Get("/api/v3/depth").code() == -1102);
  CHECK(sim.Get("/api/v3/depth?symbol=NKNUSDT&limit=abc").code() == -1100);

  // Orders: each parameter's own code.
  CHECK(
      sim.Signed("POST", "/api/v3/order", "symbol=NKNUSDT&side=UP&type=LIMIT&quantity=1").code() ==
      -1117);
  CHECK(
      sim.Signed("POST", "/api/v3/order", "symbol=NKNUSDT&side=BUY&type=FANCY&quantity=1").code() ==
      -1116);
  CHECK(
      sim.Signed("POST", "/api/v3/order", "symbol=NKNUSDT&side=BUY&type=LIMIT&quantity=1&price=0.3")
          .code() == -1102);
  // (Order() already sends timeInForce=GTC: a second one is a duplicate, -1101.)
  CHECK(sim.Signed("POST", "/api/v3/order",
                   "symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTD&quantity=10&price=0.3")
            .code() == -1115);
  CHECK(
      sim.Signed("POST", "/api/v3/order", Order("timeInForce=IOC&quantity=10&price=0.3")).code() ==
      -1101);
  Response lot = sim.Signed("POST", "/api/v3/order", Order("quantity=10.5&price=0.3"));
  CHECK(lot.code() == -1013);
  CHECK(lot.Str("msg") == "Filter failure: LOT_SIZE");
  CHECK(sim.Signed("POST", "/api/v3/order", Order("quantity=10&price=0.30001")).Str("msg") ==
        "Filter failure: PRICE_FILTER");
  CHECK(sim.Signed("POST", "/api/v3/order", Order("quantity=1&price=0.3")).Str("msg") ==
        "Filter failure: NOTIONAL");
  CHECK(sim.Signed("POST", "/api/v3/order", Order("quantity=10&price=0.3000000001")).code() ==
        -1111);
  Response poor = sim.Signed("POST", "/api/v3/order", Order("quantity=10000000&price=0.3"));
  CHECK(poor.code() == -2010);
  CHECK(poor.Str("msg") == "Account has insufficient balance for requested action.");
  CHECK(sim.Signed("POST", "/api/v3/order", Order("quantity=10&price=0.3&newClientOrderId=a%21b"))
            .code() == -1100);
  CHECK(sim.Signed("POST", "/api/v3/order", Order("quantity=10&price=0.2&newClientOrderId=dup"))
            .status == 200);
  Response dup =
      sim.Signed("POST", "/api/v3/order", Order("quantity=10&price=0.2&newClientOrderId=dup"));
  CHECK(dup.code() == -2010);
  CHECK(dup.Str("msg") == "Duplicate order sent.");
  CHECK(sim.Signed("POST", "/api/v3/order",
                   "symbol=NKNUSDT&side=BUY&type=MARKET&quantity=10&timeInForce=GTC")
            .code() == -1106);
  CHECK(sim.Signed("POST", "/api/v3/order",
                   "symbol=NKNUSDT&side=BUY&type=STOP_LOSS&quantity=10&stopPrice=0.3")
            .code() == -1014);
  CHECK(sim.Signed("DELETE", "/api/v3/order", "symbol=NKNUSDT").code() == -1102);
  CHECK(sim.Signed("DELETE", "/api/v3/order", "symbol=NKNUSDT&orderId=424242").code() == -2011);
  CHECK(sim.Signed("DELETE", "/api/v3/openOrders", "symbol=NKNUSDT").status == 200);
  CHECK(sim.Signed("DELETE", "/api/v3/openOrders", "symbol=NKNUSDT").code() == -2011);
  CHECK(sim.Signed("GET", "/api/v3/myTrades", "symbol=NKNUSDT&fromId=1&startTime=1").code() ==
        -1128);

  // An oversized body is refused before it is read.
  Response big = sim.Rest("POST", "/api/v3/order", {{"X-MBX-APIKEY", kDocApiKey}},
                          std::string(200 * 1024, 'a'));
  CHECK(big.status == 413);

  // WebSocket: unknown paths and streams are refused at the upgrade.
  net::WebSocketClient refused;
  CHECK_FALSE(refused.Connect(sim.WsUrl("/ws/nosuchusdt@trade"), milliseconds(5000)).ok());
  CHECK(refused.refused_status() == 400);
  CHECK_FALSE(refused.Connect(sim.WsUrl("/elsewhere"), milliseconds(5000)).ok());
  CHECK(refused.refused_status() == 404);
  CHECK_FALSE(refused.Connect(sim.WsUrl("/ws/" + std::string(60, 'x')), milliseconds(5000)).ok());

  // Requests on a stream: answered; garbage: an error each, then a close.
  net::WebSocketClient ws;
  REQUIRE(ws.Connect(sim.WsUrl("/ws"), milliseconds(5000)).ok());
  REQUIRE(
      ws.SendText(R"({"method":"SUBSCRIBE","params":["nknusdt@trade"],"id":1})", milliseconds(5000))
          .ok());
  CHECK(*ws.Receive(milliseconds(5000)) == R"({"result":null,"id":1})");
  REQUIRE(ws.SendText(R"({"method":"LIST_SUBSCRIPTIONS","id":2})", milliseconds(5000)).ok());
  CHECK(*ws.Receive(milliseconds(5000)) == R"({"result":["nknusdt@trade"],"id":2})");
  REQUIRE(ws.SendText("this is not json", milliseconds(5000)).ok());
  absl::StatusOr<std::string> error = ws.Receive(milliseconds(5000));
  REQUIRE(error.ok());
  CHECK(error->find("\"code\":3") != std::string::npos);
  for (int k = 0; k < 9; ++k) (void)ws.SendText("{]", milliseconds(5000));
  std::vector<std::string> rest = ReceiveUntil(
      ws, [](const std::string&) { return false; }, milliseconds(5000));
  CHECK(rest.size() == 9);
  CHECK_FALSE(ws.is_open());
  CHECK(ws.close_info().code == 1008);

  // Still serving everyone.
  CHECK(sim.Get("/api/v3/ping").status == 200);
  REQUIRE(sim.process()->Running());

  // Counted by class.
  std::string metrics = sim.Metrics();
  INFO(metrics.substr(0, 4000));
  CHECK(testing::MetricSample(metrics,
                              R"(tradeplane_venue_sim_bad_input_total{kind="endpoint"})") >= 2);
  CHECK(testing::MetricSample(metrics, R"(tradeplane_venue_sim_bad_input_total{kind="query"})") >=
        4);
  CHECK(testing::MetricSample(metrics,
                              R"(tradeplane_venue_sim_bad_input_total{kind="websocket"})") >= 10);
  CHECK(testing::MetricSample(metrics,
                              R"(tradeplane_venue_sim_bad_input_total{kind="stream_path"})") >= 3);
  CHECK(testing::MetricSample(
            metrics,
            R"(tradeplane_venue_sim_request_errors_total{code="-2010",endpoint="order"})") >= 2);

  // The request weight: 600 a minute, exchangeInfo costs 20. Within two
  // minute windows at most, a request is refused with 429 and Retry-After.
  bool limited = false;
  int last_used = 0;
  for (int k = 0; k < 70 && !limited; ++k) {
    Response r = sim.Get("/api/v3/exchangeInfo");
    std::optional<std::string_view> used = r.headers.Get("X-MBX-USED-WEIGHT-1M");
    REQUIRE(used.has_value());
    last_used = std::stoi(std::string(*used));
    if (r.status == 429) {
      limited = true;
      CHECK(r.code() == -1003);
      std::optional<std::string_view> retry = r.headers.Get("Retry-After");
      REQUIRE(retry.has_value());
      int seconds = std::stoi(std::string(*retry));
      CHECK(seconds >= 1);
      CHECK(seconds <= 60);
    }
  }
  CHECK(limited);
  CHECK(last_used > 580);
}

}  // namespace
}  // namespace tradeplane::venue_sim_test
