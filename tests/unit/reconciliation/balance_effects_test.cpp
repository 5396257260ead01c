#include "tradeplane/reconciliation/balance_effects.h"

#include "recon_fixture.h"

namespace tradeplane::reconciliation::testing {
namespace {

InstrumentTable Table() {
  InstrumentTable t;
  REQUIRE(t.Add(SpotSpec("SUSHIUSDT", "SUSHI", "USDT", "0.001", "0.1")).ok());
  return t;
}

OurFill Fill(std::string id, Side side, std::string_view qty, std::string_view price,
             std::string_view fee, std::string fee_asset) {
  OurFill f;
  f.fill_id = std::move(id);
  f.venue_trade_id = "1";
  f.instrument = 0;
  f.side = side;
  f.qty = Qty(qty);
  f.price = Px(price);
  f.fee = Amt(fee);
  f.fee_asset = std::move(fee_asset);
  return f;
}

TEST_CASE("fills move the base by the quantity, the quote by the notional, the fee in its asset",
          "[reconciliation][balances]") {
  absl::StatusOr<AssetAmounts> effects = FillEffects(
      {Fill("a", kBuy, "10", "9.5", "0.01", "SUSHI"), Fill("b", kSell, "4", "10", "0.04", "USDT")},
      Table());
  REQUIRE(effects.ok());
  CHECK((*effects)["SUSHI"] == Raw("5.99"));   // +10 -4 -0.01
  CHECK((*effects)["USDT"] == Raw("-55.04"));  // -95 +40 -0.04
}

TEST_CASE("the opening is the venue's balance less the fills, and comes back as expected",
          "[reconciliation][balances]") {
  absl::StatusOr<AssetAmounts> effects =
      FillEffects({Fill("a", kBuy, "10", "9.5", "0", "")}, Table());
  REQUIRE(effects.ok());
  // The venue holds 1000 USDT after our buy of 95: we opened with 1095.
  absl::StatusOr<Amount> opening = OpeningBalance("USDT", Amt("1000"), *effects);
  REQUIRE(opening.ok());
  CHECK(*opening == Amt("1095"));
  // A later sell of 2 @ 10 is expected to bring it to 1020.
  absl::StatusOr<AssetAmounts> later = FillEffects(
      {Fill("a", kBuy, "10", "9.5", "0", ""), Fill("c", kSell, "2", "10", "0", "")}, Table());
  REQUIRE(later.ok());
  absl::StatusOr<std::vector<OurBalance>> expected =
      ExpectedBalances({{"USDT", *opening}, {"SUSHI", Amt("0")}}, *later);
  REQUIRE(expected.ok());
  REQUIRE(expected->size() == 2);
  CHECK(expected->at(0).asset == "SUSHI");
  CHECK(expected->at(0).total == Amt("8"));
  CHECK(expected->at(1).asset == "USDT");
  CHECK(expected->at(1).total == Amt("1020"));
}

TEST_CASE("a fill on an instrument outside the table is refused, naming the fill",
          "[reconciliation][balances]") {
  OurFill f = Fill("x-1", kBuy, "1", "1", "0", "");
  f.instrument = 7;
  absl::StatusOr<AssetAmounts> effects = FillEffects({f}, Table());
  CHECK(effects.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(effects.status().message()), Catch::Contains("x-1"));
}

}  // namespace
}  // namespace tradeplane::reconciliation::testing
