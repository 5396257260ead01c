#include "tradeplane/strategy/indicator_params.h"

#include <cmath>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::strategy {

absl::Status CheckPeriod(std::string_view indicator, std::string_view what, int value,
                         int min_value) {
  if (value >= min_value && value <= kMaxIndicatorPeriod) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(indicator, ": ", what, " ", value, " is out of range [",
                                           min_value, ", ", kMaxIndicatorPeriod, "]"));
}

absl::Status CheckMultiplier(std::string_view indicator, std::string_view what, double value) {
  if (std::isfinite(value) && value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat(indicator, ": ", what, " ", value, " must be a finite number above 0"));
}

}  // namespace tradeplane::strategy
