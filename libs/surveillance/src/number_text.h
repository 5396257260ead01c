// Numbers in explanations: fixed decimals for ratios and basis points, exact
// decimal strings for money.
#ifndef TRADEPLANE_SURVEILLANCE_NUMBER_TEXT_H_
#define TRADEPLANE_SURVEILLANCE_NUMBER_TEXT_H_

#include <cstdio>
#include <string>

#include "tradeplane/core/timestamp.h"

namespace tradeplane::surveillance {

inline std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

// "1.250 s" / "340 ms"
inline std::string DurationText(Duration d) {
  int64_t ms = d.count() / 1'000'000;
  if (ms >= 1000 || ms <= -1000) return Fixed(static_cast<double>(d.count()) / 1e9, 3) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_NUMBER_TEXT_H_
