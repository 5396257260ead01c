// Orders of every type and time in force against the replayed Binance spot
// book, with their fills, fees, balances and user-data events.
#include <map>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/wait.h"

#include "venue_sim_fixture.h"

namespace tradeplane::venue_sim_test {
namespace {

using std::chrono::milliseconds;
__extension__ typedef __int128 Int128;

constexpr int64_t kScale = 1'000'000'000;
constexpr int64_t kTick = 100'000;  // 0.0001

int64_t Notional(int64_t price, int64_t qty) {
  return static_cast<int64_t>(static_cast<Int128>(price) * qty / kScale);
}
int64_t Fee(int64_t notional, int64_t bps) { return notional * bps / 10'000; }
int64_t CeilDiv(Int128 a, Int128 b) { return static_cast<int64_t>((a + b - 1) / b); }

std::string D(int64_t raw) { return fixed_point::FormatRaw(raw); }

struct Level {
  int64_t price;
  int64_t qty;
};
Level LevelAt(const Response& depth, const char* side, size_t k) {
  const rapidjson::Value& l = depth.json[side][static_cast<rapidjson::SizeType>(k)];
  return {Raw(l[0].GetString()), Raw(l[1].GetString())};
}

// Waits until the simulator has registered `n` user-data subscriptions (a
// connection's handshake completes before the server records it).
void WaitForSubscriptions(VenueSim& sim, int64_t n) {
  bool ok = testing::WaitUntil([&] {
    Response s = sim.Control("GET", "/control/state");
    return s.json.IsObject() && s.json["streams"]["user_subscriptions"].GetInt64() >= n;
  });
  REQUIRE(ok);
}

TEST_CASE("orders of every type meet the replayed book and report fills, fees and events",
          "[venue-sim][orders]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + SpotReplay()});
  Response step = sim.Control("POST", "/control/step?events=100000");
  INFO(step.body);
  REQUIRE(step.status == 200);
  CHECK(step.Int("delivered") == 265);  // every frame of the recording
  CHECK(step.json["position"]["finished"].GetBool());

  Response key = sim.Keyed("POST", "/api/v3/userDataStream");
  net::WebSocketClient ws;
  REQUIRE(ws.Connect(sim.WsUrl("/ws/" + key.Str("listenKey")), milliseconds(5000)).ok());
  WaitForSubscriptions(sim, 1);

  Response depth = sim.Get("/api/v3/depth?symbol=NKNUSDT&limit=5000");
  REQUIRE(depth.status == 200);
  Level bid = LevelAt(depth, "bids", 0);
  Level ask = LevelAt(depth, "asks", 0);
  Level ask2 = LevelAt(depth, "asks", 1);
  REQUIRE(bid.price < ask.price);
  const std::string order = "/api/v3/order";

  // LIMIT_MAKER that would take: refused, the order never exists.
  Response maker_take = sim.Signed(
      "POST", order,
      StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT_MAKER&quantity=10&price=", D(ask.price)));
  CHECK(maker_take.code() == -2010);
  CHECK(maker_take.Str("msg") == "Order would immediately match and take.");

  // LIMIT_MAKER below the bid rests; its default answer is ACK.
  int64_t maker_price = bid.price - kTick;
  Response maker = sim.Signed(
      "POST", order,
      StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT_MAKER&quantity=10&newClientOrderId=maker-1&price=",
             D(maker_price)));
  INFO(maker.body);
  CHECK(maker.status == 200);
  CHECK(maker.Str("clientOrderId") == "maker-1");
  CHECK_FALSE(maker.json.HasMember("status"));  // ACK

  // FOK for more than the best ask holds, at the best ask: nothing fills.
  Response fok = sim.Signed("POST", order,
                            StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=FOK&quantity=",
                                   D(ask.qty + kScale), "&price=", D(ask.price)));
  INFO(fok.body);
  CHECK(fok.Str("status") == "EXPIRED");
  CHECK(Raw(fok.Str("executedQty")) == 0);
  CHECK(fok.json["fills"].Size() == 0);

  // IOC for 7 more than the best ask: takes the level, expires the rest.
  Response ioc = sim.Signed(
      "POST", order,
      StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=",
             D(ask.qty + 7 * kScale), "&price=", D(ask.price), "&newOrderRespType=FULL"));
  INFO(ioc.body);
  CHECK(ioc.Str("status") == "EXPIRED");
  CHECK(Raw(ioc.Str("executedQty")) == ask.qty);
  REQUIRE(ioc.json["fills"].Size() == 1);
  int64_t ioc_notional = Notional(ask.price, ask.qty);
  CHECK(Raw(Str(ioc.json["fills"][0], "price")) == ask.price);
  CHECK(Raw(Str(ioc.json["fills"][0], "commission")) == Fee(ioc_notional, 10));
  CHECK(Str(ioc.json["fills"][0], "commissionAsset") == "USDT");
  CHECK(Raw(ioc.Str("cummulativeQuoteQty")) == ioc_notional);

