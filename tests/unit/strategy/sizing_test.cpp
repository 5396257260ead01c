#include "tradeplane/strategy/sizing.h"

#include <catch2/catch.hpp>

#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::AmznSpec;
using testing::Px;
using testing::Qty;

// Binance-like spot: lot 0.001, minimum notional 10.
InstrumentSpec CryptoSpec() {
  InstrumentSpec spec = AmznSpec();
  spec.id = InstrumentId{common::v1::VENUE_BINANCE, "ETHUSDT"};
  spec.tick_size = Px("0.01");
  spec.lot_size = Qty("0.001");
  spec.min_qty = Qty("0.001");
  spec.min_notional = *Amount::Parse("10");
  return spec;
}

SizingInput At(const char* price) {
  SizingInput input;
  input.price = Px(price);
  return input;
}

TEST_CASE("a fixed quantity is rounded down to the lot and capped", "[strategy][sizing]") {
  SizeDecision d = SizingPolicy::FixedQuantity(Qty("10.7"))->Size(At("3355.21"), AmznSpec());
  CHECK(d.qty == Qty("10"));
  CHECK_THAT(d.explanation,
             Catch::Contains("fixed quantity 10.7 -> 10.7, rounded down to lot 1: 10"));
  d = SizingPolicy::FixedQuantity(Qty("10"), Qty("4"))->Size(At("3355.21"), AmznSpec());
  CHECK(d.qty == Qty("4"));
  CHECK_THAT(d.explanation, Catch::Contains("capped at 4"));
  InstrumentSpec limited = AmznSpec();
  limited.max_qty = Qty("3");
  CHECK(SizingPolicy::FixedQuantity(Qty("10"))->Size(At("3355.21"), limited).qty == Qty("3"));
}

TEST_CASE("a fixed notional buys what it pays for, rounded down", "[strategy][sizing]") {
  // 10000 / 3355.21 = 2.98...
  SizeDecision d =
      SizingPolicy::FixedNotional(*Amount::Parse("10000"))->Size(At("3355.21"), AmznSpec());
  CHECK(d.qty == Qty("2"));
  CHECK(d.has_order());
  // 100 / 3355.21 = 0.0298... ETH -> 0.029 (lot 0.001), notional 97.30 >= 10.
  d = SizingPolicy::FixedNotional(*Amount::Parse("100"))->Size(At("3355.21"), CryptoSpec());
  CHECK(d.qty == Qty("0.029"));
}

TEST_CASE("the volatility target scales the notional by target / volatility",
          "[strategy][sizing]") {
  SizingPolicy policy = *SizingPolicy::VolatilityTarget(*Amount::Parse("100000"), 0.001);
  SizingInput input = At("3355.21");
  input.volatility = 0.85 / 3355.21;  // ATR / price per bar
  // notional = 100000 * 0.001 / 0.000253 = 394,730.6 -> 117.6 shares -> 117
  SizeDecision d = policy.Size(input, AmznSpec());
  CHECK(d.qty == Qty("117"));
  input.volatility = 0;
  d = policy.Size(input, AmznSpec());
  CHECK_FALSE(d.has_order());
  CHECK_THAT(d.explanation, Catch::Contains("volatility estimate 0 is not a positive number"));
  input.volatility = 1e-30;  // absurd size: refused, not wrapped around
  d = policy.Size(input, AmznSpec());
  CHECK_FALSE(d.has_order());
}

TEST_CASE("fractional Kelly sizes by the edge, capped, and refuses without an edge",
          "[strategy][sizing]") {
  SizingPolicy policy = *SizingPolicy::Kelly(*Amount::Parse("100000"), 0.5, Qty("50"));
  SizingInput input = At("3355.21");
  input.win_probability = 0.55;
  input.win_loss_ratio = 1.5;
  // f* = 0.55 - 0.45 / 1.5 = 0.25; half Kelly 0.125 -> 12500 / 3355.21 = 3.7 -> 3
  SizeDecision d = policy.Size(input, AmznSpec());
  CHECK(d.qty == Qty("3"));
  CHECK_THAT(d.explanation, Catch::Contains("f* 0.25"));
  SizingPolicy capped = *SizingPolicy::Kelly(*Amount::Parse("10000000"), 1.0, Qty("50"));
  CHECK(capped.Size(input, AmznSpec()).qty == Qty("50"));
  input.win_probability = 0.5;
  input.win_loss_ratio = 1.0;
  d = policy.Size(input, AmznSpec());
  CHECK_FALSE(d.has_order());
  CHECK_THAT(d.explanation, Catch::Contains("no edge, Kelly f* = 0"));
}

TEST_CASE("a size below the instrument's minimum is no order", "[strategy][sizing]") {
  SizeDecision d = SizingPolicy::FixedQuantity(Qty("0.5"))->Size(At("3355.21"), AmznSpec());
  CHECK_FALSE(d.has_order());
  CHECK_THAT(d.explanation, Catch::Contains("(zero)"));
  d = SizingPolicy::FixedQuantity(Qty("0.002"))->Size(At("3355.21"), CryptoSpec());
  CHECK_FALSE(d.has_order());  // 6.71 USDT < 10
  CHECK_THAT(d.explanation, Catch::Contains("below the minimum 10"));
  InstrumentSpec spec = AmznSpec();
  spec.min_qty = Qty("5");
  d = SizingPolicy::FixedQuantity(Qty("3"))->Size(At("3355.21"), spec);
  CHECK_FALSE(d.has_order());
  CHECK_THAT(d.explanation, Catch::Contains("below the minimum quantity 5"));
  CHECK_FALSE(SizingPolicy::FixedQuantity(Qty("3"))->Size(At("0"), spec).has_order());
}

TEST_CASE("sizing configurations are validated", "[strategy][sizing]") {
  config::v1::SizingConfig config;
  CHECK_THAT(std::string(SizingPolicy::FromConfig(config).status().message()),
             Catch::Contains("is not one of FIXED_QTY"));
  config.set_kind(config::v1::SIZING_KIND_FIXED_QTY);
  CHECK_THAT(std::string(SizingPolicy::FromConfig(config).status().message()),
             Catch::Contains("fixed quantity 0 must be above 0"));
  config.set_qty(10'000'000'000);
  CHECK(SizingPolicy::FromConfig(config)->Describe() == "fixed quantity 10");
  config.set_kind(config::v1::SIZING_KIND_KELLY);
  config.set_notional(100'000'000'000'000);
  config.set_kelly_fraction(0.25);
  CHECK_THAT(std::string(SizingPolicy::FromConfig(config).status().message()),
             Catch::Contains("Kelly needs a cap"));
  config.set_max_qty(50'000'000'000);
  CHECK(SizingPolicy::FromConfig(config)->kind() == SizingKind::kKelly);
  config.set_kind(config::v1::SIZING_KIND_VOLATILITY_TARGET);
  config.set_target_volatility(2);
  CHECK_THAT(std::string(SizingPolicy::FromConfig(config).status().message()),
             Catch::Contains("target_volatility 2 is out of range"));
}

}  // namespace
}  // namespace tradeplane::strategy
