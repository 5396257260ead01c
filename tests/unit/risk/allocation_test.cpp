// The approve path allocates nothing after warm-up. The risk_test binary
// counts allocations (tradeplane_allocation_counter replaces operator new;
// the counting costs nothing while no counter lives).

#include <catch2/catch.hpp>

#include "tradeplane/testing/allocation_counter.h"

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("approving, recording, quoting and closing orders allocate nothing after warm-up",
          "[risk][check][alloc]") {
  RiskFixture f;
  f.LimitsOf(f.nkn)->set_max_concentration(0.5);
  f.LimitsOf(f.nkn)->set_max_orders_per_second(100000);
  f.LimitsOf(f.amzn)->set_max_cancels_per_second(100000);
  f.StrategyLimitsOf("mm")->set_max_open_orders(100);
  f.StrategyLimitsOf("mm")->set_max_orders_per_second(100000);
  f.StrategyLimitsOf("mm")->set_max_notional(Raw("100000"));
  f.Build();
  f.state->SetStartingEquity(Amt("1000000"));
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3355.10"));

  // Intents built up front: building one allocates its strings.
  std::vector<OrderIntent> orders;
  for (int k = 0; k < 20; ++k) {
    orders.push_back(f.Limit(k % 2 == 0 ? f.nkn : f.amzn, kBuy, k % 2 == 0 ? "100" : "1",
                             k % 2 == 0 ? "0.3520" : "3355.00"));
  }
  orders.push_back(f.Market(f.amzn, kBuy, "1"));
  std::vector<OrderIntent> cancels;
  for (const OrderIntent& o : orders) cancels.push_back(f.Cancel(o));
  marketdata::Quote quote;
  quote.instrument = f.nkn;
  quote.bid_price = Px("0.3521");
  quote.ask_price = Px("0.3525");
  quote.bid_qty = quote.ask_qty = Qty("5000");

  auto round = [&](Timestamp now) {
    int approved = 0;
    for (const OrderIntent& o : orders)
      approved += EvaluateAndRecord(o, f.state.get(), now).approved;
    for (const OrderIntent& c : cancels) {
      if (f.state->open_orders().Find(c.cancel_client_order_id) != nullptr) {
        approved += EvaluateAndRecord(c, f.state.get(), now).approved;
      }
    }
    for (const OrderIntent& o : orders) {
      f.state->OnOrderStatus(o.client_order_id, orders::v1::ORDER_STATUS_CANCELED);
    }
    f.state->OnQuote(quote, now);
    return approved;
  };
  // 21 orders (20 limit, 1 market), then a cancel of each.
  int warm = round(kT0);
  CHECK(warm == 42);
  round(kT0 + std::chrono::milliseconds(1));

  int approved = 0;
  int64_t allocations = 0;
  {
    tradeplane::testing::CountAllocations counter;
    for (int k = 2; k < 50; ++k) approved += round(kT0 + std::chrono::milliseconds(k));
    allocations = counter.count();
  }
  CHECK(approved == 42 * 48);
  CHECK(allocations == 0);
}

TEST_CASE("a refusal may allocate its sentence", "[risk][check][alloc]") {
  RiskFixture f;
  f.Build();
  OrderIntent fat_finger = f.Limit(f.amzn, kBuy, "1", "3700.00");
  int64_t allocations = 0;
  Decision d;
  {
    tradeplane::testing::CountAllocations counter;
    d = f.Check(fat_finger);
    allocations = counter.count();
  }
  CHECK_FALSE(d.approved);
  CHECK(allocations > 0);  // shows the counter counts
}

}  // namespace
}  // namespace tradeplane::risk