  // MARKET sell of 3 at the best bid.
  Response market = sim.Signed("POST", order, "symbol=NKNUSDT&side=SELL&type=MARKET&quantity=3");
  INFO(market.body);
  CHECK(market.Str("status") == "FILLED");
  CHECK(market.Str("type") == "MARKET");
  REQUIRE(market.json["fills"].Size() == 1);
  CHECK(Raw(Str(market.json["fills"][0], "price")) == bid.price);
  int64_t market_notional = Notional(bid.price, 3 * kScale);

  // GTC at the next ask, 5 more than it holds: a partial fill, the rest rests.
  Response gtc = sim.Signed(
      "POST", order,
      StrCat("symbol=NKNUSDT&side=BUY&type=LIMIT&timeInForce=GTC&newClientOrderId=gtc-1&quantity=",
             D(ask2.qty + 5 * kScale), "&price=", D(ask2.price), "&newOrderRespType=RESULT"));
  INFO(gtc.body);
  CHECK(gtc.Str("status") == "PARTIALLY_FILLED");
  CHECK(Raw(gtc.Str("executedQty")) == ask2.qty);
  CHECK_FALSE(gtc.json.HasMember("fills"));  // RESULT
  int64_t gtc_notional = Notional(ask2.price, ask2.qty);

  // Another client sells 3 into our resting remainder (the least above the
  // 1 USDT minimum notional): we are the maker.
  Response other = sim.Control(
      "POST", StrCat("/control/order?account=other-client&symbol=NKNUSDT&side=SELL&type=LIMIT&"
                     "timeInForce=GTC&quantity=3&price=",
                     D(ask2.price)));
  INFO(other.body);
  CHECK(other.Str("status") == "FILLED");
  int64_t maker_notional = Notional(ask2.price, 3 * kScale);

  // Our own sell into our own bid (above the minimum notional): self-trade
  // prevention expires it.
  Response stp =
      sim.Signed("POST", order,
                 StrCat("symbol=NKNUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=3&price=",
                        D(ask2.price)));
  INFO(stp.body);
  CHECK(stp.Str("status") == "EXPIRED_IN_MATCH");
  CHECK(Raw(stp.Str("executedQty")) == 0);

  // Cancel the remainder by client order id, naming the cancel.
  Response cancel = sim.Signed(
      "DELETE", order, "symbol=NKNUSDT&origClientOrderId=gtc-1&newClientOrderId=cancel-gtc-1");
  INFO(cancel.body);
  CHECK(cancel.Str("status") == "CANCELED");
  CHECK(cancel.Str("origClientOrderId") == "gtc-1");
  CHECK(cancel.Str("clientOrderId") == "cancel-gtc-1");
  CHECK(Raw(cancel.Str("executedQty")) == ask2.qty + 3 * kScale);
  CHECK(sim.Signed("DELETE", order, "symbol=NKNUSDT&origClientOrderId=gtc-1").code() == -2011);

