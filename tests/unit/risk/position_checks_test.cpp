// The checks that look at positions and open orders: reduce-only and
// REDUCING, self-trade, position limit, gross and net exposure,
// concentration, open-order counts, order and cancel rates; and the limits
// swap that keeps all of that state.
#include <catch2/catch.hpp>

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using std::chrono::milliseconds;

TEST_CASE("reduce-only orders pass only when they reduce the position with open orders",
          "[risk][check]") {
  RiskFixture f;
  f.Build();
  OrderIntent flat_sell = f.Limit(f.nkn, kSell, "100", "0.3524");
  flat_sell.reduce_only = true;
  CHECK_REFUSED(f.Check(flat_sell), v1::REFUSAL_CODE_REDUCE_ONLY);

  f.ApplyFill(f.MakeFill(f.nkn, kBuy, "1000", "0.3523"));
  OrderIntent sell_all = f.Limit(f.nkn, kSell, "1000", "0.3524");
  sell_all.reduce_only = true;
  CHECK_APPROVED(f.Check(sell_all));
  OrderIntent too_much = f.Limit(f.nkn, kSell, "1001", "0.3524");
  too_much.reduce_only = true;
  CHECK_REFUSED(f.Check(too_much), v1::REFUSAL_CODE_REDUCE_ONLY);
  OrderIntent wrong_side = f.Limit(f.nkn, kBuy, "100", "0.3520");
  wrong_side.reduce_only = true;
  CHECK_REFUSED(f.Check(wrong_side), v1::REFUSAL_CODE_REDUCE_ONLY);

  // An open sell of 600 already reduces: only 400 more may.
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kSell, "600", "0.3530")));
  OrderIntent five_hundred = f.Limit(f.nkn, kSell, "500", "0.3524");
  five_hundred.reduce_only = true;
  CHECK_REFUSED(f.Check(five_hundred), v1::REFUSAL_CODE_REDUCE_ONLY);
  OrderIntent four_hundred = f.Limit(f.nkn, kSell, "400", "0.3524");
  four_hundred.reduce_only = true;
  CHECK_APPROVED(f.Check(four_hundred));
}

TEST_CASE("REDUCING allows only orders that bring the position toward zero",
          "[risk][check][mode]") {
  RiskFixture f;
  f.Build(v1::TRADING_MODE_REDUCING);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_MODE);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kSell, "100", "0.3523")), v1::REFUSAL_CODE_MODE);

  f.ApplyFill(f.MakeFill(f.nkn, kBuy, "1000", "0.3523"));
  f.ApplyFill(f.MakeFill(f.amzn, kSell, "10", "3355.10"));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_MODE);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kSell, "1000", "0.3524")));
  Decision flip = f.Check(f.Limit(f.nkn, kSell, "1001", "0.3524"));
  CHECK_REFUSED(flip, v1::REFUSAL_CODE_MODE);
  CHECK(flip.reason.find("REDUCING") != std::string::npos);
  // Short AMZN: buys reduce.
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "10", "3355.10")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "1", "3355.10")), v1::REFUSAL_CODE_MODE);
  CHECK_APPROVED(f.Check(f.Market(f.amzn, kBuy, "5")));
}

TEST_CASE("an order that would cross our own resting order is SELF_TRADE", "[risk][check]") {
  RiskFixture f;
  f.Build();
  OrderIntent resting_sell = f.Limit(f.nkn, kSell, "100", "0.3525");
  CHECK_APPROVED(f.Send(resting_sell));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3525")), v1::REFUSAL_CODE_SELF_TRADE);
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3530")), v1::REFUSAL_CODE_SELF_TRADE);
  CHECK_REFUSED(f.Check(f.Market(f.nkn, kBuy, "100")), v1::REFUSAL_CODE_SELF_TRADE);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3524")));
  // Another strategy of ours is still us.
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3526", "trend")),
                v1::REFUSAL_CODE_SELF_TRADE);

  OrderIntent resting_buy = f.Limit(f.nkn, kBuy, "100", "0.3521");
  CHECK_APPROVED(f.Send(resting_buy));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kSell, "100", "0.3521")), v1::REFUSAL_CODE_SELF_TRADE);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kSell, "100", "0.3522")));

  f.state->OnOrderStatus(resting_sell.client_order_id, orders::v1::ORDER_STATUS_CANCELED);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3525")));
}

