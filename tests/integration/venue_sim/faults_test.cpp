// Fault injection on the control port (docs/how-to/venue-sim-faults.md),
// cancel-replace, out-of-band orders, listen keys and the latency model.
#include <future>
#include <set>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/wait.h"

#include "venue_sim_fixture.h"

namespace tradeplane::venue_sim_test {
namespace {

using std::chrono::milliseconds;

void WaitForState(VenueSim& sim, const char* field, int64_t at_least) {
  bool ok = testing::WaitUntil([&] {
    Response s = sim.Control("GET", "/control/state");
    return s.json.IsObject() && s.json["streams"][field].GetInt64() >= at_least;
  });
  REQUIRE(ok);
}

std::string RestingBuy(const std::string& client_id) {
  return "symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=10&price=0.2&"
         "newClientOrderId=" +
         client_id;
}

TEST_CASE("each injected fault behaves as documented and the venue's state survives them",
          "[venue-sim][faults]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + SpotReplay()});
  REQUIRE(sim.Control("POST", "/control/step?events=100000").status == 200);

  // Acks delayed: the answer waits, the order is placed at once.
  REQUIRE(sim.Control("POST", "/control/faults/ack-delay?ms=300").status == 200);
  auto started = std::chrono::steady_clock::now();
  Response delayed = sim.Signed("POST", "/api/v3/order", RestingBuy("delayed-1"));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(delayed.status == 200);
  CHECK(took >= milliseconds(300));
  REQUIRE(sim.Control("POST", "/control/faults/ack-delay?ms=0").status == 200);

  // Acks dropped: the connection closes without an answer, yet the order exists.
  REQUIRE(sim.Control("POST", "/control/faults/drop-acks?count=1").status == 200);
  Response dropped = sim.Signed("POST", "/api/v3/order", RestingBuy("dropped-1"));
  CHECK(dropped.status == 0);
  CHECK_FALSE(dropped.transport_error.empty());
  Response found = sim.Signed("GET", "/api/v3/order", "symbol=NKNUSDT&origClientOrderId=dropped-1");
  INFO(found.body);
  CHECK(found.Str("status") == "NEW");
  CHECK(sim.Signed("POST", "/api/v3/order", RestingBuy("after-drop")).status == 200);

  // 5xx for the next two requests, not carried out.
  REQUIRE(sim.Control("POST", "/control/faults/errors?count=2&status=502").status == 200);
  Response e1 = sim.Signed("POST", "/api/v3/order", RestingBuy("not-placed"));
  CHECK(e1.status == 502);
  CHECK(e1.code() == -1001);
  CHECK(sim.Get("/api/v3/time").status == 502);
  CHECK(sim.Get("/api/v3/time").status == 200);
  CHECK(sim.Signed("GET", "/api/v3/order", "symbol=NKNUSDT&origClientOrderId=not-placed").code() ==
        -2013);

  // 429 with Retry-After.
  REQUIRE(sim.Control("POST", "/control/faults/rate-limit?count=1&retry_after_s=7").status == 200);
  Response limited = sim.Get("/api/v3/ping");
  CHECK(limited.status == 429);
  CHECK(limited.code() == -1003);
  CHECK(limited.headers.Get("Retry-After") == std::optional<std::string_view>("7"));
  CHECK(sim.Get("/api/v3/ping").status == 200);

  // cancelReplace: both halves, then a cancel that fails under each mode.
  Response cr =
      sim.Signed("POST", "/api/v3/order/cancelReplace",
                 "symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=12&price=0.21&"
                 "cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=after-drop&"
                 "newClientOrderId=replaced-1");
  INFO(cr.body);
  CHECK(cr.status == 200);
  CHECK(cr.Str("cancelResult") == "SUCCESS");
  CHECK(cr.Str("newOrderResult") == "SUCCESS");
  CHECK(Str(cr.json["cancelResponse"], "status") == "CANCELED");
  CHECK(Str(cr.json["newOrderResponse"], "clientOrderId") == "replaced-1");
  Response stop =
      sim.Signed("POST", "/api/v3/order/cancelReplace",
                 "symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=12&price=0.21&"
                 "cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=no-such&"
                 "newClientOrderId=never");
  CHECK(stop.status == 400);
  CHECK(stop.code() == -2022);
  CHECK(Str(stop.json["data"], "newOrderResult") == "NOT_ATTEMPTED");
  CHECK(Int(stop.json["data"]["cancelResponse"], "code") == -2011);
  Response allow =
      sim.Signed("POST", "/api/v3/order/cancelReplace",
                 "symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=12&price=0.21&"
                 "cancelReplaceMode=ALLOW_FAILURE&cancelOrigClientOrderId=no-such&"
                 "newClientOrderId=placed-anyway");
  CHECK(allow.status == 409);
  CHECK(allow.code() == -2021);
  CHECK(Str(allow.json["data"], "newOrderResult") == "SUCCESS");

  // Streams: a market stream and a user-data stream.
  Response key = sim.Keyed("POST", "/api/v3/userDataStream");
  std::string listen_key = key.Str("listenKey");
  net::WebSocketClient market;
  net::WebSocketClient user;
  REQUIRE(market.Connect(sim.WsUrl("/ws/nknusdt@depth@100ms"), milliseconds(5000)).ok());
  REQUIRE(user.Connect(sim.WsUrl("/ws/" + listen_key), milliseconds(5000)).ok());
  WaitForState(sim, "user_subscriptions", 1);
  WaitForState(sim, "market_subscriptions", 1);

  // Disconnect one symbol's streams: the market stream is cut, the user
  // stream is not (it carries no NKNUSDT market stream).
  Response cut = sim.Control("POST", "/control/faults/disconnect?symbol=NKNUSDT");
  CHECK(cut.Int("disconnected") == 1);
  absl::StatusOr<std::string> gone = market.Receive(milliseconds(5000));
  CHECK(gone.status().code() == absl::StatusCode::kUnavailable);

  // An order placed out of band for our own API key: the system never sent
  // it, yet it is ours on every face of the venue.
  Response oob =
      sim.Control("POST", StrCat("/control/order?account=", kDocApiKey,
                                 "&symbol=NKNUSDT&side=BUY&type=LIMIT&quantity=8&price=0.25&"
                                 "newClientOrderId=out-of-band"));
  INFO(oob.body);
  CHECK(oob.Str("status") == "NEW");
  std::vector<std::string> events = ReceiveUntil(
      user, [](const std::string& f) { return f.find("out-of-band") != std::string::npos; },
      milliseconds(5000));
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().find("\"x\":\"NEW\"") != std::string::npos);
  Response open = sim.Signed("GET", "/api/v3/openOrders", "symbol=NKNUSDT");
  std::set<std::string> open_ids;
  for (const auto& o : open.json.GetArray()) open_ids.insert(Str(o, "clientOrderId"));
  CHECK(open_ids.count("out-of-band") == 1);
  CHECK(open_ids.count("replaced-1") == 1);
  CHECK(open_ids.count("after-drop") == 0);

