#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/key_policy.h"
#include "tradeplane/signing/usage_window.h"

#include "venue_request_builders.h"

namespace tradeplane::signing {
namespace {

using signer::v1::KeyPolicy;
using testing::BinanceDocOrder;

const Timestamp kNow = Timestamp::FromMillis(1499827319559);

KeyPolicy OrdersOnBinance() {
  KeyPolicy policy;
  policy.add_allowed_venues(common::v1::VENUE_BINANCE);
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_ORDER);
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_CANCEL);
  return policy;
}

SignDecision CheckDocOrder(const KeyPolicy& policy, Timestamp now = kNow) {
  signer::v1::VenueRequest request = BinanceDocOrder();
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  return CheckVenuePolicy(policy, request, *facts, now);
}

TEST_CASE("a policy that names the venue and the kind allows the order", "[signing][policy]") {
  SignDecision d = CheckDocOrder(OrdersOnBinance());
  CHECK(d.allowed());
  CHECK(d.reason.empty());
}

TEST_CASE("an empty policy signs nothing", "[signing][policy]") {
  SignDecision d = CheckDocOrder(KeyPolicy());
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(d.reason.find("venue BINANCE") != std::string::npos);
}

TEST_CASE("a withdrawal is refused unless the policy lists it", "[signing][policy]") {
  signer::v1::VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_WITHDRAWAL);
  request.set_method("POST");
  request.set_path("/sapi/v1/capital/withdraw/apply");
  testing::AddParams(&request, {{"coin", "USDT"}, {"address", "TX1"}, {"amount", "100"}});
  request.set_timestamp_ms(kNow.millis());
  request.set_recv_window_ms(5000);
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  KeyPolicy policy = OrdersOnBinance();
  for (int kind = 1; kind <= 6; ++kind) {
    if (kind != signer::v1::REQUEST_KIND_WITHDRAWAL)
      policy.add_allowed_kinds(static_cast<signer::v1::RequestKind>(kind));
  }
  SignDecision refused = CheckVenuePolicy(policy, request, *facts, kNow);
  CHECK(refused.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(refused.reason.find("WITHDRAWAL") != std::string::npos);
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_WITHDRAWAL);
  CHECK(CheckVenuePolicy(policy, request, *facts, kNow).allowed());
}

TEST_CASE("symbols and sides are limited when listed and open when not", "[signing][policy]") {
  KeyPolicy policy = OrdersOnBinance();
  policy.add_allowed_symbols("BTCUSDT");
  SignDecision d = CheckDocOrder(policy);
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(d.reason.find("LTCBTC") != std::string::npos);
  policy.add_allowed_symbols("LTCBTC");
  CHECK(CheckDocOrder(policy).allowed());
  policy.add_allowed_sides(common::v1::SIDE_SELL);
  d = CheckDocOrder(policy);
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(d.reason.find("side BUY") != std::string::npos);
  policy.add_allowed_sides(common::v1::SIDE_BUY);
  CHECK(CheckDocOrder(policy).allowed());
}

TEST_CASE("a query is not limited by the symbols the key may trade", "[signing][policy]") {
  signer::v1::VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_QUERY);
  request.set_method("GET");
  request.set_path("/api/v3/openOrders");
  testing::AddParams(&request, {{"symbol", "ETHUSDT"}});
  request.set_timestamp_ms(kNow.millis());
  request.set_recv_window_ms(5000);
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  KeyPolicy policy = OrdersOnBinance();
  policy.add_allowed_symbols("BTCUSDT");
  CHECK(CheckVenuePolicy(policy, request, *facts, kNow).refusal ==
        signer::v1::SIGN_REFUSAL_POLICY);  // QUERY is not an allowed kind yet
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_QUERY);
  CHECK(CheckVenuePolicy(policy, request, *facts, kNow).allowed());
}

TEST_CASE("the notional per request is limited", "[signing][policy]") {
  KeyPolicy policy = OrdersOnBinance();
  policy.set_max_notional_per_request(Amount::Parse("0.09").value().raw());
  SignDecision d = CheckDocOrder(policy);  // 1 * 0.1
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(d.reason.find("0.1 exceeds the per-request limit 0.09") != std::string::npos);
  policy.set_max_notional_per_request(Amount::Parse("0.1").value().raw());
  CHECK(CheckDocOrder(policy).allowed());
}

TEST_CASE("a request timestamp too far from the signer's clock is refused as expired",
          "[signing][policy]") {
  KeyPolicy policy = OrdersOnBinance();
  policy.set_max_timestamp_skew_ms(1000);
  CHECK(CheckDocOrder(policy, kNow + std::chrono::milliseconds(1000)).allowed());
  CHECK(CheckDocOrder(policy, kNow - std::chrono::milliseconds(1000)).allowed());
  SignDecision late = CheckDocOrder(policy, kNow + std::chrono::milliseconds(1001));
  CHECK(late.refusal == signer::v1::SIGN_REFUSAL_EXPIRED);
  CHECK(late.reason.find("1001 ms") != std::string::npos);
  CHECK(CheckDocOrder(policy, kNow - std::chrono::milliseconds(1001)).refusal ==
        signer::v1::SIGN_REFUSAL_EXPIRED);
}

