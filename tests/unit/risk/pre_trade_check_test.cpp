// Each check of the pre-trade path, approving and refusing with its code:
// the intent's fields, mode, strategy and instrument gates, blocks, tick and
// lot, quantity and notional, market data and the price collar.
#include <catch2/catch.hpp>

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("an ordinary limit order inside every limit is approved", "[risk][check]") {
  RiskFixture f;
  f.Build();
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")));
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kSell, "10", "3355.10")));
  CHECK_APPROVED(f.Check(f.Limit(f.lrc, kBuy, "1000", "0.00000637")));
}

TEST_CASE("malformed intents are refused with INVALID_FIELD and never crash", "[risk][check]") {
  RiskFixture f;
  f.Build();
  OrderIntent good = f.Limit(f.nkn, kBuy, "100", "0.3523");

  OrderIntent i = good;
  i.strategy_id.clear();
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.client_order_id.clear();
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.client_order_id = std::string(37, 'x');
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.side = common::v1::SIDE_UNSPECIFIED;
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.type = orders::v1::ORDER_TYPE_UNSPECIFIED;
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.time_in_force = orders::v1::TIME_IN_FORCE_UNSPECIFIED;
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.qty = Quantity::Zero();
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.qty = Qty("-5");
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.price = Price::Zero();
  Decision no_price = f.Check(i);
  CHECK_REFUSED(no_price, v1::REFUSAL_CODE_INVALID_FIELD);
  CHECK(no_price.reason == "a limit order needs a price");
  i = good;
  i.price = Px("-0.3");
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = f.Market(f.nkn, kBuy, "10");
  i.price = Px("0.35");
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_INVALID_FIELD);
  i = good;
  i.qty = Quantity::Max();
  i.price = Price::Max();
  CHECK_FALSE(f.Check(i).approved);  // huge values are refused, not overflowed
}

TEST_CASE("an instrument outside the table or without limits is UNKNOWN_INSTRUMENT",
          "[risk][check]") {
  RiskFixture f;
  InstrumentIndex unlisted =
      f.Add(Spec(common::v1::VENUE_BINANCE, "BLZETH", "BLZ", "ETH", "0.00000001", "1"));
  f.Build();
  OrderIntent i = f.Limit(f.nkn, kBuy, "100", "0.3523");
  i.instrument = 999;
  CHECK_REFUSED(f.Check(i), v1::REFUSAL_CODE_UNKNOWN_INSTRUMENT);
  i.instrument = unlisted;
  Decision d = f.Check(i);
  CHECK_REFUSED(d, v1::REFUSAL_CODE_UNKNOWN_INSTRUMENT);
  CHECK(d.reason == "BINANCE.BLZETH has no risk limits");
}

TEST_CASE("a client order id already open is refused", "[risk][check]") {
  RiskFixture f;
  f.Build();
  OrderIntent first = f.Limit(f.nkn, kBuy, "100", "0.3520");
  CHECK_APPROVED(f.Send(first));
  OrderIntent again = f.Limit(f.nkn, kBuy, "100", "0.3520");
  again.client_order_id = first.client_order_id;
  CHECK_REFUSED(f.Check(again), v1::REFUSAL_CODE_INVALID_FIELD);
}

TEST_CASE("PAUSED and HALTED refuse every new order with MODE", "[risk][check][mode]") {
  for (v1::TradingMode mode : {v1::TRADING_MODE_PAUSED, v1::TRADING_MODE_HALTED}) {
    RiskFixture f;
    f.Build(mode);
    Decision d = f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523"));
    CHECK_REFUSED(d, v1::REFUSAL_CODE_MODE);
    CHECK(d.reason.find(v1::TradingMode_Name(mode).substr(13)) != std::string::npos);
  }
}

TEST_CASE("a strategy without limits or disabled in them is refused", "[risk][check]") {
  RiskFixture f;
  f.Build();
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523", "nobody")),
                v1::REFUSAL_CODE_STRATEGY_BLOCKED);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523", "off")),
                v1::REFUSAL_CODE_STRATEGY_BLOCKED);
}

