#include "tradeplane/marketdata/bar_aggregator.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {

absl::StatusOr<BarAggregator> BarAggregator::Create(const BarAggregatorOptions& options) {
  if (options.interval <= Duration(0)) {
    return absl::InvalidArgumentError(
        StrCat("bar interval must be positive, got ", options.interval.count(), " ns"));
  }
  if (options.tick_size.is_negative()) {
    return absl::InvalidArgumentError(
        StrCat("tick size must not be negative, got ", options.tick_size.ToString()));
  }
  return BarAggregator(options);
}

Timestamp BarAggregator::IntervalStart(Timestamp t) const {
  int64_t ns = t.nanos();
  int64_t width = options_.interval.count();
  int64_t floor = ns / width - ((ns % width != 0) && (ns < 0));
  return Timestamp::FromNanos(floor * width);
}

Bar BarAggregator::Snapshot() const {
  Bar bar;
  bar.instrument = options_.instrument;
  bar.interval = options_.interval;
  bar.open_time = open_start_;
  bar.open = open_;
  bar.high = high_;
  bar.low = low_;
  bar.close = close_;
  bar.volume = volume_;
  bar.trade_count = trade_count_;
  // The VWAP lies within [low, high], so the division fits; rounding to the
  // tick can only fail next to the top of the range, where the unrounded
  // value is kept.
  int64_t vwap = *fixed_point::DivideRounded(price_times_qty_, volume_.raw(), Rounding::kHalfEven);
  if (options_.tick_size.is_positive()) {
    absl::StatusOr<int64_t> on_tick =
        fixed_point::RoundToMultiple(vwap, options_.tick_size.raw(), Rounding::kHalfEven);
    if (on_tick.ok()) vwap = *on_tick;
  }
  bar.vwap = Price::FromRaw(vwap);
  return bar;
}

Bar BarAggregator::Close() {
  Bar bar = Snapshot();
  has_open_ = false;
  ++counters_.bars;
  return bar;
}

std::optional<Bar> BarAggregator::open_bar() const {
  if (!has_open_) return std::nullopt;
  return Snapshot();
}

absl::StatusOr<std::optional<Bar>> BarAggregator::OnTrade(const Trade& trade) {
  if (!trade.price.is_positive() || !trade.qty.is_positive()) {
    return absl::InvalidArgumentError(StrCat("trade ", trade.trade_id, ": price ",
                                             trade.price.ToString(), " and quantity ",
                                             trade.qty.ToString(), " must be positive"));
  }
  if (options_.tick_size.is_positive() && !trade.price.IsMultipleOf(options_.tick_size)) {
    return absl::InvalidArgumentError(
        StrCat("trade ", trade.trade_id, ": price ", trade.price.ToString(),
               " is not a multiple of the tick ", options_.tick_size.ToString()));
  }
  Timestamp t = trade.exchange_time.is_zero() ? trade.receive_time : trade.exchange_time;
  Timestamp start = IntervalStart(t);
  Timestamp late_before = has_open_ ? std::max(open_start_, closed_until_) : closed_until_;
  if (t < late_before) {
    ++counters_.late_trades;
    return absl::FailedPreconditionError(
        StrCat("trade ", trade.trade_id, " at ", FormatRfc3339(t), " belongs to the interval from ",
               FormatRfc3339(start), ", which is closed (bars before ", FormatRfc3339(late_before),
               " are final): refused"));
  }
  std::optional<Bar> closed;
  if (has_open_ && start > open_start_) {
    // This trade opens the next bar, which cannot fail: closing is safe.
    closed = Close();
    closed_until_ = start;
  }
  if (!has_open_) {
    has_open_ = true;
    open_start_ = start;
    open_ = high_ = low_ = close_ = trade.price;
    first_time_ = last_time_ = t;
    volume_ = trade.qty;
    price_times_qty_ = static_cast<fixed_point::Int128>(trade.price.raw()) * trade.qty.raw();
    trade_count_ = 1;
    ++counters_.trades;
    return closed;
  }
  // Checked here rather than with Quantity::Add, whose error text is built
  // even on success (an allocation per trade).
  fixed_point::Int128 volume = static_cast<fixed_point::Int128>(volume_.raw()) + trade.qty.raw();
  if (volume > fixed_point::kMaxRaw) {
    return absl::OutOfRangeError(StrCat("trade ", trade.trade_id, ": bar volume ",
                                        volume_.ToString(), " + ", trade.qty.ToString(),
                                        " exceeds the fixed-point range"));
  }
  // Each price and the volume fit in int64, so the sum stays below
  // INT64_MAX^2 < 2^126: no 128-bit overflow.
  volume_ = Quantity::FromRaw(static_cast<int64_t>(volume));
  price_times_qty_ += static_cast<fixed_point::Int128>(trade.price.raw()) * trade.qty.raw();
  high_ = std::max(high_, trade.price);
  low_ = std::min(low_, trade.price);
  if (t < first_time_) {
    first_time_ = t;
    open_ = trade.price;
  }
  if (t >= last_time_) {
    last_time_ = t;
    close_ = trade.price;
  }
  ++trade_count_;
  ++counters_.trades;
  return closed;
}

std::optional<Bar> BarAggregator::OnTime(Timestamp now) {
  std::optional<Bar> closed;
  if (has_open_ && now >= open_start_ + options_.interval) closed = Close();
  // closed_until_ always lies on an interval boundary, so until `now`
  // reaches the next one IntervalStart(now) cannot move it: the division is
  // skipped on almost every call (this runs for every market event).
  if (now >= closed_until_ + options_.interval) closed_until_ = IntervalStart(now);
  if (closed) closed_until_ = std::max(closed_until_, closed->open_time + options_.interval);
  return closed;
}

}  // namespace tradeplane::marketdata
