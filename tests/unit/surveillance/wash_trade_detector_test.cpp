#include "tradeplane/surveillance/wash_trade_detector.h"

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
  Fixture() {
    REQUIRE(participants.SetBeneficialOwner("ACC_A", "FIRM").ok());
    REQUIRE(participants.SetBeneficialOwner("ACC_B", "FIRM").ok());
    acc_a = *participants.Find("ACC_A");
    acc_b = *participants.Find("ACC_B");
    firm = *participants.Find("FIRM");
    other = participants.Intern("OTHER");
  }
  Event Fill(double ms, ParticipantId who, Side side, std::string_view price, std::string_view qty,
             Aggression aggression, ParticipantId counterparty = kUnknownParticipant) {
    ++next_fill;
    return OrderExecuted(T(ms), 0, who, 100 + next_fill, next_fill, side, P(price), Q(qty),
                         aggression, counterparty);
  }
  ParticipantTable participants;
  ParticipantId acc_a = 0;
  ParticipantId acc_b = 0;
  ParticipantId firm = 0;
  ParticipantId other = 0;
  uint64_t next_fill = 0;
};

TEST_CASE("a fill whose reported counterparty is the participant itself is a self-trade",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.other, kBuy, "3360.10", "100", Aggression::kAggressive, f.other));
  REQUIRE(h.alerts().size() == 1);
  const Alert& alert = h.alerts()[0];
  CHECK(alert.type == v1::ALERT_TYPE_WASH_TRADE);
  CHECK(alert.severity == v1::SEVERITY_HIGH);
  CHECK(alert.subject == f.other);
  CHECK(alert.fill_ids == std::vector<uint64_t>{1});
  CHECK(alert.explanation.find("from itself") != std::string::npos);
  CHECK(alert.indicator.find("3(a)") != std::string_view::npos);
}

TEST_CASE("two accounts of one owner matched against each other raise on the owner",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.acc_a, kSell, "3360.10", "100", Aggression::kPassive, f.acc_b));
  REQUIRE(h.alerts().size() == 1);
  CHECK(h.alerts()[0].subject == f.firm);
  CHECK(h.alerts()[0].explanation.find("both belong to FIRM") != std::string::npos);
}

TEST_CASE("a counterparty of another owner is an ordinary trade", "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.acc_a, kSell, "3360.10", "100", Aggression::kPassive, f.other));
  h.Feed(f.Fill(1, f.acc_b, kBuy, "3360.10", "100", Aggression::kAggressive, f.other));
  CHECK(h.alerts().empty());
}

TEST_CASE("opposite fills of one owner at the same price and size within the window are inferred",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.acc_a, kSell, "3360.10", "100", Aggression::kPassive));
  h.Feed(f.Fill(3, f.acc_b, kBuy, "3360.12", "98", Aggression::kAggressive));
  REQUIRE(h.alerts().size() == 1);
  const Alert& alert = h.alerts()[0];
  CHECK(alert.severity == v1::SEVERITY_MEDIUM);
  CHECK(alert.subject == f.firm);
  CHECK(alert.fill_ids == std::vector<uint64_t>{1, 2});
  REQUIRE(FindMetric(alert, "time_gap_ms") != nullptr);
  CHECK(FindMetric(alert, "time_gap_ms")->value == Approx(3));
  CHECK(FindMetric(alert, "qty_difference")->value == Approx(0.02));
  CHECK(FindMetric(alert, "price_difference_bps")->value == Approx(0.0595).epsilon(0.01));
}

TEST_CASE("two passive fills cannot have met each other (market making)",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.other, kBuy, "3360.00", "100", Aggression::kPassive));
  h.Feed(f.Fill(0, f.other, kSell, "3360.00", "100", Aggression::kPassive));
  CHECK(h.alerts().empty());
}

TEST_CASE("a participant re-offering what it took half a second ago is not trading with itself",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.other, kBuy, "3360.00", "100", Aggression::kAggressive));
  h.Feed(f.Fill(500, f.other, kSell, "3360.00", "100", Aggression::kPassive));
  CHECK(h.alerts().empty());
  // Within the same-participant window it is.
  h.Feed(f.Fill(1000, f.other, kBuy, "3360.00", "100", Aggression::kAggressive));
  h.Feed(f.Fill(1002, f.other, kSell, "3360.00", "100", Aggression::kPassive));
  CHECK(h.alerts().size() == 1);
}

TEST_CASE("fills too far apart in time, price or size are not a wash",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.acc_a, kSell, "3360.00", "100", Aggression::kPassive));
  h.Feed(f.Fill(5000, f.acc_b, kBuy, "3360.00", "100", Aggression::kAggressive));  // 5 s
  h.Feed(f.Fill(10000, f.acc_a, kSell, "3360.00", "100", Aggression::kPassive));
  h.Feed(f.Fill(10001, f.acc_b, kBuy, "3370.00", "100", Aggression::kAggressive));  // 30 bps
  h.Feed(f.Fill(20000, f.acc_a, kSell, "3360.00", "100", Aggression::kPassive));
  h.Feed(f.Fill(20001, f.acc_b, kBuy, "3360.00", "150", Aggression::kAggressive));  // 33 %
  CHECK(h.alerts().empty());
}

TEST_CASE("one fill pairs with at most one other", "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector detector(WashTradeParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Fill(0, f.acc_a, kSell, "3360.00", "100", Aggression::kPassive));
  h.Feed(f.Fill(1, f.acc_b, kBuy, "3360.00", "100", Aggression::kAggressive));
  h.Feed(f.Fill(2, f.acc_b, kBuy, "3360.00", "100", Aggression::kAggressive));
  CHECK(h.alerts().size() == 1);
}

TEST_CASE("anonymous fills are skipped unless include_unknown is set",
          "[surveillance][wash_trade]") {
  Fixture f;
  WashTradeDetector skipping(WashTradeParams{}, &f.participants);
  DetectorHarness h1(skipping);
  h1.Feed(f.Fill(0, kUnknownParticipant, kSell, "3360.00", "100", Aggression::kPassive));
  h1.Feed(f.Fill(0, kUnknownParticipant, kBuy, "3360.00", "100", Aggression::kAggressive));
  CHECK(h1.alerts().empty());

  absl::StatusOr<WashTradeParams> params = WashTradeParams::FromMap({{"include_unknown", 1}});
  REQUIRE(params.ok());
  WashTradeDetector pooling(*params, &f.participants);
  DetectorHarness h2(pooling);
  h2.Feed(f.Fill(0, kUnknownParticipant, kSell, "3360.00", "100", Aggression::kPassive));
  h2.Feed(f.Fill(0, kUnknownParticipant, kBuy, "3360.00", "100", Aggression::kAggressive));
  REQUIRE(h2.alerts().size() == 1);
  CHECK(h2.alerts()[0].subject == kUnknownParticipant);
}

}  // namespace
}  // namespace tradeplane::surveillance
