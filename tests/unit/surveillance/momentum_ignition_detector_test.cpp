#include "tradeplane/surveillance/momentum_ignition_detector.h"

#include <catch2/catch.hpp>

#include "test_values.h"

namespace tradeplane::surveillance {
namespace {

using testing::DetectorHarness;
using testing::FindMetric;
using testing::kBuy;
using testing::kSell;
using testing::P;
using testing::Q;
using testing::T;

struct Fixture {
  Fixture() : who(participants.Intern("MOM")) {}
  Event Book(double ms) {
    return BookUpdate(T(ms), 0,
                      BookTop{P("99.95"), Q("100"), P("100.05"), Q("100"), Q("500"), Q("500")});
  }
  Event Fill(double ms, Side side, std::string_view price, std::string_view qty,
             Aggression aggression) {
    ++id;
    return OrderExecuted(T(ms), 0, who, id, id, side, P(price), Q(qty), aggression);
  }
  ParticipantTable participants;
  ParticipantId who;
  uint64_t id = 0;
};

TEST_CASE("an aggressive burst that moves the price and is sold back into is momentum ignition",
          "[surveillance][momentum]") {
  Fixture f;
  MomentumIgnitionDetector detector(MomentumIgnitionParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));  // midpoint 100.00
  h.Feed(f.Fill(100, kBuy, "100.05", "100", Aggression::kAggressive));
  h.Feed(f.Fill(400, kBuy, "100.08", "100", Aggression::kAggressive));
  h.Feed(f.Fill(700, kBuy, "100.12", "100", Aggression::kAggressive));
  h.Feed(f.Fill(1000, kBuy, "100.20", "100", Aggression::kAggressive));  // +20 bps
  CHECK(h.alerts().empty());
  h.Feed(f.Fill(8000, kSell, "100.18", "150", Aggression::kPassive));
  CHECK(h.alerts().empty());  // 37.5 % back so far
  h.Feed(f.Fill(9000, kSell, "100.16", "100", Aggression::kPassive));
  REQUIRE(h.alerts().size() == 1);
  const Alert& alert = h.alerts()[0];
  CHECK(alert.type == v1::ALERT_TYPE_MOMENTUM_IGNITION);
  CHECK(alert.subject == f.who);
  CHECK(FindMetric(alert, "price_move_bps")->value == Approx(20));
  CHECK(FindMetric(alert, "burst_trades")->value == 4);
  CHECK(FindMetric(alert, "reversal_ratio")->value == Approx(0.625));
  CHECK(FindMetric(alert, "reversal_delay_ms")->value == Approx(8000));
  CHECK(alert.fill_ids == std::vector<uint64_t>{1, 2, 3, 4, 5, 6});
  CHECK(alert.window_start == T(100));
  CHECK(alert.explanation.find("from 100 (midpoint before the burst) to 100.2 (+20.0 bps)") !=
        std::string::npos);
}

TEST_CASE("a sell burst bought back is the mirror case", "[surveillance][momentum]") {
  Fixture f;
  MomentumIgnitionDetector detector(MomentumIgnitionParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  for (int i = 0; i < 5; ++i) {
    h.Feed(f.Fill(100 + i * 100, kSell, i < 4 ? "99.95" : "99.80", "50", Aggression::kAggressive));
  }
  h.Feed(f.Fill(3000, kBuy, "99.85", "200", Aggression::kAggressive));
  REQUIRE(h.alerts().size() == 1);
  CHECK(FindMetric(h.alerts()[0], "price_move_bps")->value == Approx(20));
}

TEST_CASE(
    "momentum without a reversal, a reversal too late, or a burst that moves nothing is "
    "not ignition",
    "[surveillance][momentum]") {
  Fixture f;
  MomentumIgnitionDetector detector(MomentumIgnitionParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  // A large buyer working an order: bursts that move the price, kept.
  for (int i = 0; i < 5; ++i)
    h.Feed(f.Fill(100 + i * 100, kBuy, "100.25", "100", Aggression::kAggressive));
  // Sold 2 minutes later: beyond the reversal window.
  h.Feed(f.Fill(121'000, kSell, "100.30", "500", Aggression::kPassive));
  // A scalper taking the ask and selling back: no move (2.5 bps).
  h.Feed(f.Book(200'000));
  for (int i = 0; i < 5; ++i) {
    h.Feed(f.Fill(200'100 + i * 10, kBuy, "100.05", "10", Aggression::kAggressive));
  }
  h.Feed(f.Fill(201'000, kSell, "100.06", "50", Aggression::kPassive));
  // A burst sold back below the reference: the move did not pay.
  h.Feed(f.Book(300'000));
  for (int i = 0; i < 4; ++i)
    h.Feed(f.Fill(300'100 + i * 10, kBuy, "100.20", "10", Aggression::kAggressive));
  h.Feed(f.Fill(305'000, kSell, "99.90", "40", Aggression::kAggressive));
  CHECK(h.alerts().empty());
}

}  // namespace
}  // namespace tradeplane::surveillance
