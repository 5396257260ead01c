#include "tradeplane/core/instrument.h"

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

InstrumentSpec Nkn() {
  marketdata::v1::Instrument p;
  p.mutable_id()->set_venue(common::v1::VENUE_BINANCE);
  p.mutable_id()->set_symbol("NKNUSDT");
  p.set_tick_size(100'000);           // 0.0001
  p.set_lot_size(100'000'000);        // 0.1
  p.set_min_qty(1'000'000'000);       // 1
  p.set_max_qty(90'000'000'000'000);  // 90000
  absl::StatusOr<InstrumentSpec> s = InstrumentSpec::FromProto(p);
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("instrument ids print and parse as VENUE.SYMBOL", "[core][instrument]") {
  InstrumentId id{common::v1::VENUE_BINANCE_USDM, "SUSHIUSDT"};
  CHECK(id.ToString() == "BINANCE_USDM.SUSHIUSDT");
  CHECK(*InstrumentId::Parse("BINANCE_USDM.SUSHIUSDT") == id);
  CHECK(InstrumentId::Parse("NASDAQ.BRK.A")->symbol == "BRK.A");
  CHECK_THAT(std::string(InstrumentId::Parse("NYSE.IBM").status().message()),
             Catch::Contains("unknown venue"));
  CHECK_FALSE(InstrumentId::Parse("AMZN").ok());
}

TEST_CASE("off-tick prices and off-lot quantities are refused", "[core][instrument]") {
  InstrumentSpec s = Nkn();
  CHECK(s.price_precision == 4);
  CHECK(s.qty_precision == 1);
  CHECK(s.CheckPrice(*Price::Parse("0.3521")).ok());
  CHECK_THAT(std::string(s.CheckPrice(*Price::Parse("0.35215")).message()),
             Catch::Contains("more than 4 decimals"));
  CHECK_THAT(std::string(s.CheckPrice(Price::Zero()).message()), Catch::Contains("not positive"));
  CHECK(s.CheckQuantity(*Quantity::Parse("12.3")).ok());
  CHECK_THAT(std::string(s.CheckQuantity(*Quantity::Parse("0.5")).message()),
             Catch::Contains("below the minimum 1"));
  CHECK_THAT(std::string(s.CheckQuantity(*Quantity::Parse("100000")).message()),
             Catch::Contains("above the maximum"));
  CHECK_FALSE(s.CheckQuantity(*Quantity::Parse("-1")).ok());
}

TEST_CASE("the instrument table indexes by venue and symbol", "[core][instrument]") {
  InstrumentTable table;
  absl::StatusOr<InstrumentIndex> a = table.Add(Nkn());
  REQUIRE(a.ok());
  InstrumentSpec other = Nkn();
  other.id.venue = common::v1::VENUE_BINANCE_USDM;
  REQUIRE(table.Add(other).ok());
  CHECK(table.Add(Nkn()).status().code() == absl::StatusCode::kAlreadyExists);
  CHECK(table.Find(common::v1::VENUE_BINANCE, "NKNUSDT") == *a);
  CHECK(table.Find(common::v1::VENUE_BINANCE_USDM, "NKNUSDT") == 1u);
  CHECK_FALSE(table.Find(common::v1::VENUE_NASDAQ, "NKNUSDT").has_value());
  CHECK(table.size() == 2);
  marketdata::v1::Instrument bad;
  bad.mutable_id()->set_venue(common::v1::VENUE_BINANCE);
  bad.mutable_id()->set_symbol("X");
  CHECK_THAT(std::string(InstrumentSpec::FromProto(bad).status().message()),
             Catch::Contains("tick_size and lot_size must be positive"));
}

}  // namespace
}  // namespace tradeplane
