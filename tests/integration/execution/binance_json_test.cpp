// The Binance adapter's reading of the venue's JSON and error answers
// (libs/binance_venue binance_json.h), on messages shaped as Binance's
// documentation shows them.
#include "tradeplane/binance_venue/binance_json.h"

#include <catch2/catch.hpp>

namespace tradeplane::binance_venue {
namespace {

using execution::VenueErrorKind;
using execution::VenueErrorReason;

InstrumentTable Table() {
  InstrumentTable t;
  InstrumentSpec spec;
  spec.id = {common::v1::VENUE_BINANCE, "BTCUSDT"};
  spec.base_asset = "BTC";
  spec.quote_asset = "USDT";
  spec.tick_size = *Price::Parse("0.01");
  spec.lot_size = *Quantity::Parse("0.00001");
  REQUIRE(t.Add(spec).ok());
  return t;
}

TEST_CASE("a FULL new-order answer gives the order and its fills with venue-scoped fill ids",
          "[binance]") {
  InstrumentTable t = Table();
  const char* body = R"({"symbol":"BTCUSDT","orderId":28,"orderListId":-1,
    "clientOrderId":"c-1","transactTime":1507725176595,"price":"100.00000000",
    "origQty":"0.02000000","executedQty":"0.01500000","cummulativeQuoteQty":"1.50000000",
    "status":"PARTIALLY_FILLED","timeInForce":"GTC","type":"LIMIT","side":"BUY",
    "fills":[{"price":"100.00000000","qty":"0.01000000","commission":"0.00001000",
              "commissionAsset":"BTC","tradeId":56},
             {"price":"100.00000000","qty":"0.00500000","commission":"0.00000500",
              "commissionAsset":"BTC","tradeId":57}]})";
  absl::StatusOr<execution::SubmitAck> ack =
      ParseSubmitResponse(body, {&t, common::v1::VENUE_BINANCE});
  REQUIRE(ack.ok());
  CHECK(ack->order.client_order_id == "c-1");
  CHECK(ack->order.venue_order_id == "28");
  CHECK(ack->order.status == orders::v1::ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(ack->order.filled_qty == *Quantity::Parse("0.015"));
  REQUIRE(ack->fills.size() == 2);
  CHECK(ack->fills[0].fill_id == "BINANCE:BTCUSDT:56");
  CHECK(ack->fills[1].qty == *Quantity::Parse("0.005"));
  CHECK(ack->fills[0].fee_asset == "BTC");
}

TEST_CASE("a cancel's execution report names the canceled order, not the cancel request",
          "[binance]") {
  InstrumentTable t = Table();
  const char* event = R"({"e":"executionReport","E":1499405658658,"s":"BTCUSDT",
    "c":"cancel-req-7","S":"SELL","o":"LIMIT","f":"GTC","q":"1.00000000","p":"150.00",
    "C":"our-order-1","x":"CANCELED","X":"CANCELED","r":"NONE","i":4293153,
    "l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,"T":1499405658657,
    "t":-1,"Z":"0.00000000"})";
  absl::StatusOr<StreamEvent> e = ParseStreamEvent(event, {&t, common::v1::VENUE_BINANCE});
  REQUIRE(e.ok());
  CHECK(e->kind == StreamEvent::Kind::kExecutionReport);
  CHECK(e->update.kind == execution::VenueUpdateKind::kCanceled);
  CHECK(e->update.order.client_order_id == "our-order-1");
  CHECK(e->update.order.venue_order_id == "4293153");
}

TEST_CASE("a trade report becomes a fill with its trade id and liquidity", "[binance]") {
  InstrumentTable t = Table();
  const char* event = R"({"subscriptionId":0,"event":{"e":"executionReport","E":1,"s":"BTCUSDT",
    "c":"o-2","S":"BUY","o":"LIMIT","f":"GTC","q":"0.02","p":"100.00","C":"","x":"TRADE",
    "X":"PARTIALLY_FILLED","r":"NONE","i":9,"l":"0.005","z":"0.005","L":"99.99","n":"0.01",
    "N":"USDT","T":2,"t":77,"m":true,"Z":"0.49995"}})";
  absl::StatusOr<StreamEvent> e = ParseStreamEvent(event, {&t, common::v1::VENUE_BINANCE});
  REQUIRE(e.ok());
  CHECK(e->update.kind == execution::VenueUpdateKind::kFill);
  CHECK(e->trade_id == 77);
  CHECK(e->update.fill.fill_id == "BINANCE:BTCUSDT:77");
  CHECK(e->update.fill.price == *Price::Parse("99.99"));
  CHECK(e->update.fill.liquidity == orders::v1::LIQUIDITY_MAKER);
  CHECK(e->update.fill.client_order_id == "o-2");
}

