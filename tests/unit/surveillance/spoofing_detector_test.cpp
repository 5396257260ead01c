#include "tradeplane/surveillance/spoofing_detector.h"

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
  Fixture() : spoofer(participants.Intern("SPF")) {}
  // Bid 100.00, ask 100.10, 1000 displayed on each side.
  Event Book(double ms, std::string_view bid_depth = "1000", std::string_view ask_depth = "1000") {
    return BookUpdate(
        T(ms), 0,
        BookTop{P("100.00"), Q("200"), P("100.10"), Q("200"), Q(bid_depth), Q(ask_depth)});
  }
  Event Submit(double ms, uint64_t id, Side side, std::string_view price, std::string_view qty) {
    return OrderSubmitted(T(ms), 0, spoofer, id, side, P(price), Q(qty), Aggression::kPassive);
  }
  Event Cancel(double ms, uint64_t id, Side side, std::string_view price, std::string_view qty) {
    return OrderCancelled(T(ms), 0, spoofer, id, side, P(price), Q(qty), Quantity());
  }
  Event Fill(double ms, uint64_t id, Side side, std::string_view price, std::string_view qty) {
    return OrderExecuted(T(ms), 0, spoofer, id, 1000 + id, side, P(price), Q(qty),
                         Aggression::kPassive);
  }
  ParticipantTable participants;
  ParticipantId spoofer;
};

TEST_CASE("a large bid cancelled right after the participant's offer trades is spoofing",
          "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  h.Feed(f.Submit(10, 1, kSell, "100.10", "50"));
  h.Feed(f.Submit(20, 2, kBuy, "99.98", "800"));
  h.Feed(f.Fill(900, 1, kSell, "100.10", "50"));
  CHECK(h.alerts().empty());  // the bid still rests
  h.Feed(f.Cancel(950, 2, kBuy, "99.98", "800"));
  REQUIRE(h.alerts().size() == 1);
  const Alert& alert = h.alerts()[0];
  CHECK(alert.type == v1::ALERT_TYPE_SPOOFING_LAYERING);
  CHECK(alert.subject == f.spoofer);
  CHECK(alert.window_start == T(20));
  CHECK(alert.window_end == T(950));
  CHECK(FindMetric(alert, "size_to_depth")->value == Approx(0.8));
  CHECK(FindMetric(alert, "furthest_from_touch_bps")->value == Approx(2.0));
  CHECK(FindMetric(alert, "longest_order_lifetime_ms")->value == Approx(930));
  CHECK(FindMetric(alert, "opposite_fill_qty")->value == Approx(50));
  CHECK(FindMetric(alert, "cancel_to_submit_ratio")->value == Approx(0.5));
  CHECK(alert.order_ids == std::vector<uint64_t>{2, 1});
  CHECK(alert.fill_ids == std::vector<uint64_t>{1001});
  CHECK(alert.explanation.find("0.80x the displayed depth of 1000") != std::string::npos);
}

TEST_CASE("layered orders at several levels add up, and a fill just after the cancel counts",
          "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  h.Feed(f.Submit(10, 1, kBuy, "100.00", "30"));
  // Each 200 of 1000 (0.2) is small alone; together 0.6.
  h.Feed(f.Submit(20, 2, kSell, "100.11", "200"));
  h.Feed(f.Submit(21, 3, kSell, "100.12", "200"));
  h.Feed(f.Submit(22, 4, kSell, "100.13", "200"));
  h.Feed(f.Cancel(700, 2, kSell, "100.11", "200"));
  h.Feed(f.Cancel(701, 3, kSell, "100.12", "200"));
  h.Feed(f.Cancel(702, 4, kSell, "100.13", "200"));
  CHECK(h.alerts().empty());  // no trade on the other side yet
  h.Feed(f.Fill(1500, 1, kBuy, "100.00", "30"));
  REQUIRE(h.alerts().size() == 1);
  CHECK(FindMetric(h.alerts()[0], "size_to_depth")->value == Approx(0.6));
  CHECK(FindMetric(h.alerts()[0], "price_levels")->value == 3);
  CHECK(h.alerts()[0].explanation.find("3 sell orders of 600 in total at 3 price levels") !=
        std::string::npos);
}

