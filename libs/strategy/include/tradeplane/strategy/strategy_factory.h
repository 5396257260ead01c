// Builds a strategy from its configuration (config.v1.StrategyConfig): the
// kind, the instruments (looked up in the table), the sizing policy and the
// parameters, each validated with a message naming what is wrong.
#ifndef TRADEPLANE_STRATEGY_STRATEGY_FACTORY_H_
#define TRADEPLANE_STRATEGY_STRATEGY_FACTORY_H_

#include <map>
#include <memory>
#include <string>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/strategy/strategy.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const config::v1::StrategyConfig& config,
                                                       const InstrumentTable& instruments);

// StrategyConfig.params as the std::map the strategies' FromMap take.
std::map<std::string, double> ParamsOf(const config::v1::StrategyConfig& config);

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STRATEGY_FACTORY_H_