TEST_CASE("max_position counts the position, open orders on the side and the order",
          "[risk][check]") {
  RiskFixture f;
  f.limits.set_max_gross_exposure(Raw("100000000"));
  f.limits.set_max_net_exposure(Raw("100000000"));
  f.Build();  // AMZN max_position 1000
  OrderIntent first = f.Limit(f.amzn, kBuy, "600", "3355.10");
  CHECK_APPROVED(f.Send(first));
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "400", "3355.10")));
  Decision over = f.Check(f.Limit(f.amzn, kBuy, "401", "3355.10"));
  CHECK_REFUSED(over, v1::REFUSAL_CODE_MAX_POSITION);
  CHECK(over.reason ==
        "projected long position 1001 of NASDAQ.AMZN (position 0 + open buys 600 + this order "
        "401) is above max_position 1000");
  // The fill moves quantity from open orders to the position: same projection.
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "600", "3355.10", "mm", first.client_order_id));
  CHECK(f.state->open_orders().ForInstrument(f.amzn).buy_qty.is_zero());
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "400", "3355.10")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "401", "3355.10")), v1::REFUSAL_CODE_MAX_POSITION);
  // Selling through zero: 600 - 1600 = -1000 is allowed, -1001 is not.
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kSell, "1600", "3355.10")));
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "1601", "3355.10")), v1::REFUSAL_CODE_MAX_POSITION);
}

TEST_CASE("gross exposure over all instruments is capped, but never blocks reducing",
          "[risk][check]") {
  RiskFixture f;
  f.limits.set_max_gross_exposure(Raw("100000"));
  f.limits.set_max_net_exposure(Raw("100000"));
  f.Build();
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "29", "3355.10")));  // 97297.9 USDT
  Decision d = f.Check(f.Limit(f.amzn, kBuy, "30", "3355.10"));     // 100653
  CHECK_REFUSED(d, v1::REFUSAL_CODE_MAX_GROSS_EXPOSURE);
  CHECK(d.reason.find("100653 USDT") != std::string::npos);

  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "29", "3355.10"));
  // 29 AMZN (97297.9) + 8000 NKN (2818.4) = 100116.3.
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "8000", "0.3523")),
                v1::REFUSAL_CODE_MAX_GROSS_EXPOSURE);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "7000", "0.3523")));  // 99763.9
  // A short is exposure too.
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kSell, "8000", "0.3523")),
                v1::REFUSAL_CODE_MAX_GROSS_EXPOSURE);

  // The mark moves: 29 * 3500.10 = 101502.9 is over the limit already.
  f.Quote(f.amzn, "3500.00", "3500.20");
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "1", "3500.10")),
                v1::REFUSAL_CODE_MAX_GROSS_EXPOSURE);
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kSell, "10", "3500.10")));
}

TEST_CASE("net exposure is capped on each side, counting hedges once they are positions",
          "[risk][check]") {
  RiskFixture f;
  f.limits.set_max_gross_exposure(Raw("1000000"));
  f.limits.set_max_net_exposure(Raw("50000"));
  f.Build();
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "14", "3355.10")));  // 46971.4
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "15", "3355.10")),    // 50326.5
                v1::REFUSAL_CODE_MAX_NET_EXPOSURE);
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "15", "3355.10")),
                v1::REFUSAL_CODE_MAX_NET_EXPOSURE);

  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "14", "3355.10"));
  // An open sell of LRC does not offset a new buy (it may never fill).
  OrderIntent hedge = f.Limit(f.lrc, kSell, "100000", "0.00000637");
  CHECK_APPROVED(f.Send(hedge));  // -35700 USDT
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kBuy, "5", "3355.10")), v1::REFUSAL_CODE_MAX_NET_EXPOSURE);
  // Filled, it does.
  f.ApplyFill(f.MakeFill(f.lrc, kSell, "100000", "0.00000637", "mm", hedge.client_order_id));
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "5", "3355.10")));
}

