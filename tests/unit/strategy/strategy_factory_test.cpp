#include "tradeplane/strategy/strategy_factory.h"

#include <catch2/catch.hpp>

#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;

config::v1::StrategyConfig TrendConfig() {
  config::v1::StrategyConfig config;
  config.set_id("trend-amzn");
  config.set_kind(config::v1::STRATEGY_KIND_TREND);
  common::v1::InstrumentId* id = config.add_instruments();
  id->set_venue(common::v1::VENUE_NASDAQ);
  id->set_symbol("AMZN");
  config.mutable_sizing()->set_kind(config::v1::SIZING_KIND_FIXED_QTY);
  config.mutable_sizing()->set_qty(10'000'000'000);
  (*config.mutable_params())["fast"] = 5;
  (*config.mutable_params())["slow"] = 20;
  return config;
}

std::string ErrorOf(const config::v1::StrategyConfig& config, const InstrumentTable& table) {
  absl::StatusOr<std::unique_ptr<Strategy>> made = MakeStrategy(config, table);
  return made.ok() ? "" : std::string(made.status().message());
}

TEST_CASE("strategies are built from their configuration", "[strategy][factory]") {
  Harness h;
  config::v1::StrategyConfig config = TrendConfig();
  absl::StatusOr<std::unique_ptr<Strategy>> trend = MakeStrategy(config, h.table);
  REQUIRE(trend.ok());
  CHECK((*trend)->kind() == "trend");
  CHECK((*trend)->id() == "trend-amzn");
  CHECK((*trend)->instruments() == std::vector<InstrumentIndex>{h.amzn});
  config.set_kind(config::v1::STRATEGY_KIND_MEAN_REVERSION);
  config.mutable_params()->clear();
  (*config.mutable_params())["window"] = 30;
  CHECK((*MakeStrategy(config, h.table))->kind() == "mean_reversion");
  config.set_kind(config::v1::STRATEGY_KIND_QUOTING);
  config.mutable_params()->clear();
  (*config.mutable_params())["max_inventory"] = 50;
  CHECK((*MakeStrategy(config, h.table))->kind() == "quoting");
  CHECK(ParamsOf(config) == std::map<std::string, double>{{"max_inventory", 50}});
}

TEST_CASE("a bad strategy configuration is refused naming the strategy and the field",
          "[strategy][factory]") {
  Harness h;
  config::v1::StrategyConfig config = TrendConfig();
  (*config.mutable_params())["slow_period"] = 20;
  CHECK_THAT(ErrorOf(config, h.table),
             Catch::StartsWith("strategy 'trend-amzn': trend strategy: unknown parameter "
                               "'slow_period'"));
  config = TrendConfig();
  (*config.mutable_params())["stop_atr"] = -1;
  CHECK_THAT(ErrorOf(config, h.table), Catch::Contains("parameter 'stop_atr' = -1"));
  config = TrendConfig();
  config.mutable_instruments(0)->set_symbol("MSFT");
  CHECK(ErrorOf(config, h.table) ==
        "strategy 'trend-amzn': instrument NASDAQ.MSFT is not in the instrument table");
  config = TrendConfig();
  *config.add_instruments() = config.instruments(0);
  CHECK_THAT(ErrorOf(config, h.table), Catch::Contains("is listed twice"));
  config = TrendConfig();
  config.clear_instruments();
  CHECK(ErrorOf(config, h.table) == "strategy 'trend-amzn': no instruments");
  config = TrendConfig();
  config.set_kind(config::v1::STRATEGY_KIND_UNSPECIFIED);
  CHECK_THAT(ErrorOf(config, h.table), Catch::Contains("kind 0 is not one of TREND"));
  config = TrendConfig();
  config.mutable_sizing()->set_qty(0);
  CHECK_THAT(ErrorOf(config, h.table),
             Catch::Contains("strategy 'trend-amzn': sizing: fixed quantity 0 must be above 0"));
  config = TrendConfig();
  config.clear_id();
  CHECK(ErrorOf(config, h.table) == "strategy: id is empty");
}

TEST_CASE("a strategy ignores instruments it was not configured for", "[strategy][factory]") {
  Harness h;
  config::v1::StrategyConfig config = TrendConfig();
  config.set_kind(config::v1::STRATEGY_KIND_QUOTING);
  config.mutable_params()->clear();
  std::unique_ptr<Strategy> quoting = *MakeStrategy(config, h.table);
  quoting->OnQuote(testing::QuoteOf(h.aapl, "585.33", "585.94", h.clock.Now()), *h.ctx);
  CHECK(h.ctx->intents().empty());
  CHECK(h.ctx->no_actions().empty());
  quoting->OnQuote(testing::QuoteOf(h.amzn, "3355.00", "3355.20", h.clock.Now()), *h.ctx);
  CHECK_FALSE(h.ctx->intents().empty());
}

}  // namespace
}  // namespace tradeplane::strategy
