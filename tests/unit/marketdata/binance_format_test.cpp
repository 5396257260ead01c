#include "tradeplane/marketdata/binance_format.h"

#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using testing::DataLines;
using testing::Message;
using testing::P;
using testing::Q;

BinanceFrame Frame(std::string_view line) {
  absl::StatusOr<BinanceFrame> frame = ParseBinanceWsLogLine(line);
  INFO(Message(frame.status()));
  REQUIRE(frame.ok());
  return *frame;
}

absl::Status FrameError(std::string_view line) {
  absl::StatusOr<BinanceFrame> frame = ParseBinanceWsLogLine(line);
  REQUIRE_FALSE(frame.ok());
  return frame.status();
}

TEST_CASE("a spot depth update parses with exact decimals", "[marketdata][binance]") {
  BinanceFrame f = Frame(
      R"(1633998512.0633569: {"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512068,"s":"NKNUSDT","U":499869750,"u":499869752,"b":[["0.35130000","6195.00000000"],["0.34750000","5548.00000000"],["0.34640000","6222.00000000"]],"a":[]}})");
  CHECK(f.kind == BinanceEventKind::kDepthUpdate);
  CHECK(f.stream == "nknusdt@depth@100ms");
  CHECK(f.receive_time == Timestamp::FromNanos(1633998512'063356900));
  CHECK(f.depth.symbol == "NKNUSDT");
  CHECK(f.depth.event_time == Timestamp::FromMillis(1633998512068));
  CHECK(f.depth.transaction_time.is_zero());
  CHECK(f.depth.first_update_id == 499869750);
  CHECK(f.depth.final_update_id == 499869752);
  CHECK_FALSE(f.depth.has_previous_final_update_id);
  REQUIRE(f.depth.bids.size() == 3);
  CHECK(f.depth.bids[0].price == P("0.3513"));
  CHECK(f.depth.bids[0].price.raw() == 351'300'000);
  CHECK(f.depth.bids[2].qty == Q("6222"));
  CHECK(f.depth.asks.empty());
}

TEST_CASE("a futures depth update carries pu and the transaction time", "[marketdata][binance]") {
  BinanceFrame f = Frame(
      R"(1626992741.081672: {"stream":"sushiusdt@depth@100ms","data":{"e":"depthUpdate","E":1626992741037,"T":1626992741024,"s":"SUSHIUSDT","U":600859599090,"u":600859600917,"pu":600859598061,"b":[["7.5040","813"],["7.6090","0"],["7.6110","2"]],"a":[["7.6150","1563"],["7.6220","3284"]]}})");
  CHECK(f.depth.has_previous_final_update_id);
  CHECK(f.depth.previous_final_update_id == 600859598061);
  CHECK(f.depth.transaction_time == Timestamp::FromMillis(1626992741024));
  CHECK(f.depth.bids[1].qty.is_zero());  // a removal
  CHECK(f.depth.asks[1].price == P("7.622"));
}

TEST_CASE("spot and futures book tickers parse, spot without an event type",
          "[marketdata][binance]") {
  BinanceFrame spot = Frame(
      R"(1633998513.377805: {"stream":"nknusdt@bookTicker","data":{"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000","a":"0.35260000","A":"3199.00000000"}})");
  CHECK(spot.kind == BinanceEventKind::kBookTicker);
  CHECK(spot.book_ticker.update_id == 499869768);
  CHECK(spot.book_ticker.bid_price == P("0.3521"));
  CHECK(spot.book_ticker.ask_qty == Q("3199"));
  CHECK(spot.book_ticker.event_time.is_zero());
  Quote quote = ToQuote(spot.book_ticker, 3, spot.receive_time);
  CHECK(quote.instrument == 3);
  CHECK(quote.exchange_time.is_zero());
  CHECK(quote.receive_time == spot.receive_time);

  BinanceFrame futures = Frame(
      R"(1626992741.06217: {"stream":"sushiusdt@bookTicker","data":{"e":"bookTicker","u":600859600576,"s":"SUSHIUSDT","b":"7.6110","B":"2","a":"7.6120","A":"297","T":1626992741012,"E":1626992741017}})");
  CHECK(futures.book_ticker.transaction_time == Timestamp::FromMillis(1626992741012));
  CHECK(ToQuote(futures.book_ticker, 0, Timestamp()).exchange_time ==
        Timestamp::FromMillis(1626992741012));
}

TEST_CASE("aggregate trades and trades map to the suite's trades with the aggressor",
          "[marketdata][binance]") {
  BinanceFrame spot = Frame(
      R"(1633998523.957215: {"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"NKNUSDT","a":15683430,"p":"0.35280000","q":"58.00000000","f":19862790,"l":19862790,"T":1633998523963,"m":false,"M":true}})");
  CHECK(spot.kind == BinanceEventKind::kAggTrade);
  Trade trade = ToTrade(spot.agg_trade, 1, spot.receive_time);
  CHECK(trade.price == P("0.3528"));
  CHECK(trade.qty == Q("58"));
  CHECK(trade.aggressor == common::v1::SIDE_BUY);  // the buyer was not the maker
  CHECK(trade.trade_id == 15683430);
  CHECK(trade.exchange_time == Timestamp::FromMillis(1633998523963));

  BinanceFrame futures = Frame(
      R"(1626992742.289739: {"stream":"ctkusdt@aggTrade","data":{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT","p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":true}})");
  CHECK(ToTrade(futures.agg_trade, 0, Timestamp()).aggressor == common::v1::SIDE_SELL);

  BinanceFrame raw = Frame(
      R"(1.5: {"e":"trade","E":123456789,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","b":88,"a":50,"T":123456785,"m":true,"M":true})");
  CHECK(raw.kind == BinanceEventKind::kTrade);
  CHECK(raw.stream.empty());
  CHECK(raw.trade.buyer_order_id == 88);
  CHECK(raw.trade.seller_order_id == 50);
  Trade t = ToTrade(raw.trade, 0, raw.receive_time);
  CHECK(t.trade_id == 12345);
  CHECK(t.price == P("0.001"));
  CHECK(t.aggressor == common::v1::SIDE_SELL);
}

