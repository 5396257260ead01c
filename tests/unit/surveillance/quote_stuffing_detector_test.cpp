#include "tradeplane/surveillance/quote_stuffing_detector.h"

#include <catch2/catch.hpp>

#include "test_values.h"

namespace tradeplane::surveillance {
namespace {

using testing::DetectorHarness;
using testing::FindMetric;
using testing::kBuy;
using testing::P;
using testing::Q;
using testing::T;

// `pairs` submit+cancel pairs spread evenly over `span_ms`, starting at `start_ms`;
// every `fill_every`-th order is filled (0: none).
void Burst(DetectorHarness& h, ParticipantId who, double start_ms, int pairs, double span_ms,
           int fill_every, uint64_t first_id) {
  for (int i = 0; i < pairs; ++i) {
    double t = start_ms + span_ms * i / pairs;
    uint64_t id = first_id + static_cast<uint64_t>(i);
    h.Feed(OrderSubmitted(T(t), 0, who, id, kBuy, P("99.99"), Q("1"), Aggression::kPassive));
    if (fill_every > 0 && i % fill_every == 0) {
      h.Feed(OrderExecuted(T(t), 0, who, id, id, kBuy, P("99.99"), Q("1"), Aggression::kPassive));
    } else {
      h.Feed(OrderCancelled(T(t + 0.1), 0, who, id, kBuy, P("99.99"), Q("1"), Quantity()));
    }
  }
}

TEST_CASE("hundreds of submits and cancels in a second without fills is quote stuffing",
          "[surveillance][quote_stuffing]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("QST");
  QuoteStuffingDetector detector(QuoteStuffingParams{}, &participants);
  DetectorHarness h(detector);
  Burst(h, who, 0, 300, 600, 0, 1);
  REQUIRE(h.alerts().size() == 1);  // quiet for a window after it fires
  const Alert& alert = h.alerts()[0];
  CHECK(alert.type == v1::ALERT_TYPE_QUOTE_STUFFING);
  CHECK(alert.subject == who);
  CHECK(FindMetric(alert, "messages_in_window")->value == 100);
  CHECK(FindMetric(alert, "fill_ratio")->value == 0);
  CHECK(alert.window_start == T(0));
  CHECK(alert.order_ids.front() == 1);
  CHECK(FindMetric(alert, "messages_per_second")->value == Approx(100 / 0.0981).epsilon(1e-4));
  CHECK(alert.explanation.find("sent 50 orders and 50 cancels within 98 ms (1019 messages/s; the "
                               "threshold is 100 within 1.000 s) with 0 fills") !=
        std::string::npos);
}

TEST_CASE("a busy market maker whose quotes trade is not quote stuffing",
          "[surveillance][quote_stuffing]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("MM");
  QuoteStuffingDetector detector(QuoteStuffingParams{}, &participants);
  DetectorHarness h(detector);
  Burst(h, who, 0, 40, 1000, 0, 1);         // 80 messages a second: below the rate
  Burst(h, who, 5000, 300, 1000, 5, 1000);  // 20 % of orders fill
  CHECK(h.alerts().empty());
}

TEST_CASE("the message count slides: bursts split across windows stay below the rate",
          "[surveillance][quote_stuffing]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("QST");
  QuoteStuffingDetector detector(QuoteStuffingParams{}, &participants);
  DetectorHarness h(detector);
  Burst(h, who, 0, 45, 100, 0, 1);       // 90 messages
  Burst(h, who, 1200, 45, 100, 0, 100);  // 90 more, 1.1 s later
  CHECK(h.alerts().empty());
  Burst(h, who, 1400, 10, 50, 0, 200);  // within a second of the second burst: 110
  CHECK(h.alerts().size() == 1);
}

}  // namespace
}  // namespace tradeplane::surveillance