TEST_CASE("an instrument disabled in the limits is INSTRUMENT_DISABLED", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_enabled(false);
  f.Build();
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10")),
                v1::REFUSAL_CODE_INSTRUMENT_DISABLED);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")));
}

TEST_CASE("blocked strategies and instruments are refused until unblocked", "[risk][check]") {
  RiskFixture f;
  RiskState& s = f.Build();
  REQUIRE(s.blocks().Block(v1::BLOCK_SCOPE_STRATEGY, "mm", "alice", "runaway quoting", kT0).ok());
  Decision d = f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_STRATEGY_BLOCKED);
  CHECK(d.reason.find("alice") != std::string::npos);
  CHECK(d.reason.find("runaway quoting") != std::string::npos);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523", "trend")));

  REQUIRE(
      s.blocks()
          .Block(v1::BLOCK_SCOPE_INSTRUMENT, "BINANCE.NKNUSDT", "sentinel", "spoofing alert", kT0)
          .ok());
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523", "trend")),
                v1::REFUSAL_CODE_INSTRUMENT_BLOCKED);
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10", "trend")));

  REQUIRE(s.blocks().Unblock(v1::BLOCK_SCOPE_STRATEGY, "mm", "bob", "fixed", kT0).ok());
  REQUIRE(s.blocks().Unblock(v1::BLOCK_SCOPE_INSTRUMENT, "BINANCE.NKNUSDT", "bob", "ok", kT0).ok());
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")));
}

TEST_CASE("prices off the tick and quantities off the lot are refused", "[risk][check]") {
  RiskFixture f;
  f.Build();
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.35235")), v1::REFUSAL_CODE_OFF_TICK);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100.5", "0.3523")), v1::REFUSAL_CODE_OFF_LOT);
  CHECK_REFUSED(f.Check(f.Limit(f.rune, kBuy, "1.005", "9.505")), v1::REFUSAL_CODE_OFF_LOT);
}

TEST_CASE("a coarser tick or lot in the limits tightens the venue's", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_tick_size(Raw("0.05"));
  f.LimitsOf(f.amzn)->set_lot_size(Raw("10"));
  f.Build();
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "10", "3355.10")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "10", "3355.11")), v1::REFUSAL_CODE_OFF_TICK);
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "15", "3355.10")), v1::REFUSAL_CODE_OFF_LOT);
}

TEST_CASE("quantities outside min_qty and max_qty are refused", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_min_qty(Raw("5"));
  f.LimitsOf(f.amzn)->set_max_qty(Raw("50"));
  f.Build();
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "4", "3355.10")), v1::REFUSAL_CODE_QTY_BELOW_MIN);
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "5", "3355.10")));
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "50", "3355.10")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "51", "3355.10")), v1::REFUSAL_CODE_QTY_ABOVE_MAX);
}

TEST_CASE("notional per order outside min_notional and max_notional is refused", "[risk][check]") {
  RiskFixture f;
  f.Build();
  // NKNUSDT: min 5 USDT, max 20000 USDT.
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "14", "0.3523")), v1::REFUSAL_CODE_NOTIONAL_BELOW_MIN);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "15", "0.3523")));     // 5.2845
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "56000", "0.3523")));  // 19728.8
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "57000", "0.3523")),
                v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX);  // 20081.1
}

