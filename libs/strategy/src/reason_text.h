// Number formatting for the reasons strategies give (private to the library).
#ifndef TRADEPLANE_STRATEGY_SRC_REASON_TEXT_H_
#define TRADEPLANE_STRATEGY_SRC_REASON_TEXT_H_

#include <string>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"

namespace tradeplane::strategy {

// `value` with exactly `decimals` decimals: Fixed(3355.4149, 2) == "3355.41".
std::string Fixed(double value, int decimals);
// Decimals to print this instrument's prices and price-like indicators with.
int PriceDecimals(const InstrumentSpec& spec);
// "5.200 s"
std::string Seconds(Duration duration);

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_SRC_REASON_TEXT_H_
