// Parameter checks shared by the indicators' Create functions. Ranges follow
// TA-Lib's where TA-Lib has the indicator (periods up to 100000).
#ifndef TRADEPLANE_STRATEGY_INDICATOR_PARAMS_H_
#define TRADEPLANE_STRATEGY_INDICATOR_PARAMS_H_

#include <string_view>

#include "absl/status/status.h"

namespace tradeplane::strategy {

inline constexpr int kMaxIndicatorPeriod = 100000;

// "SMA: period 0 is out of range [1, 100000]"
absl::Status CheckPeriod(std::string_view indicator, std::string_view what, int value,
                         int min_value);
// A band width or multiplier: finite and > 0.
absl::Status CheckMultiplier(std::string_view indicator, std::string_view what, double value);

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_INDICATOR_PARAMS_H_