TEST_CASE("klines parse with their interval, prices and volumes", "[marketdata][binance]") {
  BinanceFrame k = Frame(
      R"(1633998523.9572978: {"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1633998523963,"s":"NKNUSDT","k":{"t":1633998480000,"T":1633998539999,"s":"NKNUSDT","i":"1m","f":19862761,"L":19862790,"o":"0.35270000","c":"0.35280000","h":"0.35280000","l":"0.35220000","v":"25877.00000000","n":30,"x":false,"q":"9116.04600000","V":"58.00000000","Q":"20.46240000","B":"0"}}})");
  CHECK(k.kind == BinanceEventKind::kKline);
  CHECK(k.kline.interval == "1m");
  CHECK(k.kline.open_time == Timestamp::FromMillis(1633998480000));
  CHECK(k.kline.close_time == Timestamp::FromMillis(1633998539999));
  CHECK(k.kline.open == P("0.3527"));
  CHECK(k.kline.low == P("0.3522"));
  CHECK(k.kline.volume == Q("25877"));
  CHECK(k.kline.trade_count == 30);
  CHECK_FALSE(k.kline.closed);
  CHECK(k.kline.quote_volume == Amount::FromRaw(9116'046'000'000));
  CHECK(k.kline.first_trade_id == 19862761);
}

TEST_CASE("a REST depth snapshot takes its symbol and market from the URL",
          "[marketdata][binance]") {
  absl::StatusOr<BinanceDepthSnapshot> spot = ParseBinanceRestLogLine(
      R"(https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000 -> 1633998512.320639: {"lastUpdateId":499869752,"bids":[["0.35210000","672.00000000"],["0.35200000","1144.00000000"]],"asks":[["0.35260000","3199.00000000"]]})");
  REQUIRE(spot.ok());
  CHECK(spot->market == BinanceMarket::kSpot);
  CHECK(spot->symbol == "NKNUSDT");
  CHECK(spot->last_update_id == 499869752);
  CHECK(spot->receive_time == Timestamp::FromNanos(1633998512'320639000));
  CHECK(spot->bids.size() == 2);
  CHECK(spot->asks[0].price == P("0.3526"));

  absl::StatusOr<BinanceDepthSnapshot> futures = ParseBinanceRestLogLine(
      R"(https://fapi.binance.com/fapi/v1/depth?limit=1000&symbol=AKROUSDT -> 1626992741.475372: {"lastUpdateId":600859605486,"E":1626992741242,"T":1626992741238,"bids":[["0.01731","57618"]],"asks":[]})");
  REQUIRE(futures.ok());
  CHECK(futures->market == BinanceMarket::kUsdmFutures);
  CHECK(futures->symbol == "AKROUSDT");
  CHECK(futures->transaction_time == Timestamp::FromMillis(1626992741238));
}

TEST_CASE("every line of the Binance recordings parses", "[marketdata][binance][data]") {
  struct Expected {
    const char* file;
    size_t lines;
    std::map<BinanceEventKind, size_t> kinds;
    BinanceMarket market;
  };
  for (const Expected& e : {Expected{"binance/spot-2021-10-12.ws.log",
                                     265,
                                     {{BinanceEventKind::kDepthUpdate, 177},
                                      {BinanceEventKind::kBookTicker, 84},
                                      {BinanceEventKind::kAggTrade, 2},
                                      {BinanceEventKind::kKline, 2}},
                                     BinanceMarket::kSpot},
                            Expected{"binance/usdm-futures-2021-07-22.ws.log",
                                     1535,
                                     {{BinanceEventKind::kDepthUpdate, 764},
                                      {BinanceEventKind::kBookTicker, 613},
                                      {BinanceEventKind::kAggTrade, 91},
                                      {BinanceEventKind::kKline, 67}},
                                     BinanceMarket::kUsdmFutures}}) {
    std::vector<std::string> lines = DataLines(e.file);
    REQUIRE(lines.size() > 1);
    absl::StatusOr<BinanceWsLogHeader> header = ParseBinanceWsLogHeader(lines[0]);
    REQUIRE(header.ok());
    CHECK(header->market == e.market);
    BinanceParser parser;
    BinanceFrame frame;
    std::map<BinanceEventKind, size_t> kinds;
    size_t frames = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      absl::Status s = parser.ParseWsLogLine(lines[i], &frame);
      if (!s.ok()) FAIL(e.file << " line " << i + 1 << ": " << Message(s));
      ++kinds[frame.kind];
      ++frames;
      if (frame.kind == BinanceEventKind::kDepthUpdate) {
        CHECK(frame.depth.has_previous_final_update_id ==
              (e.market == BinanceMarket::kUsdmFutures));
      }
    }
    CHECK(frames == e.lines);
    CHECK(kinds == e.kinds);
  }
  for (const char* file :
       {"binance/spot-2021-10-12.rest.log", "binance/usdm-futures-2021-07-22.rest.log"}) {
    BinanceParser parser;
    BinanceDepthSnapshot snapshot;
    size_t snapshots = 0;
    for (const std::string& line : DataLines(file)) {
      if (line.empty()) continue;
      absl::Status s = parser.ParseRestLogLine(line, &snapshot);
      if (!s.ok()) FAIL(file << ": " << Message(s));
      CHECK(snapshot.bids.size() <= 1000);
      CHECK(snapshot.asks.size() <= 1000);
      ++snapshots;
    }
    CHECK(snapshots == 4);
  }
}

TEST_CASE("bad Binance frames are refused with the field and the reason", "[marketdata][binance]") {
  const std::string depth_head =
      R"(1.0: {"stream":"x@depth","data":{"e":"depthUpdate","E":1,"s":"X","U":5,"u":6,)";
  CHECK_THAT(Message(FrameError(R"(1.0 {"e":"trade"})")),
             Catch::Contains("expected '<receive epoch seconds>: <JSON frame>'"));
  CHECK_THAT(Message(FrameError(R"(abc: {"e":"trade"})")), Catch::Contains("receive time 'abc'"));
  CHECK_THAT(Message(FrameError(R"(1.0: {"stream":"x","data":{"e":"depthUpdate",)")),
             Catch::Contains("malformed JSON at offset"));
  CHECK_THAT(Message(FrameError(R"(1.0: [1,2])")), Catch::Contains("not an object"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[],"x":[]}})")),
             Catch::Contains("depthUpdate: field 'a' is missing"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["abc","1"]],"a":[]}})")),
             Catch::Contains("field 'b' level 0: price: not a decimal number: 'abc'"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["1.5","-2"]],"a":[]}})")),
             Catch::Contains("field 'b' level 0: negative quantity -2"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["0","2"]],"a":[]}})")),
             Catch::Contains("must be positive"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["1.5"]],"a":[]}})")),
             Catch::Contains("not a [price, quantity] pair"));
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["1e2","2"]],"a":[]}})")),
             Catch::Contains("exponents are not accepted"));
  // Off the suite's 1e-9 grid: refused rather than rounded.
  CHECK_THAT(Message(FrameError(depth_head + R"("b":[["0.0000000001","2"]],"a":[]}})")),
             Catch::Contains("more than 9 significant decimal places"));
  CHECK_THAT(
      Message(FrameError(R"(1.0: {"e":"depthUpdate","E":1,"s":"X","U":7,"u":6,"b":[],"a":[]})")),
      Catch::Contains("first update id U 7 is after the final update id u 6"));
  CHECK_THAT(
      Message(FrameError(R"(1.0: {"e":"depthUpdate","E":1,"s":"X","U":"x","u":6,"b":[],"a":[]})")),
      Catch::Contains("field 'U': 'x' is not an unsigned integer"));
  CHECK_THAT(
      Message(FrameError(
          R"(1.0: {"e":"aggTrade","E":1,"s":"X","a":1,"p":"1.5","q":"2","f":1,"l":1,"T":1,"m":"no"})")),
      Catch::Contains("aggTrade: field 'm': not true or false"));
  CHECK_THAT(
      Message(FrameError(
          R"(1.0: {"e":"aggTrade","E":1,"s":"X","a":1,"p":"1.5","q":"-2","f":1,"l":1,"T":1,"m":true})")),
      Catch::Contains("field 'q': negative value -2"));
  absl::Status unknown = FrameError(R"(1.0: {"e":"markPriceUpdate","E":1,"s":"X"})");
  CHECK(unknown.code() == absl::StatusCode::kUnimplemented);
  CHECK_THAT(Message(unknown), Catch::Contains("'markPriceUpdate' is not handled"));
  CHECK_THAT(Message(FrameError(R"(1.0: {"E":1,"s":"X"})")), Catch::Contains("no event type"));
}

