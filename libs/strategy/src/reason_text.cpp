#include "reason_text.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace tradeplane::strategy {

std::string Fixed(double value, int decimals) { return absl::StrFormat("%.*f", decimals, value); }

int PriceDecimals(const InstrumentSpec& spec) { return std::clamp(spec.price_precision, 2, 9); }

std::string Seconds(Duration duration) {
  return absl::StrFormat("%.3f s", static_cast<double>(duration.count()) / 1e9);
}

}  // namespace tradeplane::strategy