  // Queries.
  Response q = sim.Signed("GET", order, StrCat("symbol=NKNUSDT&orderId=", ioc.Int("orderId")));
  CHECK(q.Str("status") == "EXPIRED");
  CHECK(q.Str("timeInForce") == "IOC");
  CHECK(sim.Signed("GET", order, "symbol=NKNUSDT&orderId=999999").code() == -2013);
  Response open = sim.Signed("GET", "/api/v3/openOrders", "symbol=NKNUSDT");
  REQUIRE(open.json.IsArray());
  REQUIRE(open.json.Size() == 1);
  CHECK(Str(open.json[0], "clientOrderId") == "maker-1");

  // myTrades: IOC, market, GTC (takers), then the maker fill, oldest first.
  Response trades = sim.Signed("GET", "/api/v3/myTrades", "symbol=NKNUSDT");
  INFO(trades.body);
  REQUIRE(trades.json.IsArray());
  REQUIRE(trades.json.Size() == 4);
  const rapidjson::Value& t = trades.json;
  CHECK(Raw(Str(t[0], "qty")) == ask.qty);
  CHECK(t[0]["isBuyer"].GetBool());
  CHECK_FALSE(t[1]["isBuyer"].GetBool());
  CHECK(Raw(Str(t[1], "commission")) == Fee(market_notional, 10));
  CHECK(Raw(Str(t[2], "commission")) == Fee(gtc_notional, 10));
  CHECK_FALSE(t[2]["isMaker"].GetBool());
  CHECK(t[3]["isMaker"].GetBool());
  CHECK(Raw(Str(t[3], "commission")) == Fee(maker_notional, 2));
  CHECK(Raw(Str(t[3], "quoteQty")) == maker_notional);
  for (rapidjson::SizeType k = 1; k < t.Size(); ++k) CHECK(Int(t[k], "id") > Int(t[k - 1], "id"));
  Response from =
      sim.Signed("GET", "/api/v3/myTrades", StrCat("symbol=NKNUSDT&fromId=", Int(t[2], "id")));
  CHECK(from.json.Size() == 2);
  Response last = sim.Signed("GET", "/api/v3/myTrades", "symbol=NKNUSDT&limit=1");
  REQUIRE(last.json.Size() == 1);
  CHECK(Int(last.json[0], "id") == Int(t[3], "id"));

