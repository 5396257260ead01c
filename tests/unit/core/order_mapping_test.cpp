#include "tradeplane/core/order_mapping.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/instrument.h"

namespace tradeplane {
namespace {

InstrumentTable Table() {
  marketdata::v1::Instrument p;
  p.mutable_id()->set_venue(common::v1::VENUE_BINANCE);
  p.mutable_id()->set_symbol("NKNUSDT");
  p.set_tick_size(100'000);     // 0.0001
  p.set_lot_size(100'000'000);  // 0.1
  InstrumentTable table;
  absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
  REQUIRE(spec.ok());
  REQUIRE(table.Add(*spec).ok());
  return table;
}

signal::v1::OrderIntent NewOrderIntent() {
  signal::v1::OrderIntent p;
  p.set_intent_id("intent-1");
  p.set_client_order_id("order-1");
  p.set_strategy_id("quoting");
  p.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  p.mutable_instrument()->set_symbol("NKNUSDT");
  p.set_side(common::v1::SIDE_BUY);
  p.set_order_type(orders::v1::ORDER_TYPE_LIMIT);
  p.set_qty(1'000'000'000);
  p.set_price(200'000'000);
  return p;
}

TEST_CASE("an intent survives the trip to its proto and back", "[core][order_mapping]") {
  InstrumentTable table = Table();
  absl::StatusOr<OrderIntent> intent = IntentFromProto(NewOrderIntent(), table);
  REQUIRE(intent.ok());
  signal::v1::OrderIntent again;
  IntentToProto(*intent, table, &again);
  CHECK(again.client_order_id() == "order-1");
  CHECK(again.qty() == 1'000'000'000);
  CHECK(again.price() == 200'000'000);
}

TEST_CASE("a new order needs its client order id, a cancel names the order it cancels",
          "[core][order_mapping]") {
  InstrumentTable table = Table();
  signal::v1::OrderIntent no_id = NewOrderIntent();
  no_id.clear_client_order_id();
  CHECK_THAT(std::string(IntentFromProto(no_id, table).status().message()),
             Catch::Contains("client_order_id"));

  // What a strategy's cancel looks like: no order of its own.
  signal::v1::OrderIntent cancel;
  cancel.set_intent_id("intent-2");
  cancel.set_strategy_id("quoting");
  *cancel.mutable_instrument() = NewOrderIntent().instrument();
  cancel.set_cancel_client_order_id("order-1");
  absl::StatusOr<OrderIntent> c = IntentFromProto(cancel, table);
  REQUIRE(c.ok());
  CHECK(c->is_cancel());
  CHECK(c->cancel_client_order_id == "order-1");

  cancel.set_cancel_client_order_id("bad id with spaces");
  CHECK_THAT(std::string(IntentFromProto(cancel, table).status().message()),
             Catch::Contains("cancel_client_order_id"));
}

}  // namespace
}  // namespace tradeplane
