#include "tradeplane/surveillance/marking_close_detector.h"

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

// T(0) is 13:30:00 UTC; the close is at 14:00:00 UTC = T(1'800'000).
constexpr double kCloseMs = 1'800'000;

MarkingCloseParams CloseAt1400() {
  absl::StatusOr<MarkingCloseParams> p = MarkingCloseParams::FromMap({{"close_time_utc_s", 50400}});
  REQUIRE(p.ok());
  return *p;
}

struct Fixture {
  Fixture() : ramp(participants.Intern("MTC")), even(participants.Intern("EVEN")) {}
  void Trade(DetectorHarness& h, double ms, std::string_view price, std::string_view qty) {
    h.Feed(PublicTrade(T(ms), 0, ++id, kBuy, P(price), Q(qty)));
  }
  void Aggressive(DetectorHarness& h, ParticipantId who, double ms, Side side,
                  std::string_view price, std::string_view qty) {
    ++id;
    h.Feed(OrderExecuted(T(ms), 0, who, id, id, side, P(price), Q(qty), Aggression::kAggressive));
    h.Feed(PublicTrade(T(ms), 0, id, side, P(price), Q(qty)));
  }
  ParticipantTable participants;
  ParticipantId ramp;
  ParticipantId even;
  uint64_t id = 0;
};

TEST_CASE("the close is the configured time of day in UTC", "[surveillance][marking_close]") {
  ParticipantTable participants;
  MarkingCloseDetector detector(CloseAt1400(), &participants);
  CHECK(detector.NextCloseAfter(T(0)) == T(kCloseMs));
  CHECK(detector.NextCloseAfter(T(kCloseMs)) == T(kCloseMs) + std::chrono::hours(24));
}

TEST_CASE("aggressive buying concentrated before the close that lifts it is marking the close",
          "[surveillance][marking_close]") {
  Fixture f;
  MarkingCloseDetector detector(CloseAt1400(), &f.participants);
  DetectorHarness h(detector);
  f.Aggressive(h, f.ramp, 100'000, kBuy, "100.00", "100");  // earlier in the session
  f.Trade(h, 1'000'000, "100.00", "500");                   // the price before the window
  f.Trade(h, 1'600'000, "100.01", "1000");                  // others, in the window
  f.Aggressive(h, f.ramp, 1'700'000, kBuy, "100.05", "300");
  f.Aggressive(h, f.ramp, 1'750'000, kBuy, "100.10", "300");
  f.Aggressive(h, f.ramp, 1'799'000, kBuy, "100.20", "300");
  CHECK(h.alerts().empty());
  h.Finish(T(kCloseMs));
  REQUIRE(h.alerts().size() == 1);
  const Alert& alert = h.alerts()[0];
  CHECK(alert.type == v1::ALERT_TYPE_MARKING_THE_CLOSE);
  CHECK(alert.subject == f.ramp);
  CHECK(alert.window_start == T(kCloseMs - 300'000));
  CHECK(alert.window_end == T(kCloseMs));
  CHECK(FindMetric(alert, "close_move_bps")->value == Approx(20));
  CHECK(FindMetric(alert, "volume_share")->value == Approx(900.0 / 1900));
  CHECK(FindMetric(alert, "concentration")->value == Approx(0.9));
  CHECK(alert.fill_ids.size() == 3);
  CHECK(alert.explanation.find("closing price 100.2 is +20.0 bps from 100") != std::string::npos);
}

TEST_CASE("the close is also evaluated by the first event after it",
          "[surveillance][marking_close]") {
  Fixture f;
  MarkingCloseDetector detector(CloseAt1400(), &f.participants);
  DetectorHarness h(detector);
  f.Trade(h, 1'000'000, "100.00", "500");
  f.Aggressive(h, f.ramp, 1'790'000, kSell, "99.70", "600");
  f.Trade(h, 1'800'500, "99.90", "10");  // after the close: the next session
  REQUIRE(h.alerts().size() == 1);
  CHECK(FindMetric(h.alerts()[0], "close_move_bps")->value == Approx(30));
}

TEST_CASE("steady buying all session, trading against the move, or a small share is not marking",
          "[surveillance][marking_close]") {
  Fixture f;
  MarkingCloseDetector detector(CloseAt1400(), &f.participants);
  DetectorHarness h(detector);
  ParticipantId against = f.participants.Intern("AGAINST");
  ParticipantId small = f.participants.Intern("SMALL");
  for (int i = 0; i < 30; ++i) f.Aggressive(h, f.even, 10'000 + i * 59'000, kBuy, "100.00", "100");
  f.Trade(h, 1'400'000, "100.00", "5000");
  f.Aggressive(h, small, 1'650'000, kBuy, "100.05", "20");
  f.Trade(h, 1'700'000, "100.30", "5000");
  f.Aggressive(h, against, 1'750'000, kSell, "100.25", "3000");
  f.Aggressive(h, f.even, 1'799'000, kBuy, "100.30", "100");
  h.Finish(T(kCloseMs));
  CHECK(h.alerts().empty());
}

}  // namespace
}  // namespace tradeplane::surveillance