TEST_CASE("a strategy's max_notional caps one order in the valuation currency", "[risk][check]") {
  RiskFixture f;
  f.StrategyLimitsOf("trend")->set_max_notional(Raw("500"));
  f.Build();
  // 1000 LRC at 0.00000637 BTC = 0.00637 BTC = 356.72 USDT at 56000.
  CHECK_APPROVED(f.Check(f.Limit(f.lrc, kBuy, "1000", "0.00000637", "trend")));
  // 1500 LRC = 535.08 USDT.
  Decision d = f.Check(f.Limit(f.lrc, kBuy, "1500", "0.00000637", "trend"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX);
  CHECK(d.reason.find("535.08 USDT") != std::string::npos);
  CHECK_APPROVED(f.Check(f.Limit(f.lrc, kBuy, "1500", "0.00000637", "mm")));
}

TEST_CASE("a quote currency without a conversion rate is NO_CONVERSION_RATE", "[risk][check]") {
  RiskFixture f;
  f.Build();
  Decision d = f.Check(f.Limit(f.rune, kBuy, "1", "9.505"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_NO_CONVERSION_RATE);
  CHECK(d.reason.find("EUR") != std::string::npos);
}

TEST_CASE("market data older than stale_after_ms is refused as stale", "[risk][check]") {
  RiskFixture f;
  f.Build();
  OrderIntent i = f.Limit(f.nkn, kBuy, "100", "0.3523");
  CHECK_APPROVED(f.Check(i, kT0 + std::chrono::milliseconds(2000)));
  Decision d = f.Check(i, kT0 + std::chrono::milliseconds(2001));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_MARKET_DATA_STALE);
  CHECK(d.reason == "market data for BINANCE.NKNUSDT is 2.001 s old, above stale_after 2 s");
  f.Quote(f.nkn, "0.3521", "0.3525", kT0 + std::chrono::seconds(3));
  CHECK_APPROVED(f.Check(i, kT0 + std::chrono::milliseconds(3500)));
}

TEST_CASE("no market data yet, or a feed reported down, is stale", "[risk][check]") {
  RiskFixture f;
  f.Build(v1::TRADING_MODE_ACTIVE, /*with_quotes=*/false);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_MARKET_DATA_STALE);
  f.Quote(f.nkn, "0.3521", "0.3525");
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")));
  f.state->OnFeedDown(f.nkn);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_MARKET_DATA_STALE);
}

TEST_CASE("a crossed or locked book is refused", "[risk][check]") {
  RiskFixture f;
  f.Build();
  f.Quote(f.nkn, "0.3526", "0.3525");
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_BOOK_CROSSED);
  f.Quote(f.nkn, "0.3525", "0.3525");
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_BOOK_CROSSED);
  f.Quote(f.nkn, "0.3524", "0.3525");
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")));
}

TEST_CASE("a missing reference price is refused rather than guessed", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_reference_price(v1::REFERENCE_PRICE_LAST);
  f.Build();
  f.Quote(f.nkn, "0.3521", "");  // one-sided book: no mid
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")),
                v1::REFUSAL_CODE_NO_REFERENCE_PRICE);
  // AMZN takes the last trade price: none yet.
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10")),
                v1::REFUSAL_CODE_NO_REFERENCE_PRICE);
  f.Trade(f.amzn, "3355.21");
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10")));
}

TEST_CASE("a limit price outside the collar around the mid is PRICE_COLLAR", "[risk][check]") {
  RiskFixture f;
  f.Build();
  // AMZN mid 3355.10, collar 500 bps: 3187.345 -> 3187.35 up to 3522.855 -> 3522.85.
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "1", "3522.85")));
  Decision above = f.Check(f.Limit(f.amzn, kBuy, "1", "3522.86"));
  CHECK_REFUSED(above, v1::REFUSAL_CODE_PRICE_COLLAR);
  CHECK(above.reason ==
        "the limit buy of 1 NASDAQ.AMZN at 3522.86 is 500.01 bps above the mid 3355.1: the "
        "collar of 500 bps allows 3187.345 to 3522.855");
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kSell, "1", "3187.35")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "1", "3187.34")), v1::REFUSAL_CODE_PRICE_COLLAR);
  // A fat finger: +10.3 %.
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3700.00")), v1::REFUSAL_CODE_PRICE_COLLAR);
}

