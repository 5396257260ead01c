#include "tradeplane/core/config_loader.h"

#include <catch2/catch.hpp>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane {
namespace {

using config::v1::MarketDataConfig;
using config::v1::RiskConfig;

std::string Errors(std::string_view yaml, google::protobuf::Message* msg) {
  absl::Status s = ParseYamlConfig(yaml, "test.yaml", "/etc/tp", msg);
  REQUIRE_FALSE(s.ok());
  return std::string(s.message());
}

TEST_CASE("a valid config maps onto the protobuf message", "[core][config]") {
  RiskConfig config;
  absl::Status s = ParseYamlConfig(R"(
common:
  identity: {instance: 1}
  telemetry: {log_level: debug, metrics_port: 7391}
intents: {endpoint: "tcp://*:7300", recv_hwm: 1000}
execution: {socket: {endpoint: "tcp://localhost:7400"}, timeout_ms: 250, retries: 3}
approval_key_file: keys/approval.key
limits:
  valuation_currency: USDT
  max_gross_exposure: "1000000.50"
  conversion_rates: {USDT: 1, EUR: "1.08"}
  instruments:
    - instrument: {venue: BINANCE, symbol: NKNUSDT}
      enabled: true
      tick_size: 0.0001
      lot_size: "1"
      collar_bps: 500
      reference_price: REFERENCE_PRICE_MID
      max_concentration: 0.25
)",
                                   "risk.yaml", "/etc/tp", &config);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(config.common().identity().instance() == 1);
  CHECK(config.common().telemetry().metrics_port() == 7391);
  CHECK(config.execution().retries() == 3);
  CHECK(config.approval_key_file() == "/etc/tp/keys/approval.key");      // path option
  CHECK(config.limits().max_gross_exposure() == 1'000'000'500'000'000);  // fixed point
  CHECK(config.limits().conversion_rates().at("EUR") == 1'080'000'000);
  REQUIRE(config.limits().instruments_size() == 1);
  const auto& inst = config.limits().instruments(0);
  CHECK(inst.instrument().venue() == common::v1::VENUE_BINANCE);  // short enum name
  CHECK(inst.tick_size() == 100'000);
  CHECK(inst.reference_price() == risk::v1::REFERENCE_PRICE_MID);  // full enum name
  CHECK(inst.max_concentration() == 0.25);
}

TEST_CASE("unknown keys are refused with their path and line", "[core][config]") {
  RiskConfig config;
  std::string e = Errors("limits:\n  instruments:\n    - {collar_bsp: 5}\n", &config);
  CHECK_THAT(e, Catch::Contains("test.yaml:3:8: limits.instruments[0].collar_bsp: unknown key"));
  CHECK_THAT(e, Catch::Contains("collar_bps"));  // names what is allowed
}

TEST_CASE("type errors name the key and what was expected", "[core][config]") {
  RiskConfig config;
  std::string e = Errors(R"(
execution: {timeout_ms: 1.5, retries: -1}
four_eyes: yes
limits: {max_gross_exposure: 1e6, instruments: {a: 1}}
)",
                         &config);
  CHECK_THAT(e,
             Catch::Contains("execution.timeout_ms: '1.5' is not a non-negative 32-bit integer"));
  CHECK_THAT(e, Catch::Contains("execution.retries: '-1' is not a non-negative integer"));
  CHECK_THAT(e, Catch::Contains("four_eyes: 'yes' is not true or false"));
  CHECK_THAT(e, Catch::Contains("limits.max_gross_exposure: not a decimal number: '1e6'"));
  CHECK_THAT(e, Catch::Contains("limits.instruments: expected a list"));
}

TEST_CASE("out-of-range values are refused with the range", "[core][config]") {
  RiskConfig config;
  std::string e = Errors(
      "limits: {instruments: [{collar_bps: 20000, max_concentration: 1.5}]}\n"
      "common: {identity: {instance: 9}}\n",
      &config);
  CHECK_THAT(e,
             Catch::Contains("limits.instruments[0].collar_bps: 20000 is out of range [1, 10000]"));
  CHECK_THAT(e, Catch::Contains("max_concentration: 1.5 is out of range [0, 1]"));
  CHECK_THAT(e, Catch::Contains("common.identity.instance: 9 is out of range [0, 4]"));
}

TEST_CASE("enums refuse UNSPECIFIED and unknown names, listing the choices", "[core][config]") {
  RiskConfig config;
  std::string e =
      Errors("limits: {instruments: [{reference_price: UNSPECIFIED}, {reference_price: median}]}",
             &config);
  CHECK_THAT(e, Catch::Contains("[0].reference_price: 'UNSPECIFIED' is not one of MID, LAST"));
  CHECK_THAT(e, Catch::Contains("[1].reference_price: 'median' is not one of MID, LAST"));
}

TEST_CASE("required fields, duplicates and oneofs", "[core][config]") {
  MarketDataConfig md;
  std::string e = Errors(R"(
publisher: {send_hwm: 10}
feeds:
  - replay: {format: LOBSTER}
  - {replay: {file: a.csv}, synthetic: {seed: 1}}
book_depth: 10
book_depth: 20
)",
                         &md);
  CHECK_THAT(e, Catch::Contains("feeds[1].synthetic: only one of 'source' may be set"));
  CHECK_THAT(e, Catch::Contains("book_depth: duplicate key"));
  MarketDataConfig md2;
  std::string e2 =
      Errors("publisher: {send_hwm: 10}\nfeeds: [{replay: {format: LOBSTER}}]\n", &md2);
  CHECK_THAT(e2, Catch::Contains("publisher.endpoint: required"));
  CHECK_THAT(e2, Catch::Contains("feeds[0].replay.file: required"));
}

TEST_CASE("YAML syntax errors give the line", "[core][config]") {
  RiskConfig config;
  CHECK_THAT(Errors("limits: {a: [1, 2}\n", &config), Catch::Contains("test.yaml:1:"));
  CHECK_THAT(Errors("- just\n- a list\n", &config), Catch::Contains("expected a mapping"));
}

TEST_CASE("timestamps accept RFC 3339 text or nanoseconds", "[core][config]") {
  MarketDataConfig md;
  REQUIRE(ParseYamlConfig(R"(feeds: [{replay: {file: x, start_time_ns: "2021-04-12T13:30:00Z",
                                                 end_time_ns: 1618236000000000000}}])",
                          "t", "", &md)
              .ok());
  CHECK(md.feeds(0).replay().start_time_ns() == 1618234200000000000);
  CHECK(md.feeds(0).replay().end_time_ns() == 1618236000000000000);
}

TEST_CASE("config files are read from disk; a missing one says so", "[core][config]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.yaml"), "approval_key_file: k.key\n");
  RiskConfig config;
  REQUIRE(LoadYamlConfigFile(dir.File("c.yaml"), &config).ok());
  CHECK(config.approval_key_file() == dir.File("k.key"));
  absl::Status missing = LoadYamlConfigFile(dir.File("nope.yaml"), &config);
  CHECK(missing.code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(missing.message()), Catch::Contains("nope.yaml"));
}

TEST_CASE("ValidateConfig checks messages built in code", "[core][config]") {
  RiskConfig config;
  config.mutable_common()->mutable_identity()->set_instance(7);
  absl::Status s = ValidateConfig(config);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()),
             Catch::Contains("common.identity.instance: 7 is out of range"));
}

}  // namespace
}  // namespace tradeplane
