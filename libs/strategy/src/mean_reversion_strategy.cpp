#include "tradeplane/strategy/mean_reversion_strategy.h"

#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/strategy_params.h"

#include "reason_text.h"
#include "top_of_book.h"

namespace tradeplane::strategy {

absl::StatusOr<MeanReversionParams> MeanReversionParams::FromMap(
    const std::map<std::string, double>& params) {
  ParamReader reader("mean_reversion", params);
  MeanReversionParams p;
  p.window = reader.Integer("window", p.window, 2, 100000);
  p.entry_z = reader.Positive("entry_z", p.entry_z, 20);
  p.exit_z = reader.Number("exit_z", p.exit_z, 0, 20);
  p.max_holding_s = reader.Integer("max_holding_s", p.max_holding_s, 1, 604800);
  p.sample_ms = reader.Integer("sample_ms", p.sample_ms, 0, 3'600'000);
  p.stale_ms = reader.Integer("stale_ms", p.stale_ms, 1, 3'600'000);
  p.allow_short = reader.Flag("allow_short", p.allow_short);
  p.win_probability = reader.Number("win_probability", p.win_probability, 0, 1);
  p.win_loss_ratio = reader.Positive("win_loss_ratio", p.win_loss_ratio, 100);
  if (p.exit_z >= p.entry_z) {
    reader.Fail(
        StrCat("parameter 'exit_z' (", p.exit_z, ") must be below 'entry_z' (", p.entry_z, ")"));
  }
  if (absl::Status s = reader.Finish(); !s.ok()) return s;
  return p;
}

absl::StatusOr<std::unique_ptr<MeanReversionStrategy>> MeanReversionStrategy::Create(
    std::string id, std::vector<InstrumentIndex> instruments, const MeanReversionParams& params,
    SizingPolicy sizing) {
  std::vector<State> states;
  for (size_t i = 0; i < instruments.size(); ++i) {
    absl::StatusOr<ZScore> z = ZScore::Create(params.window);
    if (!z.ok()) return z.status();
    states.push_back(State{*std::move(z)});
  }
  return std::unique_ptr<MeanReversionStrategy>(new MeanReversionStrategy(
      std::move(id), std::move(instruments), params, std::move(sizing), std::move(states)));
}

MeanReversionStrategy::MeanReversionStrategy(std::string id,
                                             std::vector<InstrumentIndex> instruments,
                                             const MeanReversionParams& params, SizingPolicy sizing,
                                             std::vector<State> states)
    : Strategy(std::move(id), std::move(instruments)),
      params_(params),
      sizing_(std::move(sizing)),
      states_(std::move(states)) {}

void MeanReversionStrategy::HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) {
  const TopOfBook top = FromQuote(quote);
  OnTop(top.instrument, top.bid, top.bid_qty, top.ask, top.ask_qty, top.time, ctx);
}

void MeanReversionStrategy::HandleBook(const marketdata::BookView& book, StrategyContext& ctx) {
  const TopOfBook top = FromBook(book);
  OnTop(top.instrument, top.bid, top.bid_qty, top.ask, top.ask_qty, top.time, ctx);
}

void MeanReversionStrategy::OnTop(InstrumentIndex instrument, Price bid, Quantity bid_qty,
                                  Price ask, Quantity ask_qty, Timestamp time,
                                  StrategyContext& ctx) {
  State& s = states_[static_cast<size_t>(SlotOf(instrument))];
  const InstrumentSpec& spec = ctx.instrument(instrument);
  const int dp = PriceDecimals(spec);
  const TopOfBook top{instrument, bid, bid_qty, ask, ask_qty, time};
  const Timestamp now = ctx.Now();
  if (absl::Status st = CheckTopOfBook(top, now, std::chrono::milliseconds(params_.stale_ms), dp);
      !st.ok()) {
    ctx.NoAction(instrument, ToStd(st.message()), "; not sampled");
    return;
  }
  s.has_top = true;
  s.bid = bid;
  s.ask = ask;
  s.bid_qty = bid_qty;
  s.ask_qty = ask_qty;
  s.top_time = time;
  if (CheckHoldingTime(instrument, s, now, ctx)) return;

  if (s.has_sample && time - s.last_sample < std::chrono::milliseconds(params_.sample_ms)) return;
  s.has_sample = true;
  s.last_sample = time;
  const double mid = top.mid();
  s.z.Update(mid);
  if (!s.z.Ready()) {
    ctx.NoAction(instrument, "warming up: z-score(", params_.window, ") needs ", params_.window,
                 " samples");
    return;
  }
  if (!s.z.Valid()) {
    ctx.NoAction(instrument, "z-score(", params_.window, ") is not finite (", s.z.value(),
                 "; mean ", s.z.mean(), ", sd ", s.z.standard_deviation(), ")");
    return;
  }
  const double z = s.z.value();
  const Quantity position = ctx.position(instrument);
  Side side = common::v1::SIDE_UNSPECIFIED;
  bool exit = false;
  if (position.is_zero()) {
    if (z <= -params_.entry_z) {
      side = common::v1::SIDE_BUY;
    } else if (z >= params_.entry_z && params_.allow_short) {
      side = common::v1::SIDE_SELL;
    }
  } else if (position.is_positive() && z >= -params_.exit_z) {
    side = common::v1::SIDE_SELL;
    exit = true;
  } else if (position.is_negative() && z <= params_.exit_z) {
    side = common::v1::SIDE_BUY;
    exit = true;
  }
  // Most samples decide nothing: the reason is only written when acting.
  if (side == common::v1::SIDE_UNSPECIFIED) return;
  const bool buy = side == common::v1::SIDE_BUY;
  // Long entries (below the mean) and long exits (rising back) test a negative threshold.
  const bool negative_threshold = exit ? !buy : buy;
  const std::string why =
      StrCat("z-score(", params_.window, ") of mid ", Fixed(z, 2), " (mid ", Fixed(mid, dp + 1),
             ", mean ", Fixed(s.z.mean(), dp + 1), ", sd ", Fixed(s.z.standard_deviation(), dp + 1),
             ") ", buy ? "<= " : ">= ", negative_threshold ? "-" : "",
             Fixed(exit ? params_.exit_z : params_.entry_z, 2),
             exit ? ": back near the mean" : (buy ? ": below the mean" : ": above the mean"));
  std::span<const OpenOrder> open = ctx.open_orders(instrument);
  if (!open.empty()) {
    ctx.NoAction(instrument, why, "; order ", open.front().client_order_id,
                 " is still open; waiting");
    return;
  }
  const Price price = buy ? ask : bid;
  if (exit) {
    Send(instrument, side, position.Abs(), price, true,
         StrCat(why, "; ", buy ? "buy " : "sell ", position.Abs().ToString(), " at the ",
                buy ? "ask " : "bid ", price.ToString(dp), " (IOC) to close the ",
                buy ? "short" : "long"),
         ctx);
    return;
  }
  SizingInput input;
  input.price = price;
  input.volatility = s.z.mean() != 0 ? s.z.standard_deviation() / s.z.mean() : 0;
  input.win_probability = params_.win_probability;
  input.win_loss_ratio = params_.win_loss_ratio;
  SizeDecision size = sizing_.Size(input, spec);
  if (!size.has_order()) {
    ctx.NoAction(instrument, why, "; ", size.explanation);
    return;
  }
  Send(instrument, side, size.qty, price, false,
       StrCat(why, "; ", buy ? "buy " : "sell ", size.qty.ToString(), " at the ",
              buy ? "ask " : "bid ", price.ToString(dp), " (IOC); exit once z ",
              buy ? ">= -" : "<= ", Fixed(params_.exit_z, 2), " or after ", params_.max_holding_s,
              " s (size: ", size.explanation, ")"),
       ctx);
}

