#include "tradeplane/strategy/trend_strategy.h"

#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/strategy_params.h"

#include "reason_text.h"
#include "top_of_book.h"

namespace tradeplane::strategy {

absl::StatusOr<TrendParams> TrendParams::FromMap(const std::map<std::string, double>& params) {
  ParamReader reader("trend", params);
  TrendParams p;
  p.fast = reader.Integer("fast", p.fast, 1, 10000);
  p.slow = reader.Integer("slow", p.slow, 2, 10000);
  p.atr_period = reader.Integer("atr_period", p.atr_period, 1, 10000);
  p.stop_atr = reader.Positive("stop_atr", p.stop_atr, 100);
  p.take_profit_atr = reader.Positive("take_profit_atr", p.take_profit_atr, 100);
  p.bar_seconds = reader.Integer("bar_seconds", p.bar_seconds, 1, 86400);
  p.allow_short = reader.Flag("allow_short", p.allow_short);
  p.win_probability = reader.Number("win_probability", p.win_probability, 0, 1);
  p.stale_ms = reader.Integer("stale_ms", p.stale_ms, 1, 3'600'000);
  p.max_missing_bars = reader.Integer("max_missing_bars", p.max_missing_bars, 0, 1000);
  if (p.fast >= p.slow) {
    reader.Fail(StrCat("parameter 'fast' (", p.fast, ") must be below 'slow' (", p.slow, ")"));
  }
  if (absl::Status s = reader.Finish(); !s.ok()) return s;
  return p;
}

absl::StatusOr<std::unique_ptr<TrendStrategy>> TrendStrategy::Create(
    std::string id, std::vector<InstrumentIndex> instruments, const TrendParams& params,
    SizingPolicy sizing) {
  std::vector<State> states;
  for (size_t i = 0; i < instruments.size(); ++i) {
    absl::StatusOr<Ema> fast = Ema::Create(params.fast);
    absl::StatusOr<Ema> slow = Ema::Create(params.slow);
    absl::StatusOr<Atr> atr = Atr::Create(params.atr_period);
    if (!fast.ok()) return fast.status();
    if (!slow.ok()) return slow.status();
    if (!atr.ok()) return atr.status();
    states.push_back(State{*std::move(fast), *std::move(slow), *std::move(atr)});
  }
  return std::unique_ptr<TrendStrategy>(new TrendStrategy(
      std::move(id), std::move(instruments), params, std::move(sizing), std::move(states)));
}

TrendStrategy::TrendStrategy(std::string id, std::vector<InstrumentIndex> instruments,
                             const TrendParams& params, SizingPolicy sizing,
                             std::vector<State> states)
    : Strategy(std::move(id), std::move(instruments)),
      params_(params),
      sizing_(std::move(sizing)),
      states_(std::move(states)) {}

void TrendStrategy::HandleBar(const marketdata::Bar& bar, StrategyContext& ctx) {
  const Duration interval = std::chrono::seconds(params_.bar_seconds);
  if (bar.interval != interval) return;  // another bar series
  State& s = states_[static_cast<size_t>(SlotOf(bar.instrument))];
  const InstrumentIndex instrument = bar.instrument;
  const int dp = PriceDecimals(ctx.instrument(instrument));

  if (!bar.low.is_positive() || bar.high < bar.low || bar.close < bar.low || bar.close > bar.high) {
    ctx.NoAction(instrument, "bad bar at ", FormatRfc3339(bar.open_time), ": low ",
                 bar.low.ToString(), ", high ", bar.high.ToString(), ", close ",
                 bar.close.ToString(), "; ignored");
    return;
  }
  if (s.has_bar) {
    const Timestamp expected = s.last_open + interval;
    if (bar.open_time < expected) {
      ctx.NoAction(instrument, "bar at ", FormatRfc3339(bar.open_time),
                   " is not after the previous bar at ", FormatRfc3339(s.last_open),
                   " (duplicate or out of order); ignored");
      return;
    }
    if (bar.open_time > expected) {
      const int64_t missing = (bar.open_time - expected) / interval;
      const Ohlcv values = ToOhlcv(bar);
      s.last_open = bar.open_time;
      if (missing <= params_.max_missing_bars) {
        // Intervals without trades (bar builders emit no bar for them): the
        // indicators go on, but this bar decides nothing.
        s.fast.Update(values.close);
        s.slow.Update(values.close);
        s.atr.Update(values);
        if (s.fast.Valid() && s.slow.Valid()) {
          s.previous_difference = s.fast.value() - s.slow.value();
          s.has_difference = true;
        }
        ctx.NoAction(instrument, "missing bar: expected one opening at ", FormatRfc3339(expected),
                     ", got ", FormatRfc3339(bar.open_time), " (", missing,
                     " missing, within max_missing_bars ", params_.max_missing_bars,
                     "); no decision on this bar");
        return;
      }
      s.fast.Reset();
      s.slow.Reset();
      s.atr.Reset();
      s.has_difference = false;
      s.fast.Update(values.close);
      s.slow.Update(values.close);
      s.atr.Update(values);
      ctx.NoAction(instrument, "missing bar: expected one opening at ", FormatRfc3339(expected),
                   ", got ", FormatRfc3339(bar.open_time), " (", missing,
                   " missing); indicators restarted");
      return;
    }
  }
  s.has_bar = true;
  s.last_open = bar.open_time;
  const Ohlcv values = ToOhlcv(bar);
  s.fast.Update(values.close);
  s.slow.Update(values.close);
  s.atr.Update(values);
  if (!s.fast.Ready() || !s.slow.Ready() || !s.atr.Ready()) {
    ctx.NoAction(instrument, "warming up: EMA(", params_.slow, ") has ", s.slow.count(), " of ",
                 params_.slow, " bars, ATR(", params_.atr_period, ") needs ",
                 params_.atr_period + 1, " bars");
    return;
  }
  if (!s.fast.Valid() || !s.slow.Valid() || !s.atr.Valid()) {
    s.has_difference = false;
    ctx.NoAction(instrument, "indicator not finite: EMA(", params_.fast, ") ", s.fast.value(),
                 ", EMA(", params_.slow, ") ", s.slow.value(), ", ATR(", params_.atr_period, ") ",
                 s.atr.value());
    return;
  }
  const double difference = s.fast.value() - s.slow.value();
  const bool crossed_up = s.has_difference && s.previous_difference <= 0 && difference > 0;
  const bool crossed_down = s.has_difference && s.previous_difference >= 0 && difference < 0;
  s.previous_difference = difference;
  s.has_difference = true;

  const Quantity position = ctx.position(instrument);
  std::string why;
  if (position.is_positive()) {
    if (s.has_levels && bar.close <= s.stop) {
      why = StrCat("close ", bar.close.ToString(dp), " at or below the stop ", s.stop.ToString(dp));
    } else if (s.has_levels && bar.close >= s.take_profit) {
      why = StrCat("close ", bar.close.ToString(dp), " at or above the take-profit ",
                   s.take_profit.ToString(dp));
    } else if (crossed_down) {
      why = StrCat("EMA(", params_.fast, ") ", Fixed(s.fast.value(), dp), " crossed below EMA(",
                   params_.slow, ") ", Fixed(s.slow.value(), dp));
    }
  } else if (position.is_negative()) {
    if (s.has_levels && bar.close >= s.stop) {
      why = StrCat("close ", bar.close.ToString(dp), " at or above the stop ", s.stop.ToString(dp));
    } else if (s.has_levels && bar.close <= s.take_profit) {
      why = StrCat("close ", bar.close.ToString(dp), " at or below the take-profit ",
                   s.take_profit.ToString(dp));
    } else if (crossed_up) {
      why = StrCat("EMA(", params_.fast, ") ", Fixed(s.fast.value(), dp), " crossed above EMA(",
                   params_.slow, ") ", Fixed(s.slow.value(), dp));
    }
  }
  const bool wants_entry =
      position.is_zero() && (crossed_up || (crossed_down && params_.allow_short));
  if (why.empty() && !wants_entry) return;
  std::span<const OpenOrder> open = ctx.open_orders(instrument);
  if (!open.empty()) {
    ctx.NoAction(instrument, "signal (", why.empty() ? "crossover" : why, ") but order ",
                 open.front().client_order_id, " is still open; waiting");
    return;
  }
  if (!why.empty()) {
    Exit(instrument, position, why, ctx);
  } else {
    Enter(instrument, crossed_up ? common::v1::SIDE_BUY : common::v1::SIDE_SELL, bar, s, ctx);
  }
}

void TrendStrategy::Enter(InstrumentIndex instrument, Side side, const marketdata::Bar& bar,
                          State& s, StrategyContext& ctx) {
  const InstrumentSpec& spec = ctx.instrument(instrument);
  const int dp = PriceDecimals(spec);
  const bool buy = side == common::v1::SIDE_BUY;
  const double close = bar.close.ToDouble();
  const double atr = s.atr.value();
  // Outward rounding keeps stop < close < take-profit (longs) whenever ATR > 0.
  const Rounding below = Rounding::kFloor;
  const Rounding above = Rounding::kCeiling;
  absl::StatusOr<Price> stop = Price::FromDouble(
      buy ? close - params_.stop_atr * atr : close + params_.stop_atr * atr, buy ? below : above);
  absl::StatusOr<Price> take_profit = Price::FromDouble(
      buy ? close + params_.take_profit_atr * atr : close - params_.take_profit_atr * atr,
      buy ? above : below);
  if (stop.ok()) stop = stop->RoundToMultiple(spec.tick_size, buy ? below : above);
  if (take_profit.ok()) {
    take_profit = take_profit->RoundToMultiple(spec.tick_size, buy ? above : below);
  }
  if (!stop.ok() || !take_profit.ok() || !stop->is_positive() || !take_profit->is_positive()) {
    ctx.NoAction(instrument, "crossover but no valid stop/take-profit for close ",
                 bar.close.ToString(dp), " and ATR(", params_.atr_period, ") ", Fixed(atr, dp));
    return;
  }
  const std::string signal = StrCat(
      "EMA(", params_.fast, ") ", Fixed(s.fast.value(), dp), " crossed ", buy ? "above" : "below",
      " EMA(", params_.slow, ") ", Fixed(s.slow.value(), dp), "; ATR(", params_.atr_period, ") ",
      Fixed(atr, dp), "; stop ", stop->ToString(dp), ", take-profit ", take_profit->ToString(dp));
  SizingInput input;
  input.price = bar.close;
  input.volatility = atr / close;
  input.win_probability = params_.win_probability;
  input.win_loss_ratio = params_.take_profit_atr / params_.stop_atr;
  SizeDecision size = sizing_.Size(input, spec);
  if (!size.has_order()) {
    ctx.NoAction(instrument, signal, "; ", size.explanation);
    return;
  }
  OrderIntent intent;
  intent.instrument = instrument;
  intent.side = side;
  intent.type = orders::v1::ORDER_TYPE_MARKET;
  intent.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
  intent.qty = size.qty;
  intent.confidence = 0.5;
  intent.reason = StrCat(signal, "; ", buy ? "buy " : "sell ", size.qty.ToString(),
                         " at market (size: ", size.explanation, ")");
  if (absl::Status st = ctx.Submit(std::move(intent)); !st.ok()) {
    ctx.NoAction(instrument, signal, "; order not sent: ", ToStd(st.message()));
    return;
  }
  s.has_levels = true;
  s.stop = *stop;
  s.take_profit = *take_profit;
}

void TrendStrategy::Exit(InstrumentIndex instrument, Quantity position, const std::string& why,
                         StrategyContext& ctx) {
  OrderIntent intent;
  intent.instrument = instrument;
  intent.side = position.is_positive() ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
  intent.type = orders::v1::ORDER_TYPE_MARKET;
  intent.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
  intent.qty = position.Abs();
  intent.reduce_only = true;
  intent.confidence = 1;
  intent.reason =
      StrCat(why, "; ", position.is_positive() ? "sell " : "buy ", intent.qty.ToString(),
             " at market to close the ", position.is_positive() ? "long" : "short");
  if (absl::Status st = ctx.Submit(std::move(intent)); !st.ok()) {
    ctx.NoAction(instrument, why, "; exit not sent: ", ToStd(st.message()));
  }
}

void TrendStrategy::HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) {
  const InstrumentIndex instrument = quote.instrument;
  State& s = states_[static_cast<size_t>(SlotOf(instrument))];
  const Quantity position = ctx.position(instrument);
  if (position.is_zero() || !s.has_levels) return;  // quotes only guard open positions
  if (ctx.Now() < s.next_quote_exit) return;
  const int dp = PriceDecimals(ctx.instrument(instrument));
  const TopOfBook top = FromQuote(quote);
  if (absl::Status st =
          CheckTopOfBook(top, ctx.Now(), std::chrono::milliseconds(params_.stale_ms), dp);
      !st.ok()) {
    ctx.NoAction(instrument, "stop/take-profit not checked: ", ToStd(st.message()));
    return;
  }
  std::string why;
  if (position.is_positive()) {
    if (top.bid <= s.stop) {
      why = StrCat("bid ", top.bid.ToString(dp), " at or below the stop ", s.stop.ToString(dp));
    } else if (top.bid >= s.take_profit) {
      why = StrCat("bid ", top.bid.ToString(dp), " at or above the take-profit ",
                   s.take_profit.ToString(dp));
    }
  } else {
    if (top.ask >= s.stop) {
      why = StrCat("ask ", top.ask.ToString(dp), " at or above the stop ", s.stop.ToString(dp));
    } else if (top.ask <= s.take_profit) {
      why = StrCat("ask ", top.ask.ToString(dp), " at or below the take-profit ",
                   s.take_profit.ToString(dp));
    }
  }
  if (why.empty()) return;
  if (!ctx.open_orders(instrument).empty()) return;  // the exit is already on its way
  s.next_quote_exit = ctx.Now() + kQuoteExitRetry;
  Exit(instrument, position, why, ctx);
}

void TrendStrategy::HandleFill(const Fill& fill, Quantity /*position_before*/,
                               StrategyContext& ctx) {
  if (ctx.position(fill.instrument).is_zero()) {
    states_[static_cast<size_t>(SlotOf(fill.instrument))].has_levels = false;
  }
}

}  // namespace tradeplane::strategy
