#include "tradeplane/telemetry/metrics.h"

#include <catch2/catch.hpp>

namespace tradeplane::telemetry {
namespace {

TEST_CASE("metrics serialize in the Prometheus text format", "[telemetry][metrics]") {
  MetricsRegistry registry;
  Counter& c = registry.GetCounter("tradeplane_risk_decisions_total", "Decisions.",
                                   {{"outcome", "approved"}});
  c.Increment(3);
  // The same name and labels give the same counter.
  registry.GetCounter("tradeplane_risk_decisions_total", "Decisions.", {{"outcome", "approved"}})
      .Increment();
  registry.GetGauge("tradeplane_risk_open_orders", "Open orders.").Set(7);
  registry
      .GetHistogram("tradeplane_risk_check_duration_seconds", "Check time.",
                    LatencyBucketsSeconds())
      .Observe(2e-6);
  std::string text = registry.Serialize();
  CHECK_THAT(text, Catch::Contains("# TYPE tradeplane_risk_decisions_total counter"));
  CHECK_THAT(text, Catch::Contains(R"(tradeplane_risk_decisions_total{outcome="approved"} 4)"));
  CHECK_THAT(text, Catch::Contains("tradeplane_risk_open_orders 7"));
  CHECK_THAT(text,
             Catch::Contains(R"(tradeplane_risk_check_duration_seconds_bucket{le="2.5e-06"} 1)"));
}

TEST_CASE("the metrics server binds a free port, and a taken one is an error",
          "[telemetry][metrics]") {
  MetricsRegistry registry;
  auto server = MetricsServer::Start(registry, "127.0.0.1", 0);
  REQUIRE(server.ok());
  CHECK((*server)->port() > 0);
  auto clash = MetricsServer::Start(registry, "127.0.0.1", (*server)->port());
  CHECK(clash.status().code() == absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tradeplane::telemetry
