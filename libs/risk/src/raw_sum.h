// Overflow-checked sums of raw fixed-point values that build no message.
//
// The core's CheckedAdd/CheckedSub format their error text before knowing
// whether there is an error, which allocates on every call; the hot paths of
// this library (recording an order, revaluing on a quote) use these instead
// and say what overflowed only when it does.
#ifndef TRADEPLANE_RISK_SRC_RAW_SUM_H_
#define TRADEPLANE_RISK_SRC_RAW_SUM_H_

#include <cstdint>
#include <optional>

#include "tradeplane/core/fixed_point.h"

namespace tradeplane::risk {

// `value` when it is within the fixed-point range, else nullopt.
inline std::optional<int64_t> FitRaw(fixed_point::Int128 value) {
  if (value > fixed_point::kMaxRaw || value < fixed_point::kMinRaw) return std::nullopt;
  return static_cast<int64_t>(value);
}

inline std::optional<int64_t> SumRaw(int64_t a, int64_t b) {
  return FitRaw(static_cast<fixed_point::Int128>(a) + b);
}

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_SRC_RAW_SUM_H_
