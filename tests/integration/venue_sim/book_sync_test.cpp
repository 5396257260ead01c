// The depth stream and the REST snapshot agree: a client following Binance's
// local-book procedure (the market-data library's BinanceBookSync) holds the
// simulator's book. And lock-step runs repeat exactly.
#include <map>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/binance_book_sync.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/testing/wait.h"

#include "venue_sim_fixture.h"
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tradeplane::venue_sim_test {
namespace {

namespace md = marketdata;
using std::chrono::milliseconds;

void WaitForMarketSubscriptions(VenueSim& sim, int64_t n) {
  bool ok = testing::WaitUntil([&] {
    Response s = sim.Control("GET", "/control/state");
    return s.json.IsObject() && s.json["streams"]["market_subscriptions"].GetInt64() >= n;
  });
  REQUIRE(ok);
}

// The levels of a REST depth answer, as the market-data parser reads them.
md::BinanceDepthSnapshot Snapshot(VenueSim& sim, const std::string& symbol) {
  std::string path = StrCat("/api/v3/depth?symbol=", symbol, "&limit=5000");
  Response r = sim.Get(path);
  REQUIRE(r.status == 200);
  md::BinanceParser parser;
  md::BinanceDepthSnapshot snap;
  REQUIRE(
      parser.ParseDepthSnapshot(StrCat("http://127.0.0.1", path), r.body, Timestamp(), &snap).ok());
  return snap;
}

void CheckSameBook(const md::OrderBook& book, const md::BinanceDepthSnapshot& snap) {
  REQUIRE(book.Depth(md::BookSide::kBid) == snap.bids.size());
  REQUIRE(book.Depth(md::BookSide::kAsk) == snap.asks.size());
  for (size_t k = 0; k < snap.bids.size(); ++k) {
    CHECK(book.Level(md::BookSide::kBid, k).price == snap.bids[k].price);
    CHECK(book.Level(md::BookSide::kBid, k).qty == snap.bids[k].qty);
  }
  for (size_t k = 0; k < snap.asks.size(); ++k) {
    CHECK(book.Level(md::BookSide::kAsk, k).price == snap.asks[k].price);
    CHECK(book.Level(md::BookSide::kAsk, k).qty == snap.asks[k].qty);
  }
}

TEST_CASE("a client following Binance's book procedure on the streams holds the simulator's book",
          "[venue-sim][book]") {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + SpotReplay() + AmznReplay()});
  net::WebSocketClient ws;
  REQUIRE(ws.Connect(sim.WsUrl("/stream?streams=nknusdt@depth@100ms/amzn@depth@100ms/"
                               "amzn@bookTicker/amzn@aggTrade"),
                     milliseconds(5000))
              .ok());
  WaitForMarketSubscriptions(sim, 4);

  // Both timelines start together: 400 events cover the NKNUSDT snapshot
  // and AMZN's opening minutes.
  REQUIRE(sim.Control("POST", "/control/step?events=400").status == 200);
  md::BinanceDepthSnapshot nkn_first = Snapshot(sim, "NKNUSDT");
  md::BinanceDepthSnapshot amzn_first = Snapshot(sim, "AMZN");
  REQUIRE(!nkn_first.bids.empty());
  REQUIRE(!amzn_first.bids.empty());
  REQUIRE(!amzn_first.asks.empty());

  // Our own orders are part of the book the stream shows.
  // 5 dollars below the best bid: the next 600 events trade AMZN down to
  // 3357.39 (0.50 below that bid), and a trade through our price would fill
  // us (rule 6 of the simulated matching), taking the order off the book.
  Price below = Price::FromRaw(amzn_first.bids[0].price.raw() - 5'000'000'000LL);
  Response own =
      sim.Signed("POST", "/api/v3/order",
                 StrCat("symbol=AMZN&side=BUY&type=LIMIT&timeInForce=GTC&quantity=7&price=",
                        below.ToString()));
  INFO(own.body);
  REQUIRE(own.status == 200);
  REQUIRE(sim.Control("POST", "/control/step?events=600").status == 200);
  md::BinanceDepthSnapshot nkn_last = Snapshot(sim, "NKNUSDT");
  md::BinanceDepthSnapshot amzn_last = Snapshot(sim, "AMZN");
  REQUIRE(amzn_last.last_update_id > amzn_first.last_update_id);

  // Everything the stream sent up to the last snapshot.
  std::map<std::string, uint64_t> last_u;
  int trades = 0;
  int tickers = 0;
  std::vector<md::BinanceFrame> depth;
  md::BinanceParser parser;
  std::vector<std::string> frames = ReceiveUntil(
      ws,
      [&](const std::string& text) {
        md::BinanceFrame f;
        absl::Status s = parser.ParseFrame(text, Timestamp(), &f);
        REQUIRE(s.ok());
        if (f.kind == md::BinanceEventKind::kDepthUpdate) {
          last_u[f.depth.symbol] = f.depth.final_update_id;
          depth.push_back(f);
        }
        trades += f.kind == md::BinanceEventKind::kAggTrade;
        tickers += f.kind == md::BinanceEventKind::kBookTicker;
        return last_u["NKNUSDT"] == nkn_last.last_update_id &&
               last_u["AMZN"] == amzn_last.last_update_id;
      },
      milliseconds(20'000));
  REQUIRE(last_u["AMZN"] == amzn_last.last_update_id);
  REQUIRE(last_u["NKNUSDT"] == nkn_last.last_update_id);
  CHECK(trades > 0);
  CHECK(tickers > 0);

  for (auto [symbol, first, last] : {std::tuple{std::string("NKNUSDT"), &nkn_first, &nkn_last},
                                     std::tuple{std::string("AMZN"), &amzn_first, &amzn_last}}) {
    INFO(symbol);
    md::BinanceBookSyncOptions o;
    o.symbol = symbol;
    o.book.max_depth = 5000;
    md::BinanceBookSync sync(o);
    // Buffer the stream, join it to the first snapshot, apply the rest.
    for (const md::BinanceFrame& f : depth) {
      if (f.depth.symbol != symbol) continue;
      absl::StatusOr<md::SyncAction> a = sync.OnDepthUpdate(f.depth);
      REQUIRE(a.ok());
    }
    REQUIRE(sync.OnSnapshot(*first).ok());
    CHECK(sync.state() == md::BookSyncState::kSynced);
    CHECK(sync.counters().resyncs == 0);
    CHECK(sync.last_update_id() == last->last_update_id);
    CheckSameBook(sync.book(), *last);
  }
  // Our 7 shares are in the AMZN book at their price.
  bool found = false;
  for (const md::BookLevel& l : amzn_last.bids) {
    if (l.price == below) found = l.qty.raw() >= 7 * 1'000'000'000LL;
  }
  CHECK(found);
}

// Runs the AMZN replay in lock-step with the same steps and orders; returns
// every order and trade the venue recorded.
std::string LockstepRun() {
  VenueSim sim;
  sim.Start({.extra_yaml = "lockstep: true\nreplays:\n" + AmznReplay()});
  auto step = [&](int n) {
    Response r = sim.Control("POST", StrCat("/control/step?events=", n));
    REQUIRE(r.status == 200);
  };
  step(1500);
  Response depth = sim.Get("/api/v3/depth?symbol=AMZN&limit=5");
  REQUIRE(depth.json["bids"].Size() > 0);
  std::string bid = depth.json["bids"][0][0].GetString();
  std::string ask = depth.json["asks"][0][0].GetString();
  REQUIRE(sim.Signed("POST", "/api/v3/order",
                     "symbol=AMZN&side=BUY&type=LIMIT&timeInForce=GTC&quantity=20&"
                     "newClientOrderId=rest-bid&price=" +
                         bid)
              .status == 200);
  REQUIRE(sim.Signed("POST", "/api/v3/order",
                     "symbol=AMZN&side=SELL&type=LIMIT&timeInForce=GTC&quantity=20&"
                     "newClientOrderId=rest-ask&price=" +
                         ask)
              .status == 200);
  step(1500);
  REQUIRE(sim.Signed("POST", "/api/v3/order",
                     "symbol=AMZN&side=BUY&type=MARKET&quantity=15&newClientOrderId=take")
              .status == 200);
  step(3000);
  Response state = sim.Control("GET", "/control/state");
  REQUIRE(state.status == 200);
  // The accounts part: orders (with their times and states) and trades.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  state.json["accounts"].Accept(writer);
  int64_t trades = 0;
  for (const auto& a : state.json["accounts"].GetArray()) trades += a["trades"].Size();
  CHECK(trades >= 2);
  return std::string(buffer.GetString(), buffer.GetSize());
}

TEST_CASE("two lock-step runs with the same steps produce identical orders and trades",
          "[venue-sim][lockstep]") {
  std::string first = LockstepRun();
  std::string second = LockstepRun();
  INFO(first);
  CHECK(first == second);
}

}  // namespace
}  // namespace tradeplane::venue_sim_test