TEST_CASE("an answer that does not parse is an error naming what is wrong, never a guess",
          "[binance]") {
  InstrumentTable t = Table();
  JsonContext c{&t, common::v1::VENUE_BINANCE};
  CHECK(ParseOrder("<html>502 Bad Gateway</html>", c).status().code() ==
        absl::StatusCode::kDataLoss);
  absl::StatusOr<execution::VenueOrder> no_qty = ParseOrder(
      R"({"symbol":"BTCUSDT","orderId":1,"clientOrderId":"x","status":"NEW","price":"1"})", c);
  CHECK(no_qty.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(no_qty.status().message()), Catch::Contains("origQty"));
  CHECK(ParseStreamEvent(R"({"e":"executionReport","s":"BTCUSDT","x":"NEW","X":"WHAT"})", c)
            .status()
            .code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("venue errors are classified transient, definitive or unknown outcome", "[binance]") {
  auto err = [](int64_t code, const char* msg) { return std::optional(BinanceError{code, msg}); };
  execution::VenueError e = ClassifyHttpError(429, err(-1003, "Too many requests"), 3000, true);
  CHECK(e.kind == VenueErrorKind::kTransient);
  CHECK(e.reason == VenueErrorReason::kRateLimited);
  CHECK(e.retry_after_ms == 3000);
  e = ClassifyHttpError(400, err(-2010, "Account has insufficient balance for requested action."),
                        0, true);
  CHECK(e.kind == VenueErrorKind::kDefinitive);
  CHECK(e.reason == VenueErrorReason::kInsufficientBalance);
  CHECK(e.venue_code == -2010);
  CHECK(ClassifyHttpError(400, err(-1121, "Invalid symbol."), 0, true).reason ==
        VenueErrorReason::kUnknownSymbol);
  CHECK(ClassifyHttpError(400, err(-1013, "Filter failure: LOT_SIZE"), 0, true).reason ==
        VenueErrorReason::kInvalidOrder);
  CHECK(ClassifyHttpError(400, err(-2013, "Order does not exist."), 0, false).reason ==
        VenueErrorReason::kUnknownOrder);
  // A 5xx on order entry may have been carried out; on a read it is transient.
  CHECK(ClassifyHttpError(503, std::nullopt, 0, true).kind == VenueErrorKind::kUnknownOutcome);
  CHECK(ClassifyHttpError(503, std::nullopt, 0, false).kind == VenueErrorKind::kTransient);
  CHECK(ClassifyHttpError(400,
                          err(-1021,
                              "Timestamp for this request is outside of the "
                              "recvWindow."),
                          0, true)
            .kind == VenueErrorKind::kTransient);
}

TEST_CASE("exchangeInfo gives tick, lot and notional for the symbols asked for", "[binance]") {
  const char* body = R"({"symbols":[
    {"symbol":"ETHBTC","baseAsset":"ETH","quoteAsset":"BTC","filters":[
      {"filterType":"PRICE_FILTER","minPrice":"0.000001","maxPrice":"1000","tickSize":"0.000001"},
      {"filterType":"LOT_SIZE","minQty":"0.0001","maxQty":"100000","stepSize":"0.0001"}]},
    {"symbol":"BTCUSDT","baseAsset":"BTC","quoteAsset":"USDT","filters":[
      {"filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"1000000","tickSize":"0.01"},
      {"filterType":"LOT_SIZE","minQty":"0.00001","maxQty":"9000","stepSize":"0.00001"},
      {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true}]}]})";
  auto specs = ParseExchangeInfo(body, common::v1::VENUE_BINANCE, {"BTCUSDT"});
  REQUIRE(specs.ok());
  REQUIRE(specs->size() == 1);
  const InstrumentSpec& s = specs->front();
  CHECK(s.id.symbol == "BTCUSDT");
  CHECK(s.tick_size == *Price::Parse("0.01"));
  CHECK(s.lot_size == *Quantity::Parse("0.00001"));
  CHECK(s.max_qty == *Quantity::Parse("9000"));
  CHECK(s.min_notional == *Amount::Parse("5"));
  CHECK(s.quote_asset == "USDT");
}

}  // namespace
}  // namespace tradeplane::binance_venue