  // Balances, to the last unit: what was paid, received, charged and locked.
  int64_t lock_notional = CeilDiv(static_cast<Int128>(maker_price) * 10 * kScale, kScale);
  int64_t lock = lock_notional + CeilDiv(static_cast<Int128>(lock_notional) * 10, 10'000);
  int64_t usdt = 100'000 * kScale - ioc_notional - Fee(ioc_notional, 10) + market_notional -
                 Fee(market_notional, 10) - gtc_notional - Fee(gtc_notional, 10) - maker_notional -
                 Fee(maker_notional, 2) - lock;
  int64_t nkn = 100'000 * kScale + ask.qty - 3 * kScale + ask2.qty + 3 * kScale;
  Response account = sim.Signed("GET", "/api/v3/account", "");
  INFO(account.body);
  std::map<std::string, std::pair<int64_t, int64_t>> balances;
  for (const auto& b : account.json["balances"].GetArray()) {
    balances[Str(b, "asset")] = {Raw(Str(b, "free")), Raw(Str(b, "locked"))};
  }
  CHECK(balances["USDT"].first == usdt);
  CHECK(balances["USDT"].second == lock);
  CHECK(balances["NKN"].first == nkn);
  CHECK(balances["NKN"].second == 0);
  CHECK(account.Int("makerCommission") == 2);
  CHECK(account.Int("takerCommission") == 10);
  CHECK(Raw(Str(account.json["commissionRates"], "taker")) == Raw("0.001"));

  // The user-data stream told every change of gtc-1, in order, and the
  // balances after each batch.
  std::vector<std::string> frames = ReceiveUntil(
      ws, [](const std::string& f) { return f.find("\"cancel-gtc-1\"") != std::string::npos; },
      milliseconds(10'000));
  std::vector<std::string> gtc_events;
  int positions = 0;
  bool stp_seen = false;
  for (const std::string& f : frames) {
    rapidjson::Document d;
    d.Parse(f.data(), f.size());
    REQUIRE(d.IsObject());
    if (Str(d, "e") == "outboundAccountPosition") {
      ++positions;
      continue;
    }
    REQUIRE(Str(d, "e") == "executionReport");
    for (const char* field : {"s", "c", "S", "o", "f", "q", "p", "x", "X", "l", "z", "L", "n", "Z",
                              "Y", "C", "r", "V"}) {
      CHECK(d.HasMember(field));
    }
    for (const char* field : {"E", "i", "T", "t", "I", "O", "W"}) CHECK(d[field].IsInt64());
    CHECK(d["N"].IsNull() == (Str(d, "x") != "TRADE"));
    if (Str(d, "x") == "TRADE_PREVENTION") {
      CHECK(Str(d, "X") == "EXPIRED_IN_MATCH");
      stp_seen = true;
    }
    if (Str(d, "c") == "gtc-1" || Str(d, "C") == "gtc-1") {
      gtc_events.push_back(StrCat(Str(d, "x"), "/", Str(d, "X"), "/", Str(d, "l"), "/",
                                  d["m"].GetBool() ? "maker" : "taker"));
    }
  }
  CHECK(stp_seen);
  CHECK(positions >= 5);
  REQUIRE(gtc_events.size() == 4);
  CHECK(gtc_events[0] == "NEW/NEW/0.00000000/taker");
  CHECK(gtc_events[1] == StrCat("TRADE/PARTIALLY_FILLED/",
                                fixed_point::FormatRawWithDecimals(ask2.qty, 8), "/taker"));
  CHECK(gtc_events[2] == "TRADE/PARTIALLY_FILLED/3.00000000/maker");
  CHECK(gtc_events[3] == "CANCELED/CANCELED/0.00000000/taker");

  // What the other client's fill did to the book: the public trade streams
  // and the control state agree that every fill is recorded once.
  Response state = sim.Control("GET", "/control/state");
  std::map<int64_t, int> sides_per_trade;
  for (const auto& a : state.json["accounts"].GetArray()) {
    for (const auto& tr : a["trades"].GetArray()) ++sides_per_trade[Int(tr, "id")];
  }
  CHECK(sides_per_trade.size() == 4);
  CHECK(sides_per_trade[Int(t[3], "id")] == 2);  // both of our accounts' sides
}

TEST_CASE("a futures recording is served as a spot symbol and its trades fill our resting orders",
          "[venue-sim][orders]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + FuturesReplay()});
  // Up to the SUSHIUSDT snapshot and a few updates after it.
  Response first = sim.Control("POST", "/control/step?events=60");
  REQUIRE(first.status == 200);
  Response depth = sim.Get("/api/v3/depth?symbol=SUSHIUSDT&limit=10");
  INFO(depth.body);
  REQUIRE(depth.json["bids"].Size() > 0);
  Level bid = LevelAt(depth, "bids", 0);
  // Join the best bid's queue; the recording's sells at that price reach us
  // once the queue ahead is used up, or a sell through it fills us at once.
  Response buy =
      sim.Signed("POST", "/api/v3/order",
                 StrCat("symbol=SUSHIUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=",
                        D(bid.price)));
  INFO(buy.body);
  REQUIRE(buy.Str("status") == "NEW");
  Response rest = sim.Control("POST", "/control/step?events=100000");
  REQUIRE(rest.status == 200);
  Response q =
      sim.Signed("GET", "/api/v3/order", StrCat("symbol=SUSHIUSDT&orderId=", buy.Int("orderId")));
  INFO(q.body);
  // 30 seconds of SUSHIUSDT trading moved the price through our bid.
  CHECK(q.Str("status") == "FILLED");
  Response trades = sim.Signed("GET", "/api/v3/myTrades", "symbol=SUSHIUSDT");
  REQUIRE(trades.json.Size() == 1);
  CHECK(trades.json[0]["isMaker"].GetBool());
  CHECK(Raw(Str(trades.json[0], "price")) == bid.price);
}

}  // namespace
}  // namespace tradeplane::venue_sim_test
