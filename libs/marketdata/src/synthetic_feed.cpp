#include "tradeplane/marketdata/synthetic_feed.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {
namespace {

absl::Status Invalid(size_t slot, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("synthetic instrument ", slot, ": ", why));
}

// Ticks and lots are small counts; prices stay far inside the int64 range for
// any realistic walk, and a walk that would leave it is held at the edge.
int64_t Times(int64_t count, int64_t unit_raw) {
  fixed_point::Int128 raw = static_cast<fixed_point::Int128>(count) * unit_raw;
  if (raw > fixed_point::kMaxRaw) return fixed_point::kMaxRaw;
  return static_cast<int64_t>(raw);
}

}  // namespace

absl::StatusOr<SyntheticFeed> SyntheticFeed::Create(SyntheticFeedOptions options,
                                                    RandomSource& random) {
  if (options.instruments.empty()) {
    return absl::InvalidArgumentError("synthetic feed needs at least one instrument");
  }
  if (!(options.events_per_second > 0) || !std::isfinite(options.events_per_second)) {
    return absl::InvalidArgumentError("synthetic feed: events_per_second must be positive");
  }
  if (!(options.trade_fraction >= 0 && options.trade_fraction <= 1)) {
    return absl::InvalidArgumentError("synthetic feed: trade_fraction must be within [0, 1]");
  }
  for (size_t i = 0; i < options.instruments.size(); ++i) {
    const SyntheticInstrument& s = options.instruments[i];
    if (!s.tick_size.is_positive()) return Invalid(i, "tick_size must be positive");
    if (!s.lot_size.is_positive()) return Invalid(i, "lot_size must be positive");
    if (!s.start_bid.is_positive() || !s.start_bid.IsMultipleOf(s.tick_size)) {
      return Invalid(
          i, StrCat("start_bid ", s.start_bid.ToString(),
                    " must be positive and a multiple of the tick ", s.tick_size.ToString()));
    }
    if (s.max_spread_ticks < 1) return Invalid(i, "max_spread_ticks must be at least 1");
    if (s.max_step_ticks < 0) return Invalid(i, "max_step_ticks must not be negative");
    if (s.max_lots < 1) return Invalid(i, "max_lots must be at least 1");
  }
  return SyntheticFeed(std::move(options), random);
}

SyntheticFeed::SyntheticFeed(SyntheticFeedOptions options, RandomSource& random)
    : options_(std::move(options)), random_(&random), now_(options_.start_time) {
  states_.reserve(options_.instruments.size());
  for (const SyntheticInstrument& spec : options_.instruments) {
    State state;
    state.spec = spec;
    state.bid_ticks = spec.start_bid.raw() / spec.tick_size.raw();
    state.quote.instrument = spec.instrument;
    states_.push_back(state);
  }
}

double SyntheticFeed::Uniform01() {
  // The top 53 bits as a double in [0, 1).
  return static_cast<double>(random_->Next() >> 11) * 0x1.0p-53;
}

int64_t SyntheticFeed::UniformInt(int64_t low, int64_t high) {
  uint64_t span = static_cast<uint64_t>(high - low) + 1;
  return low + static_cast<int64_t>(random_->Next() % span);  // bias < span / 2^64
}

void SyntheticFeed::MoveQuote(State& state) {
  const SyntheticInstrument& spec = state.spec;
  int64_t step = UniformInt(-spec.max_step_ticks, spec.max_step_ticks);
  int64_t max_ticks = fixed_point::kMaxRaw / spec.tick_size.raw() - spec.max_spread_ticks;
  state.bid_ticks = std::clamp<int64_t>(state.bid_ticks + step, 1, max_ticks);
  int64_t spread = UniformInt(1, spec.max_spread_ticks);
  Quote& q = state.quote;
  q.bid_price = Price::FromRaw(Times(state.bid_ticks, spec.tick_size.raw()));
  q.ask_price = Price::FromRaw(Times(state.bid_ticks + spread, spec.tick_size.raw()));
  q.bid_qty = Quantity::FromRaw(Times(UniformInt(1, spec.max_lots), spec.lot_size.raw()));
  q.ask_qty = Quantity::FromRaw(Times(UniformInt(1, spec.max_lots), spec.lot_size.raw()));
}

SyntheticEvent SyntheticFeed::Next() {
  // Exponential gap: -ln(1 - U) / rate seconds.
  double gap_seconds = -std::log1p(-Uniform01()) / options_.events_per_second;
  int64_t gap_ns = static_cast<int64_t>(std::ceil(gap_seconds * 1e9));
  now_ = now_ + Duration(std::max<int64_t>(gap_ns, 1));

  State& state =
      states_[static_cast<size_t>(UniformInt(0, static_cast<int64_t>(states_.size()) - 1))];
  bool first = state.quote.bid_price.is_zero();
  SyntheticEvent event;
  if (first || Uniform01() >= options_.trade_fraction) {
    // An instrument's first event is a quote, so every trade has a quote to hit.
    MoveQuote(state);
    state.quote.exchange_time = now_;
    state.quote.receive_time = now_;
    event.kind = SyntheticEvent::Kind::kQuote;
    event.quote = state.quote;
    return event;
  }
  const SyntheticInstrument& spec = state.spec;
  bool buyer_aggressor = (random_->Next() & 1) != 0;
  Trade& trade = event.trade;
  trade.instrument = spec.instrument;
  trade.aggressor = buyer_aggressor ? common::v1::SIDE_BUY : common::v1::SIDE_SELL;
  trade.price = buyer_aggressor ? state.quote.ask_price : state.quote.bid_price;
  trade.qty = Quantity::FromRaw(Times(UniformInt(1, spec.max_lots), spec.lot_size.raw()));
  trade.trade_id = next_trade_id_++;
  trade.exchange_time = now_;
  trade.receive_time = now_;
  event.kind = SyntheticEvent::Kind::kTrade;
  return event;
}

}  // namespace tradeplane::marketdata
