#include "tradeplane/core/approval.h"

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

orders::v1::NewOrder Order() {
  orders::v1::NewOrder o;
  o.set_client_order_id("c-1");
  o.set_strategy_id("trend");
  o.mutable_instrument()->set_venue(common::v1::VENUE_SIM);
  o.mutable_instrument()->set_symbol("NKNUSDT");
  o.set_side(common::v1::SIDE_BUY);
  o.set_order_type(orders::v1::ORDER_TYPE_LIMIT);
  o.set_time_in_force(orders::v1::TIME_IN_FORCE_GTC);
  o.set_qty(10'000'000'000);
  o.set_price(351'300'000);
  o.mutable_approval()->set_decision_id("d-1");
  o.mutable_approval()->set_fencing_epoch(3);
  o.mutable_approval()->set_approved_ns(1'000'000'000);
  return o;
}

TEST_CASE("an approval verifies only for the order it was made for", "[core][approval]") {
  absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(std::string(64, 'a'));
  REQUIRE(key.ok());
  orders::v1::NewOrder o = Order();
  key->Sign(&o);
  Timestamp now = Timestamp::FromSeconds(2);
  CHECK(key->Verify(o, now, std::chrono::seconds(5)).ok());
  orders::v1::NewOrder bigger = o;
  bigger.set_qty(o.qty() * 10);
  CHECK_THAT(std::string(key->Verify(bigger, now, std::chrono::seconds(5)).message()),
             Catch::Contains("does not match"));
  CHECK_THAT(
      std::string(key->Verify(o, Timestamp::FromSeconds(60), std::chrono::seconds(5)).message()),
      Catch::Contains("ms old"));
  absl::StatusOr<ApprovalKey> other = ApprovalKey::FromHex(std::string(64, 'b'));
  CHECK_FALSE(other->Verify(o, now, std::chrono::seconds(5)).ok());
  orders::v1::NewOrder unsigned_order = Order();
  CHECK_THAT(std::string(key->Verify(unsigned_order, now, std::chrono::seconds(5)).message()),
             Catch::Contains("no risk approval"));
  CHECK_FALSE(ApprovalKey::FromHex("abcd").ok());
  CHECK_FALSE(ApprovalKey::FromHex(std::string(64, 'z')).ok());
}

}  // namespace
}  // namespace tradeplane
