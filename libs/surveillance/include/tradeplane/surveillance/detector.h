// The interface every market-abuse detector implements, and how detector
// parameters are read from configuration.
//
// A detector is pure: it sees events in time order with the market state the
// engine keeps, raises alerts into a sink, and does O(1) amortized work per
// event with no allocation once its windows and per-participant state have
// grown to their working size. Thread-compatible (one engine per thread).
#ifndef TRADEPLANE_SURVEILLANCE_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_DETECTOR_H_

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/market_state.h"
#include "tradeplane/surveillance/participant_table.h"

#include "absl/status/status.h"

namespace tradeplane::surveillance {

class Detector {
 public:
  virtual ~Detector() = default;
  virtual AlertType type() const = 0;
  // `market` already includes `event`.
  virtual void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) = 0;
  // The stream ended at `end`: raise what is complete (e.g. a close that has
  // passed). Default: nothing.
  virtual void Finish(Timestamp end, const MarketState& market, AlertSink& sink);
  // Forget everything seen (configuration stays).
  virtual void Reset() = 0;
};

// One configurable parameter: its key in DetectorConfig.params, its default
// and its inclusive range.
struct ParamSpec {
  std::string_view name;
  double default_value;
  double min_value;
  double max_value;
  std::string_view meaning;  // one line, with the unit
};

// Fills `values` (one per spec, same order) from `params`, defaults where a
// key is absent. Refuses a key no spec names (listing the known ones), a
// value outside its range, and NaN.
absl::Status ReadParams(std::string_view detector, std::span<const ParamSpec> specs,
                        const std::map<std::string, double>& params, std::span<double> values);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_DETECTOR_H_