EvmTransactionFields Transfer(uint64_t chain_id, const char* to, const char* value) {
  signer::v1::EvmTransaction tx;
  tx.set_type(signer::v1::EVM_TX_TYPE_EIP1559);
  tx.set_chain_id(chain_id);
  tx.set_max_priority_fee_per_gas_wei("1");
  tx.set_max_fee_per_gas_wei("2");
  tx.set_gas_limit(21000);
  tx.set_to(to);
  tx.set_value_wei(value);
  absl::StatusOr<EvmTransactionFields> fields = ParseEvmTransaction(tx, 0);
  REQUIRE(fields.ok());
  return *fields;
}

TEST_CASE("EVM transactions are limited by chain, destination and value", "[signing][policy]") {
  constexpr const char* kTo = "0x3535353535353535353535353535353535353535";
  KeyPolicy policy;
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_EVM_TRANSACTION);
  policy.add_allowed_chain_ids(1);
  policy.add_allowed_destinations(kTo);
  policy.set_max_evm_value_wei("1000000000000000000");
  REQUIRE(ValidateKeyPolicy(policy).ok());
  CHECK(CheckEvmPolicy(policy, Transfer(1, kTo, "1000000000000000000")).allowed());
  SignDecision d = CheckEvmPolicy(policy, Transfer(1, kTo, "1000000000000000001"));
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK(d.reason.find("1000000000000000001 wei exceeds") != std::string::npos);
  d = CheckEvmPolicy(policy, Transfer(10, kTo, "1"));
  CHECK(d.reason.find("chain id 10") != std::string::npos);
  d = CheckEvmPolicy(policy, Transfer(1, "0x3535353535353535353535353535353535353536", "1"));
  CHECK(d.reason.find("destination 0x3535353535353535353535353535353535353536") !=
        std::string::npos);
  KeyPolicy no_kind = policy;
  no_kind.clear_allowed_kinds();
  CHECK(CheckEvmPolicy(no_kind, Transfer(1, kTo, "1")).refusal == signer::v1::SIGN_REFUSAL_POLICY);
}

TEST_CASE("policies with impossible values are refused when set", "[signing][policy]") {
  KeyPolicy policy;
  policy.set_max_requests_per_window(10);
  CHECK_FALSE(ValidateKeyPolicy(policy).ok());  // no window_s
  policy.set_window_s(60);
  CHECK(ValidateKeyPolicy(policy).ok());
  KeyPolicy bad = policy;
  bad.add_allowed_destinations("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");  // not lower case
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
  bad = policy;
  bad.set_max_evm_value_wei("-1");
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
  bad = policy;
  bad.add_allowed_kinds(signer::v1::REQUEST_KIND_UNSPECIFIED);
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
  bad = policy;
  bad.add_allowed_venues(static_cast<common::v1::Venue>(99));
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
  bad = policy;
  bad.add_allowed_chain_ids(0);
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
  bad = policy;
  bad.set_max_notional_per_request(-1);
  CHECK_FALSE(ValidateKeyPolicy(bad).ok());
}

TEST_CASE("the rolling window counts requests and frees them as they age out",
          "[signing][window]") {
  KeyPolicy policy;
  policy.set_window_s(10);
  policy.set_max_requests_per_window(3);
  UsageWindow window;
  const Timestamp t0 = Timestamp::FromSeconds(1000);
  for (int i = 0; i < 3; ++i) {
    Timestamp t = t0 + std::chrono::seconds(i);
    REQUIRE(window.Check(policy, Amount::Zero(), t).allowed());
    window.Record(policy, Amount::Zero(), t);
  }
  SignDecision full = window.Check(policy, Amount::Zero(), t0 + std::chrono::seconds(9));
  CHECK(full.refusal == signer::v1::SIGN_REFUSAL_RATE);
  CHECK(full.reason.find("3 requests in the last 10 s") != std::string::npos);
  // At t0 + 10 s the first request (at t0) leaves the window.
  CHECK(window.Check(policy, Amount::Zero(), t0 + std::chrono::seconds(10)).allowed());
  CHECK(window.requests_in_window() == 2);
}

TEST_CASE("the rolling window limits the notional summed over the window", "[signing][window]") {
  KeyPolicy policy;
  policy.set_window_s(60);
  policy.set_max_notional_per_window(Amount::Parse("1000").value().raw());
  UsageWindow window;
  const Timestamp t0 = Timestamp::FromSeconds(5000);
  Amount six_hundred = Amount::Parse("600").value();
  REQUIRE(window.Check(policy, six_hundred, t0).allowed());
  window.Record(policy, six_hundred, t0);
  SignDecision d = window.Check(policy, Amount::Parse("400.000000001").value(), t0);
  CHECK(d.refusal == signer::v1::SIGN_REFUSAL_RATE);
  CHECK(d.reason.find("on top of 600") != std::string::npos);
  CHECK(window.Check(policy, Amount::Parse("400").value(), t0).allowed());
  CHECK(window.Check(policy, six_hundred, t0 + std::chrono::seconds(60)).allowed());
}

TEST_CASE("the rolling window keeps working across many wrap-arounds of its buffer",
          "[signing][window]") {
  KeyPolicy policy;
  policy.set_window_s(1);
  policy.set_max_requests_per_window(5);
  UsageWindow window;
  Timestamp t = Timestamp::FromSeconds(1);
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    t = t + std::chrono::milliseconds(100);  // 10 per second offered, 5 admitted
    if (window.Check(policy, Amount::Zero(), t).allowed()) {
      window.Record(policy, Amount::Zero(), t);
    } else {
      ++refused;
    }
    REQUIRE(window.requests_in_window() <= 5);
  }
  CHECK(refused == 500);
}

}  // namespace
}  // namespace tradeplane::signing
