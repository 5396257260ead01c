// Short constructors for the values the surveillance tests write.
#ifndef TRADEPLANE_TESTS_UNIT_SURVEILLANCE_TEST_VALUES_H_
#define TRADEPLANE_TESTS_UNIT_SURVEILLANCE_TEST_VALUES_H_

#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/market_state.h"

namespace tradeplane::surveillance::testing {

inline Price P(std::string_view text) {
  absl::StatusOr<Price> p = Price::Parse(text);
  REQUIRE(p.ok());
  return *p;
}

inline Quantity Q(std::string_view text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  REQUIRE(q.ok());
  return *q;
}

// 2021-04-12T13:30:00Z plus `ms` milliseconds.
inline Timestamp T(double ms) {
  return Timestamp::FromSeconds(1618234200) + Duration(static_cast<int64_t>(ms * 1'000'000));
}

inline constexpr Side kBuy = common::v1::SIDE_BUY;
inline constexpr Side kSell = common::v1::SIDE_SELL;

// Collects what a detector raises.
class CollectingSink final : public AlertSink {
 public:
  void Raise(Alert alert) override { alerts.push_back(std::move(alert)); }
  std::vector<Alert> alerts;
};

// Feeds one detector the way the engine does (market state first).
class DetectorHarness {
 public:
  explicit DetectorHarness(Detector& detector) : detector_(detector) {}
  void Feed(const Event& event) {
    market_.Apply(event);
    detector_.OnEvent(event, market_, sink_);
  }
  void Finish(Timestamp end) { detector_.Finish(end, market_, sink_); }
  const std::vector<Alert>& alerts() const { return sink_.alerts; }

 private:
  Detector& detector_;
  MarketState market_;
  CollectingSink sink_;
};

inline const Metric* FindMetric(const Alert& alert, std::string_view name) {
  for (const Metric& m : alert.metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace tradeplane::surveillance::testing

#endif  // TRADEPLANE_TESTS_UNIT_SURVEILLANCE_TEST_VALUES_H_