TEST_CASE("concentration caps one instrument's exposure as a share of equity", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.nkn)->set_max_concentration(0.25);
  f.Build();
  f.state->SetStartingEquity(Amt("10000"));
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "7000", "0.3523")));  // 2466.1: 24.66 %
  Decision d = f.Check(f.Limit(f.nkn, kBuy, "7200", "0.3523"));     // 2536.56: 25.37 %
  CHECK_REFUSED(d, v1::REFUSAL_CODE_CONCENTRATION);
  CHECK(d.reason.find("25.37% of equity 10000 USDT") != std::string::npos);
  // Instruments without the limit are not affected.
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kBuy, "10", "3355.10")));

  f.state->SetStartingEquity(Amount::Zero());
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3523")), v1::REFUSAL_CODE_CONCENTRATION);
}

TEST_CASE("a position that cannot be valued refuses orders that add exposure", "[risk][check]") {
  RiskFixture f;
  f.Build();
  f.ApplyFill(f.MakeFill(f.nkn, kBuy, "1000", "0.3523"));
  f.ApplyFill(f.MakeFill(f.rune, kBuy, "10", "9.505"));  // EUR has no rate
  Decision d = f.Check(f.Limit(f.amzn, kBuy, "1", "3355.10"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_NO_CONVERSION_RATE);
  CHECK(d.reason.find("BINANCE.RUNEEUR") != std::string::npos);
  // Reducing NKN is still allowed.
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kSell, "500", "0.3524")));

  RiskFixture g;
  g.Build();
  g.ApplyFill(g.MakeFill(g.amzn, kBuy, "10", "3355.10"));
  g.Quote(g.amzn, "3355.00", "");  // AMZN loses its mid
  CHECK_REFUSED(g.Check(g.Limit(g.nkn, kBuy, "100", "0.3523")),
                v1::REFUSAL_CODE_NO_REFERENCE_PRICE);
}

TEST_CASE("open orders are capped globally and per strategy", "[risk][check]") {
  RiskFixture f;
  f.limits.set_max_open_orders(3);
  f.StrategyLimitsOf("trend")->set_max_open_orders(2);
  f.Build();
  OrderIntent a = f.Limit(f.nkn, kBuy, "100", "0.3500", "trend");
  CHECK_APPROVED(f.Send(a));
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kBuy, "100", "0.3501", "trend")));
  Decision per_strategy = f.Check(f.Limit(f.nkn, kBuy, "100", "0.3502", "trend"));
  CHECK_REFUSED(per_strategy, v1::REFUSAL_CODE_MAX_OPEN_ORDERS);
  CHECK(per_strategy.reason.find("strategy trend") != std::string::npos);
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kBuy, "100", "0.3502", "mm")));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3503", "mm")),
                v1::REFUSAL_CODE_MAX_OPEN_ORDERS);
  f.state->OnOrderStatus(a.client_order_id, orders::v1::ORDER_STATUS_CANCELED);
  CHECK(f.state->open_orders().size() == 2);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3503", "mm")));
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3503", "trend")));
}

TEST_CASE("the order rate per strategy is a token bucket that refusals do not drain",
          "[risk][check]") {
  RiskFixture f;
  f.StrategyLimitsOf("trend")->set_max_orders_per_second(2);
  f.StrategyLimitsOf("trend")->set_order_burst(2);
  f.Build();
  auto order = [&] { return f.Limit(f.nkn, kBuy, "100", "0.3500", "trend"); };
  CHECK_APPROVED(f.Send(order()));
  CHECK_APPROVED(f.Send(order()));
  CHECK_REFUSED(f.Send(order()), v1::REFUSAL_CODE_ORDER_RATE);
  CHECK_REFUSED(f.Send(order(), kT0 + milliseconds(499)), v1::REFUSAL_CODE_ORDER_RATE);
  CHECK_APPROVED(f.Send(order(), kT0 + milliseconds(500)));
  CHECK_REFUSED(f.Send(order(), kT0 + milliseconds(500)), v1::REFUSAL_CODE_ORDER_RATE);
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kBuy, "100", "0.3500", "mm"), kT0 + milliseconds(500)));
  // Evaluate alone takes nothing.
  for (int k = 0; k < 5; ++k) CHECK_APPROVED(f.Check(order(), kT0 + milliseconds(1000)));
}