TEST_CASE("the collar follows the last trade price when the limits say LAST", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_reference_price(v1::REFERENCE_PRICE_LAST);
  f.LimitsOf(f.amzn)->set_collar_bps(100);
  f.Build();
  f.Trade(f.amzn, "3400.00");  // 1 % = 34: 3366 to 3434
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "1", "3434.00")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3434.01")), v1::REFUSAL_CODE_PRICE_COLLAR);
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10")), v1::REFUSAL_CODE_PRICE_COLLAR);
}

TEST_CASE("a market order must be fillable from the book within the collar", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_collar_bps(10);  // mid 3355.10: asks up to 3358.4551
  f.limits.set_max_gross_exposure(Raw("5000000"));
  f.limits.set_max_net_exposure(Raw("5000000"));
  f.Build();
  std::vector<marketdata::BookLevel> bids = {{Px("3355.00"), Qty("100")},
                                             {Px("3354.00"), Qty("300")}};
  std::vector<marketdata::BookLevel> asks = {
      {Px("3355.20"), Qty("100")}, {Px("3357.00"), Qty("200")}, {Px("3360.00"), Qty("5000")}};
  marketdata::BookView book{f.amzn, bids, asks, 1, kT0};
  f.state->OnBook(book, kT0);
  CHECK_APPROVED(f.Check(f.Market(f.amzn, kBuy, "300")));
  Decision d = f.Check(f.Market(f.amzn, kBuy, "301"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_INSUFFICIENT_DEPTH);
  CHECK(d.reason.find("can fill only 300") != std::string::npos);
  // Bids down to 3351.75: both levels.
  CHECK_APPROVED(f.Check(f.Market(f.amzn, kSell, "400")));
  CHECK_REFUSED(f.Check(f.Market(f.amzn, kSell, "401")), v1::REFUSAL_CODE_INSUFFICIENT_DEPTH);
}

TEST_CASE("a market order's notional is what the book levels would cost", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_max_notional(Raw("1000000"));
  f.limits.set_max_gross_exposure(Raw("5000000"));
  f.limits.set_max_net_exposure(Raw("5000000"));
  f.Build();
  std::vector<marketdata::BookLevel> bids = {{Px("3355.00"), Qty("100")}};
  std::vector<marketdata::BookLevel> asks = {{Px("3355.20"), Qty("100")},
                                             {Px("3357.00"), Qty("200")}};
  f.state->OnBook(marketdata::BookView{f.amzn, bids, asks, 1, kT0}, kT0);
  // 100 * 3355.20 + 200 * 3357.00 = 1006920 > 1000000; 298 shares = 1000206.
  CHECK_REFUSED(f.Check(f.Market(f.amzn, kBuy, "300")), v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX);
  CHECK_REFUSED(f.Check(f.Market(f.amzn, kBuy, "298")), v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX);
  CHECK_APPROVED(f.Check(f.Market(f.amzn, kBuy, "297")));  // 996849
}

TEST_CASE("without a book the quote's top level is the depth", "[risk][check]") {
  RiskFixture f;
  f.Build();
  f.Quote(f.amzn, "3355.00", "3355.20", kT0, "40");
  CHECK_APPROVED(f.Check(f.Market(f.amzn, kBuy, "40")));
  CHECK_REFUSED(f.Check(f.Market(f.amzn, kBuy, "41")), v1::REFUSAL_CODE_INSUFFICIENT_DEPTH);
}

TEST_CASE("the same intent against the same state always gets the same decision", "[risk][check]") {
  RiskFixture f;
  f.Build();
  for (const OrderIntent& intent :
       {f.Limit(f.nkn, kBuy, "100", "0.3523"), f.Limit(f.amzn, kBuy, "1", "3700.00"),
        f.Market(f.amzn, kSell, "1000000"), f.Limit(f.rune, kBuy, "1", "9.505")}) {
    Decision first = f.Check(intent);
    for (int k = 0; k < 3; ++k) {
      Decision again = f.Check(intent);
      CHECK(again.approved == first.approved);
      CHECK(again.code == first.code);
      CHECK(again.reason == first.reason);
    }
  }
}

}  // namespace
}  // namespace tradeplane::risk
