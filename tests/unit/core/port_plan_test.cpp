#include "tradeplane/core/port_plan.h"

#include <set>

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

TEST_CASE("the port plan gives every service and instance its own ports", "[core][ports]") {
  CHECK(AdminPort(ServiceId::kRisk) == 7390);
  CHECK(MetricsPort(ServiceId::kRisk) == 7391);
  CHECK(BusPort(ServiceId::kMarketData, 0) == 7100);
  CHECK(BusPort(ServiceId::kExecution, 1, 1) == 7411);
  CHECK(AdminPort(ServiceId::kExecution, 1) == 7492);
  std::set<int> seen;
  for (int s = 1; s <= 8; ++s) {
    auto id = static_cast<ServiceId>(s);
    CHECK(ServiceByName(ServiceName(id)) == id);
    for (int i = 0; i <= kMaxInstance; ++i) {
      for (int b = 0; b < 10; ++b) REQUIRE(seen.insert(BusPort(id, b, i)).second);
      REQUIRE(seen.insert(AdminPort(id, i)).second);
      REQUIRE(seen.insert(MetricsPort(id, i)).second);
    }
  }
  CHECK_FALSE(ServiceByName("nope").has_value());
}

}  // namespace
}  // namespace tradeplane
