// Positions and balances: drifts that no fill or order break explains.
#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("a position drift against the venue's trades is a position mismatch",
          "[reconciliation][holdings]") {
  World w;
  w.SetOurPosition(w.sushi, "19.5");
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_POSITION_MISMATCH);
  CHECK(b.instrument_id.symbol == "SUSHIUSDT");
  CHECK(b.ours == Raw("19.5"));
  CHECK(b.venue == Raw("19"));
  CHECK_FALSE(b.correctable);
  CHECK(b.explanation ==
        "Position on BINANCE.SUSHIUSDT is 19.5 here and 19 by the venue (20 at the checkpoint "
        "plus its trades since); 0 is explained by other breaks and -0.5 is not.");
  CHECK(d.positions[1].is_break);
  CHECK(d.positions[1].unexplained == Qty("-0.5"));
}

TEST_CASE("a position the fill breaks explain is not a second break",
          "[reconciliation][holdings]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30)));
  w.open_order("1002")->filled_qty = Qty("3");
  w.SetOurPosition(w.sushi, "19.25");  // and a drift of its own on top
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 2);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(d.breaks[1].type == v1::BREAK_TYPE_POSITION_MISMATCH);
  CHECK_THAT(d.breaks[1].explanation,
             Catch::Contains("1 is explained by other breaks and -0.25 is not"));
}

TEST_CASE("a balance drift within the tolerance is no break, beyond it is one",
          "[reconciliation][holdings]") {
  World w;  // USDT tolerance 0.01, other assets exact
  SECTION("within") {
    w.SetBalance("USDT", "1000.005", "900", "100");
    DiffResult d = w.Diff();
    INFO(Summary(d));
    CHECK(d.breaks.empty());
    const BalanceCheck& usdt = d.balances[2];
    REQUIRE(usdt.asset == "USDT");
    CHECK(usdt.unexplained == Amt("-0.005"));
    CHECK(usdt.tolerance == Amt("0.01"));
    CHECK_FALSE(usdt.is_break);
  }
  SECTION("at the tolerance") {
    w.SetBalance("USDT", "1000.01", "900", "100");
    CHECK(w.Diff().breaks.empty());
  }
  SECTION("beyond") {
    w.SetBalance("USDT", "1000.02", "900", "100");
    DiffResult d = w.Diff();
    INFO(Summary(d));
    REQUIRE(d.breaks.size() == 1);
    const Break& b = d.breaks[0];
    CHECK(b.type == v1::BREAK_TYPE_BALANCE_MISMATCH);
    CHECK(b.asset == "USDT");
    CHECK_FALSE(b.instrument.has_value());
    CHECK(b.ours == Raw("1000.02"));
    CHECK(b.venue == Raw("1000"));
    CHECK(b.explanation ==
          "Balance of USDT is 1000.02 here and 1000 at the venue (free + locked); 0 is explained "
          "by other breaks and -0.02 is not, beyond the tolerance 0.01.");
  }
  SECTION("an asset without a tolerance is exact") {
    w.SetBalance("NKN", "40.000000001", "40", "0");
    DiffResult d = w.Diff();
    REQUIRE(d.breaks.size() == 1);
    CHECK(d.breaks[0].asset == "NKN");
  }
  SECTION("an asset we track that the venue does not list is zero there") {
    w.input.ours.balances.push_back(OurBalance{"BNB", Amt("0.5")});
    DiffResult d = w.Diff();
    REQUIRE(d.breaks.size() == 1);
    CHECK(d.breaks[0].asset == "BNB");
    CHECK(d.breaks[0].venue == 0);
  }
  SECTION("balances are not compared when the venue's were not listed") {
    w.SetBalance("USDT", "5", "900", "100");
    w.input.venue.balances_listed = false;
    CHECK(w.Diff().breaks.empty());
  }
}

TEST_CASE("a position checked against the venue's base-asset balance says so",
          "[reconciliation][holdings]") {
  World w;
  w.input.positions[0] = PositionReference{w.sushi, PositionBasis::kVenueBalance, {}, Amt("0")};
  DiffResult clean = w.Diff();
  INFO(Summary(clean));
  CHECK(clean.breaks.empty());
  CHECK(clean.positions[1].basis == PositionBasis::kVenueBalance);
  CHECK(clean.positions[1].venue == Qty("19"));

  w.SetBalance("SUSHI", "19", "18.4", "0.1");  // our SUSHI balance still says 19
  w.input.ours.balances.clear();
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_POSITION_MISMATCH);
  CHECK(d.breaks[0].explanation ==
        "Position on BINANCE.SUSHIUSDT is 19 here and 18.5 by the venue's SUSHI balance (18.5 "
        "less the offset 0); 0 is explained by other breaks and -0.5 is not, beyond the "
        "tolerance 0.");

  w.options.balance_tolerance.emplace("SUSHI", Amt("0.5"));
  CHECK(w.Diff().breaks.empty());
}

TEST_CASE("the next checkpoints start at the in-flight boundary with the venue's position",
          "[reconciliation][holdings]") {
  World w;
  DiffResult d = w.Diff();
  REQUIRE(d.next_checkpoints.size() == 2);
  CHECK(d.next_checkpoints[0].instrument == w.sushi);
  CHECK(d.next_checkpoints[0].checkpoint.since == kAsOf - kGrace);
  CHECK_FALSE(d.next_checkpoints[0].checkpoint.after_trade_id.has_value());
  CHECK(d.next_checkpoints[0].position == Qty("19"));
  CHECK(d.next_checkpoints[1].position == Qty("40"));
}

}  // namespace
}  // namespace tradeplane::reconciliation