TEST_CASE("orders replaced one after another do not add up (a market maker re-quoting)",
          "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  h.Feed(f.Submit(1, 1, kSell, "100.10", "100"));
  uint64_t id = 10;
  for (int i = 0; i < 8; ++i) {
    double t = 10 + i * 250;
    h.Feed(f.Submit(t, id, kBuy, "100.00", "200"));  // 0.2 of the depth each
    h.Feed(f.Cancel(t + 250, id, kBuy, "100.00", "200"));
    ++id;
  }
  h.Feed(f.Fill(1000, 1, kSell, "100.10", "100"));
  CHECK(h.alerts().empty());
}

TEST_CASE("layers are measured against the depth before the first of them",
          "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  h.Feed(f.Submit(10, 1, kSell, "100.10", "50"));
  h.Feed(f.Submit(20, 2, kBuy, "99.99", "300"));
  h.Feed(f.Book(21, "1300"));  // the book now shows the first layer
  h.Feed(f.Submit(30, 3, kBuy, "99.98", "300"));
  h.Feed(f.Book(31, "1600"));
  h.Feed(f.Fill(500, 1, kSell, "100.10", "50"));
  h.Feed(f.Cancel(510, 2, kBuy, "99.99", "300"));
  CHECK(h.alerts().empty());  // 300 alone is 0.3 of the depth
  h.Feed(f.Cancel(511, 3, kBuy, "99.98", "300"));
  REQUIRE(h.alerts().size() == 1);
  // 600 resting at once over the 1000 shown before the first layer, not 1300.
  CHECK(FindMetric(h.alerts()[0], "size_to_depth")->value == Approx(0.6));
  CHECK(h.alerts()[0].order_ids == std::vector<uint64_t>{2, 3, 1});
}

TEST_CASE("orders are remembered only as long as they could be quick cancels",
          "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  h.Feed(f.Submit(10, 1, kBuy, "99.98", "900"));
  // The same id again after the first one expired: a fresh candidate.
  h.Feed(f.Submit(20'000, 2, kSell, "100.10", "50"));
  h.Feed(f.Submit(20'010, 1, kBuy, "99.98", "900"));
  h.Feed(f.Fill(20'500, 2, kSell, "100.10", "50"));
  h.Feed(f.Cancel(20'600, 1, kBuy, "99.98", "900"));
  REQUIRE(h.alerts().size() == 1);
  CHECK(FindMetric(h.alerts()[0], "longest_order_lifetime_ms")->value == Approx(590));
}

TEST_CASE(
    "a large order cancelled after a long time, or small, or without a trade on the other "
    "side is not spoofing",
    "[surveillance][spoofing]") {
  Fixture f;
  SpoofingDetector detector(SpoofingParams{}, &f.participants);
  DetectorHarness h(detector);
  h.Feed(f.Book(0));
  // Long-lived: 30 s.
  h.Feed(f.Submit(10, 1, kSell, "100.10", "50"));
  h.Feed(f.Submit(20, 2, kBuy, "99.98", "900"));
  h.Feed(f.Fill(15'000, 1, kSell, "100.10", "50"));
  h.Feed(f.Cancel(30'020, 2, kBuy, "99.98", "900"));
  // Small: 10 % of the depth.
  h.Feed(f.Submit(40'000, 3, kSell, "100.10", "50"));
  h.Feed(f.Submit(40'010, 4, kBuy, "99.98", "100"));
  h.Feed(f.Fill(40'500, 3, kSell, "100.10", "50"));
  h.Feed(f.Cancel(40'600, 4, kBuy, "99.98", "100"));
  // Large and quick, but nothing traded on the other side.
  h.Feed(f.Submit(60'000, 5, kBuy, "99.98", "900"));
  h.Feed(f.Cancel(60'300, 5, kBuy, "99.98", "900"));
  // Far from the touch (100 bps).
  h.Feed(f.Submit(80'000, 6, kSell, "100.10", "50"));
  h.Feed(f.Submit(80'010, 7, kBuy, "99.00", "900"));
  h.Feed(f.Fill(80'500, 6, kSell, "100.10", "50"));
  h.Feed(f.Cancel(80'600, 7, kBuy, "99.00", "900"));
  CHECK(h.alerts().empty());
}

}  // namespace
}  // namespace tradeplane::surveillance