TEST_CASE("bad REST lines and ws.log headers are refused with the reason",
          "[marketdata][binance]") {
  auto error = [](std::string_view line) {
    absl::StatusOr<BinanceDepthSnapshot> s = ParseBinanceRestLogLine(line);
    REQUIRE_FALSE(s.ok());
    return Message(s.status());
  };
  CHECK_THAT(error("https://api.binance.com/api/v3/depth?symbol=X {}"),
             Catch::Contains("expected '<request URL> -> <receive epoch seconds>: <JSON>'"));
  CHECK_THAT(error(R"(https://api.binance.com/api/v3/ticker?symbol=X -> 1.0: {})"),
             Catch::Contains("neither /api/v3/depth nor /fapi/v1/depth"));
  CHECK_THAT(error(R"(https://api.binance.com/api/v3/depth?limit=5 -> 1.0: {})"),
             Catch::Contains("no symbol parameter"));
  CHECK_THAT(
      error(R"(https://api.binance.com/api/v3/depth?symbol=X -> 1.0: {"bids":[],"asks":[]})"),
      Catch::Contains("field 'lastUpdateId' is missing"));
  CHECK_THAT(
      error(
          R"(https://api.binance.com/api/v3/depth?symbol=X -> 1.0: {"code":-1121,"msg":"Invalid symbol."})"),
      Catch::Contains("the venue answered an error: Invalid symbol."));
  CHECK_THAT(
      error(
          R"(https://api.binance.com/api/v3/depth?symbol=X -> 1.0: {"lastUpdateId":5,"bids":[["1","x"]],"asks":[]})"),
      Catch::Contains("field 'bids' level 0: quantity"));
  CHECK_THAT(Message(ParseBinanceWsLogHeader("not a url").status()),
             Catch::Contains("expected '<wss:// stream URL> <-> <connect epoch seconds>'"));
}

}  // namespace
}  // namespace tradeplane::marketdata