  // Freeze: nothing is answered (or stepped) until unfrozen.
  REQUIRE(sim.Control("POST", "/control/faults/freeze").status == 200);
  std::future<Response> held = std::async(std::launch::async, [&] {
    net::HttpClient client;
    auto r = client.Get(StrCat("http://127.0.0.1:", sim.rest_port(), "/api/v3/time"), {},
                        milliseconds(20'000));
    Response out;
    out.status = r.ok() ? r->status : 0;
    return out;
  });
  CHECK(held.wait_for(milliseconds(500)) == std::future_status::timeout);
  CHECK(sim.Control("POST", "/control/step?events=1").status == 409);
  REQUIRE(sim.Control("POST", "/control/faults/unfreeze").status == 200);
  REQUIRE(held.wait_for(milliseconds(10'000)) == std::future_status::ready);
  CHECK(held.get().status == 200);

  // Restart: connections and listen keys are gone, orders and balances stay.
  Response before = sim.Signed("GET", "/api/v3/account", "");
  REQUIRE(sim.Control("POST", "/control/faults/restart").status == 200);
  // The out-of-band order's outboundAccountPosition, sent before the restart,
  // may still be queued ahead of the close.
  absl::StatusOr<std::string> closed = user.Receive(milliseconds(5000));
  for (int k = 0; k < 3 && closed.ok(); ++k) {
    INFO(*closed);
    CHECK(closed->find("\"outboundAccountPosition\"") != std::string::npos);
    closed = user.Receive(milliseconds(5000));
  }
  CHECK(closed.status().code() == absl::StatusCode::kUnavailable);
  CHECK(sim.Keyed("PUT", "/api/v3/userDataStream?listenKey=" + listen_key).code() == -1125);
  Response after = sim.Signed("GET", "/api/v3/account", "");
  CHECK(before.json["balances"] == after.json["balances"]);
  Response open_after = sim.Signed("GET", "/api/v3/openOrders", "symbol=NKNUSDT");
  CHECK(open_after.json.Size() == open.json.Size());
  Response new_key = sim.Keyed("POST", "/api/v3/userDataStream");
  CHECK(new_key.Str("listenKey") != listen_key);

  // Listen keys expire (here on demand; after 60 minutes without a PUT).
  net::WebSocketClient user2;
  REQUIRE(user2.Connect(sim.WsUrl("/ws/" + new_key.Str("listenKey")), milliseconds(5000)).ok());
  WaitForState(sim, "user_subscriptions", 1);
  CHECK(sim.Keyed("PUT", "/api/v3/userDataStream?listenKey=" + new_key.Str("listenKey")).status ==
        200);
  REQUIRE(sim.Control("POST", "/control/listen-keys/expire").Int("expired") == 1);
  std::vector<std::string> expired = ReceiveUntil(
      user2, [](const std::string& f) { return f.find("listenKeyExpired") != std::string::npos; },
      milliseconds(5000));
  REQUIRE_FALSE(expired.empty());
  CHECK(expired.back().find("listenKeyExpired") != std::string::npos);
  CHECK(sim.Keyed("PUT", "/api/v3/userDataStream?listenKey=" + new_key.Str("listenKey")).code() ==
        -1125);

  // Invariants the state endpoint lets a test check: no two open orders of
  // an account share a client order id, and every fill appears once per side.
  Response state = sim.Control("GET", "/control/state");
  REQUIRE(state.status == 200);
  for (const auto& a : state.json["accounts"].GetArray()) {
    std::set<std::string> open_client_ids;
    for (const auto& o : a["orders"].GetArray()) {
      if (!o["isWorking"].GetBool()) continue;
      CHECK(open_client_ids.insert(Str(o, "clientOrderId")).second);
    }
    std::set<std::pair<std::string, int64_t>> fills;
    for (const auto& t : a["trades"].GetArray()) {
      CHECK(fills.insert({Str(t, "symbol"), Int(t, "id")}).second);
    }
  }
  CHECK(state.json["faults"]["acks_dropped"].GetInt64() == 1);
  CHECK(state.json["faults"]["errors_sent"].GetInt64() == 2);
}

// The account's free balance of `asset`, as GET /api/v3/account lists it.
std::string FreeBalance(VenueSim& sim, const std::string& asset) {
  Response account = sim.Signed("GET", "/api/v3/account", "");
  REQUIRE(account.status == 200);
  for (const auto& b : account.json["balances"].GetArray()) {
    if (Str(b, "asset") == asset) return Str(b, "free");
  }
  return "";
}

TEST_CASE("a deposit or withdrawal at the control port moves the account's balance",
          "[venue-sim][control]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + SpotReplay()});
  const std::string before = FreeBalance(sim, "USDT");
  REQUIRE(before == "100000.00000000");
  Response out = sim.Control(
      "POST", StrCat("/control/balance?account=", kDocApiKey, "&asset=USDT&delta=-1500.5"));
  INFO(out.body);
  REQUIRE(out.status == 200);
  CHECK(Str(out.json, "free") == "98499.50000000");
  CHECK(FreeBalance(sim, "USDT") == "98499.50000000");
  CHECK(
      sim.Control("POST", StrCat("/control/balance?account=", kDocApiKey, "&asset=NEWCOIN&delta=7"))
          .status == 200);
  CHECK(FreeBalance(sim, "NEWCOIN") == "7.00000000");

  // Bad input: a clear 400, and the balance stays.
  struct Bad {
    std::string query;
    std::string error;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"asset=USDT&delta=1", "account, asset and delta are required"},
           {StrCat("account=", kDocApiKey, "&asset=usdt&delta=1"), "capital letters or digits"},
           {StrCat("account=", kDocApiKey, "&asset=USDT&delta=ten"), "delta:"},
           {StrCat("account=", kDocApiKey, "&asset=USDT&delta=0"), "must not be zero"},
           {StrCat("account=", kDocApiKey, "&asset=USDT&delta=-98499.6"), "exceeds the free"},
       }) {
    Response r = sim.Control("POST", "/control/balance?" + bad.query);
    INFO(bad.query << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find(bad.error) != std::string::npos);
  }
  CHECK(FreeBalance(sim, "USDT") == "98499.50000000");
}

TEST_CASE("an order reaches the engine latency after it arrives, in the simulation's time",
          "[venue-sim][latency]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nlatency_us: 50000\nreplays:\n" + SpotReplay()});
  Response key = sim.Keyed("POST", "/api/v3/userDataStream");
  net::WebSocketClient user;
  REQUIRE(user.Connect(sim.WsUrl("/ws/" + key.Str("listenKey")), milliseconds(5000)).ok());
  WaitForState(sim, "user_subscriptions", 1);
  REQUIRE(sim.Control("POST", "/control/step?events=40").status == 200);
  int64_t arrived = sim.Control("GET", "/control/position").Int("sim_time_ms");

  std::future<Response> placed = std::async(std::launch::async, [&] {
    VenueSim* s = &sim;
    return s->Signed("POST", "/api/v3/order", RestingBuy("late-1"));
  });
  // Paused: the request waits for the replay to reach its time.
  REQUIRE(testing::WaitUntil(
      [&] { return sim.Control("GET", "/control/position").Int("pending_requests") == 1; }));
  CHECK(placed.wait_for(milliseconds(200)) == std::future_status::timeout);
  // Step one event at a time: the order is carried out by the step whose
  // event is at or after its time, never before.
  int64_t pending = 1;
  int steps = 0;
  while (pending == 1 && steps < 500) {
    Response step = sim.Control("POST", "/control/step?events=1");
    REQUIRE(step.status == 200);
    ++steps;
    pending = step.json["position"]["pending_requests"].GetInt64();
    int64_t event_ms = step.json["position"]["last_event_ms"].GetInt64();
    if (pending == 1) {
      CHECK(event_ms <= arrived + 50);
    } else {
      CHECK(event_ms >= arrived + 50);
    }
  }
  CHECK(pending == 0);
  REQUIRE(placed.wait_for(milliseconds(5000)) == std::future_status::ready);
  Response r = placed.get();
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.Int("transactTime") == arrived + 50);
  std::vector<std::string> events = ReceiveUntil(
      user, [](const std::string& f) { return f.find("late-1") != std::string::npos; },
      milliseconds(5000));
  REQUIRE_FALSE(events.empty());
  rapidjson::Document report;
  report.Parse(events.back().c_str());
  CHECK(Int(report, "E") == arrived + 50);
}

}  // namespace
}  // namespace tradeplane::venue_sim_test
