// Time bars (OHLCV, VWAP, trade count) from trades, for one instrument.
//
// Intervals are aligned to the Unix epoch: a trade at time t belongs to the
// interval starting at floor(t / interval) * interval. A trade's time is its
// exchange time, or its receive time when the feed gave no exchange time.
//
// Policies:
//  - Empty intervals emit no bar; the next bar opens at its own interval's
//    start (so consecutive bars may be more than one interval apart, and
//    a consumer that wants a bar per interval fills the gaps itself, e.g.
//    with the previous close and zero volume).
//  - A bar closes when a trade of a later interval arrives, or when the caller
//    advances time past its end (OnTime(now)).
//  - Late trades: a trade in the open interval is applied whatever its order
//    of arrival (open is the price of its earliest trade by time, close of its
//    latest; ties go to arrival order). A trade that belongs to an interval
//    already closed — any interval before the open one, or ending at or before
//    the time OnTime last advanced to — is refused (FailedPrecondition) and
//    counted; published bars are never revised.
//  - VWAP is exact: the sum of price x qty is kept in 128 bits at 1e-18 and
//    divided by the volume once, rounded half-even to the 1e-9 price scale,
//    then, when a tick size is given, half-even to the tick.
//
// No allocation per trade. Thread-compatible.
#ifndef TRADEPLANE_MARKETDATA_BAR_AGGREGATOR_H_
#define TRADEPLANE_MARKETDATA_BAR_AGGREGATOR_H_

#include <chrono>
#include <cstdint>
#include <optional>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

struct BarAggregatorOptions {
  InstrumentIndex instrument = 0;
  Duration interval = std::chrono::minutes(1);  // > 0: 1 s, 1 min, 1 h...
  // When positive: trade prices must be multiples of it, and the VWAP is
  // rounded to it.
  Price tick_size;
};

struct BarAggregatorCounters {
  uint64_t trades = 0;       // applied
  uint64_t late_trades = 0;  // refused: their interval was closed
  uint64_t bars = 0;         // closed
};

class BarAggregator {
 public:
  // Refuses a non-positive interval or a negative tick size.
  static absl::StatusOr<BarAggregator> Create(const BarAggregatorOptions& options);

  // Applies a trade; returns the bar it closed when it opened a later
  // interval. Errors: FailedPrecondition for a late trade, InvalidArgument for
  // a non-positive price or quantity or a price off the tick, OutOfRange when
  // the volume leaves the fixed-point range.
  absl::StatusOr<std::optional<Bar>> OnTrade(const Trade& trade);

  // Advances time: closes and returns the open bar when `now` has reached its
  // end. Intervals ending at or before `now` count as closed from then on.
  std::optional<Bar> OnTime(Timestamp now);

  // The open bar as it stands (VWAP included), if any.
  std::optional<Bar> open_bar() const;
  const BarAggregatorCounters& counters() const { return counters_; }
  const BarAggregatorOptions& options() const { return options_; }

 private:
  explicit BarAggregator(const BarAggregatorOptions& options) : options_(options) {}
  Timestamp IntervalStart(Timestamp t) const;
  Bar Snapshot() const;
  Bar Close();

  BarAggregatorOptions options_;
  bool has_open_ = false;
  Timestamp open_start_;
  // Trades before this time are late (every interval before it is closed).
  Timestamp closed_until_ = Timestamp::FromNanos(INT64_MIN);
  Price open_;
  Price high_;
  Price low_;
  Price close_;
  Timestamp first_time_;
  Timestamp last_time_;
  Quantity volume_;
  fixed_point::Int128 price_times_qty_ = 0;  // 1e-18 scale; cannot overflow (see OnTrade)
  uint64_t trade_count_ = 0;
  BarAggregatorCounters counters_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_BAR_AGGREGATOR_H_