TEST_CASE("the order rate per instrument applies across strategies", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_max_orders_per_second(1);
  f.Build();
  CHECK_APPROVED(f.Send(f.Limit(f.amzn, kBuy, "1", "3355.00", "mm")));
  Decision d = f.Send(f.Limit(f.amzn, kBuy, "1", "3355.01", "trend"));
  CHECK_REFUSED(d, v1::REFUSAL_CODE_ORDER_RATE);
  CHECK(d.reason == "NASDAQ.AMZN is above its order rate of 1/s (burst 1)");
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kBuy, "100", "0.3500", "trend")));
  CHECK_APPROVED(f.Send(f.Limit(f.amzn, kBuy, "1", "3355.01", "trend"), kT0 + milliseconds(1000)));
}

TEST_CASE("cancels pass in every mode and block but not above the cancel rate", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_max_cancels_per_second(1);
  RiskState& s = f.Build();
  OrderIntent a = f.Limit(f.amzn, kBuy, "1", "3355.00");
  OrderIntent b = f.Limit(f.amzn, kBuy, "1", "3354.00");
  CHECK_APPROVED(f.Send(a));
  CHECK_APPROVED(f.Send(b));
  REQUIRE(s.modes().Request(v1::TRADING_MODE_HALTED, "alice", "kill", kT0).ok());
  REQUIRE(s.blocks().Block(v1::BLOCK_SCOPE_STRATEGY, "mm", "alice", "stop", kT0).ok());

  CHECK_APPROVED(f.Send(f.Cancel(a)));
  CHECK(s.open_orders().Find(a.client_order_id)->cancel_requested);
  CHECK_REFUSED(f.Send(f.Cancel(b)), v1::REFUSAL_CODE_CANCEL_RATE);
  CHECK_APPROVED(f.Send(f.Cancel(b), kT0 + milliseconds(1000)));

  OrderIntent unknown = f.Cancel(a);
  unknown.cancel_client_order_id = "never-sent";
  CHECK_REFUSED(f.Check(unknown), v1::REFUSAL_CODE_INVALID_FIELD);
  OrderIntent not_ours = f.Cancel(a);
  not_ours.strategy_id = "trend";
  CHECK_REFUSED(f.Check(not_ours), v1::REFUSAL_CODE_INVALID_FIELD);
}

TEST_CASE("a limits swap keeps positions, open orders, buckets, mode and blocks",
          "[risk][check][limits]") {
  RiskFixture f;
  f.StrategyLimitsOf("trend")->set_max_orders_per_second(1);
  RiskState& s = f.Build();
  OrderIntent open = f.Limit(f.nkn, kSell, "100", "0.3530", "trend");
  CHECK_APPROVED(f.Send(open));  // drains trend's bucket
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3355.10"));
  REQUIRE(s.blocks()
              .Block(v1::BLOCK_SCOPE_INSTRUMENT, "BINANCE.LRCBTC", "alice", "delisting", kT0)
              .ok());
  REQUIRE(s.modes().Request(v1::TRADING_MODE_REDUCING, "alice", "end of day", kT0).ok());

  f.LimitsOf(f.amzn)->set_collar_bps(10);
  f.StrategyLimitsOf("trend")->set_max_orders_per_second(10);
  (*f.limits.mutable_conversion_rates())["EUR"] = Raw("1.1");
  s.ApplyLimits(f.BuildLimits());

  CHECK(s.ledger().NetQty(f.amzn) == Qty("10"));
  REQUIRE(s.open_orders().Find(open.client_order_id) != nullptr);
  CHECK(s.open_orders().ForInstrument(f.nkn).sell_qty == Qty("100"));
  CHECK(s.modes().mode() == v1::TRADING_MODE_REDUCING);
  CHECK(s.blocks().FindInstrument(f.lrc) != nullptr);
  // The new collar applies; the bucket kept its level (empty) under the new rate.
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "5", "3340.00")), v1::REFUSAL_CODE_PRICE_COLLAR);
  CHECK_APPROVED(f.Check(f.Limit(f.amzn, kSell, "5", "3355.00")));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kSell, "100", "0.3530", "trend")), v1::REFUSAL_CODE_MODE);
  REQUIRE(s.modes().Request(v1::TRADING_MODE_ACTIVE, "alice", "resume", kT0).ok());
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3520", "trend")),
                v1::REFUSAL_CODE_ORDER_RATE);
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3520", "trend"), kT0 + milliseconds(100)));
  // EUR now has a rate: RUNEEUR is tradable.
  CHECK_APPROVED(f.Check(f.Limit(f.rune, kBuy, "1", "9.505")));
}

}  // namespace
}  // namespace tradeplane::risk