bool MeanReversionStrategy::CheckHoldingTime(InstrumentIndex instrument, State& s, Timestamp now,
                                             StrategyContext& ctx) {
  const Quantity position = ctx.position(instrument);
  if (position.is_zero() || !s.holding) return false;
  const Duration held = now - s.entry_time;
  if (held < std::chrono::seconds(params_.max_holding_s)) return false;
  if (now < s.next_exit) return true;
  const std::string why = StrCat("position ", position.ToString(), " held ", Seconds(held),
                                 " since its first fill (max ", params_.max_holding_s, " s)");
  std::span<const OpenOrder> open = ctx.open_orders(instrument);
  if (!open.empty()) {
    ctx.NoAction(instrument, why, "; order ", open.front().client_order_id,
                 " is still open; waiting");
    return true;
  }
  const int dp = PriceDecimals(ctx.instrument(instrument));
  const TopOfBook top{instrument, s.bid, s.bid_qty, s.ask, s.ask_qty, s.top_time};
  if (absl::Status st =
          s.has_top ? CheckTopOfBook(top, now, std::chrono::milliseconds(params_.stale_ms), dp)
                    : absl::FailedPreconditionError("no market data yet");
      !st.ok()) {
    ctx.NoAction(instrument, why, "; cannot price the exit: ", ToStd(st.message()));
    return true;
  }
  const bool buy = position.is_negative();
  const Price price = buy ? s.ask : s.bid;
  s.next_exit = now + kExitRetry;
  Send(instrument, buy ? common::v1::SIDE_BUY : common::v1::SIDE_SELL, position.Abs(), price, true,
       StrCat(why, "; ", buy ? "buy " : "sell ", position.Abs().ToString(), " at the ",
              buy ? "ask " : "bid ", price.ToString(dp), " (IOC) to close the ",
              buy ? "short" : "long"),
       ctx);
  return true;
}

void MeanReversionStrategy::Send(InstrumentIndex instrument, Side side, Quantity qty, Price price,
                                 bool reduce_only, std::string reason, StrategyContext& ctx) {
  OrderIntent intent;
  intent.instrument = instrument;
  intent.side = side;
  intent.type = orders::v1::ORDER_TYPE_LIMIT;
  intent.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
  intent.qty = qty;
  intent.price = price;
  intent.reduce_only = reduce_only;
  intent.confidence = reduce_only ? 1 : 0.5;
  intent.reason = std::move(reason);
  const std::string copy_for_error = intent.reason;
  if (absl::Status st = ctx.Submit(std::move(intent)); !st.ok()) {
    ctx.NoAction(instrument, copy_for_error, "; order not sent: ", ToStd(st.message()));
  }
}

void MeanReversionStrategy::HandleFill(const Fill& fill, Quantity position_before,
                                       StrategyContext& ctx) {
  State& s = states_[static_cast<size_t>(SlotOf(fill.instrument))];
  const Quantity after = ctx.position(fill.instrument);
  if (after.is_zero()) {
    s.holding = false;
  } else if (position_before.is_zero() || (position_before.is_positive() != after.is_positive())) {
    // A new position (or a flip): the holding clock starts at this fill.
    s.holding = true;
    s.entry_time = fill.time.is_zero() ? ctx.Now() : fill.time;
  }
}

void MeanReversionStrategy::HandleTimer(Timestamp now, StrategyContext& ctx) {
  for (InstrumentIndex instrument : instruments()) {
    CheckHoldingTime(instrument, states_[static_cast<size_t>(SlotOf(instrument))], now, ctx);
  }
}

}  // namespace tradeplane::strategy
