// Real OHLCV bars for the strategy tests: the executions (LOBSTER message
// types 4 and 5) of AMZN on 2021-04-12, 09:30-10:00, bucketed by time.
// Header-only, so each test reads exactly what it asserts on.
#ifndef TRADEPLANE_TESTS_UNIT_STRATEGY_LOBSTER_BARS_H_
#define TRADEPLANE_TESTS_UNIT_STRATEGY_LOBSTER_BARS_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tradeplane/core/timestamp.h"

namespace tradeplane::strategy::testing {

inline constexpr char kAmznMessages[] =
    TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

struct TestBar {
  int64_t open_ns = 0;  // 2021-04-12 + LOBSTER's seconds after midnight, read as UTC
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
  double price_volume = 0;  // sum of price * size over the bar's executions
  int trades = 0;
};

// Columns: time (s after midnight), type, order id, size, price (USD x 10000),
// direction, participant. Intervals without executions produce no bar.
inline std::vector<TestBar> LoadLobsterBars(int interval_s) {
  std::ifstream in(kAmznMessages);
  const int64_t day_s = DaysFromCivil(2021, 4, 12) * 86400;
  std::map<int64_t, TestBar> by_bucket;
  std::string line;
  while (std::getline(in, line)) {
    const char* p = line.c_str();
    char* end = nullptr;
    const double time_s = std::strtod(p, &end);
    const long type = std::strtol(end + 1, &end, 10);
    std::strtoll(end + 1, &end, 10);  // order id
    const double size = static_cast<double>(std::strtoll(end + 1, &end, 10));
    const double price = static_cast<double>(std::strtoll(end + 1, &end, 10)) / 10000.0;
    if (type != 4 && type != 5) continue;
    const auto bucket = static_cast<int64_t>(std::floor((time_s - 34200) / interval_s));
    TestBar& bar = by_bucket[bucket];
    if (bar.trades == 0) {
      bar.open_ns = (day_s + 34200 + bucket * interval_s) * 1'000'000'000;
      bar.open = bar.high = bar.low = price;
    }
    bar.high = std::max(bar.high, price);
    bar.low = std::min(bar.low, price);
    bar.close = price;
    bar.volume += size;
    bar.price_volume += price * size;
    ++bar.trades;
  }
  std::vector<TestBar> bars;
  for (const auto& [bucket, bar] : by_bucket) bars.push_back(bar);
  return bars;
}

}  // namespace tradeplane::strategy::testing

#endif  // TRADEPLANE_TESTS_UNIT_STRATEGY_LOBSTER_BARS_H_
