#include "tradeplane/strategy/quoting_strategy.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/strategy_params.h"

#include "reason_text.h"
#include "top_of_book.h"

namespace tradeplane::strategy {
namespace {

const char* SideName(Side side) { return side == common::v1::SIDE_BUY ? "bid" : "ask"; }

}  // namespace

absl::StatusOr<QuotingParams> QuotingParams::FromMap(const std::map<std::string, double>& params) {
  ParamReader reader("quoting", params);
  QuotingParams p;
  p.half_spread_bps = reader.Positive("half_spread_bps", p.half_spread_bps, 9999);
  p.skew_bps = reader.Number("skew_bps", p.skew_bps, 0, 9999);
  p.max_inventory = reader.Positive("max_inventory", p.max_inventory, 1e12);
  p.requote_bps = reader.Number("requote_bps", p.requote_bps, 0, 10000);
  p.stale_ms = reader.Integer("stale_ms", p.stale_ms, 1, 3'600'000);
  p.allow_short = reader.Flag("allow_short", p.allow_short);
  if (absl::Status s = reader.Finish(); !s.ok()) return s;
  return p;
}

absl::StatusOr<std::unique_ptr<QuotingStrategy>> QuotingStrategy::Create(
    std::string id, std::vector<InstrumentIndex> instruments, const QuotingParams& params,
    SizingPolicy sizing) {
  absl::StatusOr<Quantity> max_inventory =
      Quantity::FromDouble(params.max_inventory, Rounding::kTowardZero);
  if (!max_inventory.ok() || !max_inventory->is_positive()) {
    return absl::InvalidArgumentError(StrCat("quoting strategy: parameter 'max_inventory' = ",
                                             params.max_inventory, " is not a usable quantity"));
  }
  auto strategy = std::unique_ptr<QuotingStrategy>(
      new QuotingStrategy(std::move(id), std::move(instruments), params, std::move(sizing)));
  strategy->max_inventory_ = *max_inventory;
  return strategy;
}

QuotingStrategy::QuotingStrategy(std::string id, std::vector<InstrumentIndex> instruments,
                                 const QuotingParams& params, SizingPolicy sizing)
    : Strategy(std::move(id), std::move(instruments)),
      params_(params),
      sizing_(std::move(sizing)),
      states_(this->instruments().size()) {}

void QuotingStrategy::HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) {
  const TopOfBook top = FromQuote(quote);
  OnTop(top.instrument, top.bid, top.bid_qty, top.ask, top.ask_qty, top.time, ctx);
}

void QuotingStrategy::HandleBook(const marketdata::BookView& book, StrategyContext& ctx) {
  const TopOfBook top = FromBook(book);
  OnTop(top.instrument, top.bid, top.bid_qty, top.ask, top.ask_qty, top.time, ctx);
}

int QuotingStrategy::PullQuotes(InstrumentIndex instrument, const std::string& why,
                                StrategyContext& ctx) {
  // Cancel marks orders, so collect the ids first.
  std::vector<std::string> live;
  for (const OpenOrder& order : ctx.open_orders(instrument)) {
    if (!order.cancel_requested) live.push_back(order.client_order_id);
  }
  int cancelled = 0;
  for (const std::string& id : live) {
    if (ctx.Cancel(instrument, id, StrCat("pull quote: ", why)).ok()) ++cancelled;
  }
  return cancelled;
}

void QuotingStrategy::OnTop(InstrumentIndex instrument, Price bid, Quantity bid_qty, Price ask,
                            Quantity ask_qty, Timestamp time, StrategyContext& ctx) {
  State& s = states_[static_cast<size_t>(SlotOf(instrument))];
  const InstrumentSpec& spec = ctx.instrument(instrument);
  const int dp = PriceDecimals(spec);
  const TopOfBook top{instrument, bid, bid_qty, ask, ask_qty, time};
  if (absl::Status st =
          CheckTopOfBook(top, ctx.Now(), std::chrono::milliseconds(params_.stale_ms), dp);
      !st.ok()) {
    const std::string why(ToStd(st.message()));
    const int pulled = PullQuotes(instrument, why, ctx);
    ctx.NoAction(instrument, why, "; no quotes", pulled > 0 ? StrCat(", cancelled ", pulled) : "");
    return;
  }
  s.has_data = true;
  s.last_data = time;

  const double mid = top.mid();
  const Quantity position = ctx.position(instrument);
  const double fraction = std::clamp(position.ToDouble() / max_inventory_.ToDouble(), -1.0, 1.0);
  const double reservation = mid * (1 - params_.skew_bps / 1e4 * fraction);
  absl::StatusOr<Price> bid_target =
      Price::FromDouble(reservation * (1 - params_.half_spread_bps / 1e4), Rounding::kFloor);
  absl::StatusOr<Price> ask_target =
      Price::FromDouble(reservation * (1 + params_.half_spread_bps / 1e4), Rounding::kCeiling);
  if (bid_target.ok()) bid_target = bid_target->RoundToMultiple(spec.tick_size, Rounding::kFloor);
  if (ask_target.ok()) ask_target = ask_target->RoundToMultiple(spec.tick_size, Rounding::kCeiling);
  if (!bid_target.ok() || !ask_target.ok()) {
    const std::string why = StrCat("no quote prices for mid ", Fixed(mid, dp + 1));
    PullQuotes(instrument, why, ctx);
    ctx.NoAction(instrument, why);
    return;
  }
  // Stay passive: never at or through the other side.
  if (*bid_target >= ask) bid_target = Price::FromRaw(ask.raw() - spec.tick_size.raw());
  if (*ask_target <= bid) ask_target = Price::FromRaw(bid.raw() + spec.tick_size.raw());

  // The room on each side counts the position and the live orders on it.
  Quantity live_buys;
  Quantity live_sells;
  for (const OpenOrder& order : ctx.open_orders(instrument)) {
    if (order.cancel_requested) continue;
    Quantity& side_total = order.side == common::v1::SIDE_BUY ? live_buys : live_sells;
    side_total = Quantity::FromRaw(side_total.raw() + order.remaining().raw());
  }
  SizingInput input;
  absl::StatusOr<Price> mid_price = Price::FromDouble(mid, Rounding::kHalfEven);
  input.price = mid_price.ok() ? *mid_price : Price::Zero();
  const Quantity size = sizing_.SizeQuantity(input, spec);  // no text: this runs on every quote
  if (!size.is_positive()) {
    const std::string why = StrCat("no quote size: ", sizing_.Size(input, spec).explanation);
    PullQuotes(instrument, why, ctx);
    ctx.NoAction(instrument, why);
    return;
  }
  const QuoteContext context{mid, position, reservation};
  const int64_t max_raw = max_inventory_.raw();
  const int64_t buy_room = max_raw - position.raw() - live_buys.raw();
  const int64_t sell_floor = params_.allow_short ? -max_raw : 0;
  const int64_t sell_room = position.raw() - sell_floor - live_sells.raw();
  QuoteSide(instrument, common::v1::SIDE_BUY, *bid_target, size, buy_room, context, ctx);
  QuoteSide(instrument, common::v1::SIDE_SELL, *ask_target, size, sell_room, context, ctx);
}

std::string QuotingStrategy::Describe(const QuoteContext& context, int decimals) const {
  return StrCat("mid ", Fixed(context.mid, decimals + 1), ", inventory ",
                context.position.ToString(), " of max ", max_inventory_.ToString(),
                ", reservation ", Fixed(context.reservation, decimals + 1), ", half-spread ",
                params_.half_spread_bps, " bps, skew ", params_.skew_bps, " bps");
}

void QuotingStrategy::QuoteSide(InstrumentIndex instrument, Side side, Price target, Quantity size,
                                int64_t room_raw, const QuoteContext& context,
                                StrategyContext& ctx) {
  const double mid = context.mid;
  const InstrumentSpec& spec = ctx.instrument(instrument);
  const int dp = PriceDecimals(spec);
  const char* name = SideName(side);
  const OpenOrder* live = nullptr;
  for (const OpenOrder& order : ctx.open_orders(instrument)) {
    if (order.side == side && !order.cancel_requested) {
      live = &order;
      break;
    }
  }
  // A replacement may reuse the room of the order it replaces.
  if (live != nullptr) room_raw += live->remaining().raw();
  int64_t qty_raw = std::min(size.raw(), std::max<int64_t>(room_raw, 0));
  qty_raw -= qty_raw % spec.lot_size.raw();  // down to the lot
  const Quantity qty = Quantity::FromRaw(qty_raw);
  const bool too_small = !qty.is_positive() || (spec.min_qty.is_positive() && qty < spec.min_qty);
  if (live != nullptr) {
    const double off_bps = std::fabs(live->price.ToDouble() - target.ToDouble()) / mid * 1e4;
    std::string why;
    if (too_small) {
      why = StrCat("cancel ", name, " ", live->price.ToString(dp),
                   ": no room within the maximum inventory (", Describe(context, dp), ")");
    } else if (off_bps > params_.requote_bps) {
      why = StrCat("replace ", name, " ", live->price.ToString(dp), " with ", target.ToString(dp),
                   ": target moved ", Fixed(off_bps, 2), " bps (> ", params_.requote_bps, " bps)");
    } else if (live->remaining() > qty) {
      why = StrCat("replace ", name, " ", live->price.ToString(dp), " x ",
                   live->remaining().ToString(), ": size no longer fits, now ", qty.ToString());
    } else {
      return;  // the resting quote is good
    }
    const std::string id = live->client_order_id;
    if (absl::Status st = ctx.Cancel(instrument, id, why); !st.ok()) {
      ctx.NoAction(instrument, why, "; cancel not sent: ", ToStd(st.message()));
      return;
    }
    if (too_small) return;
  } else if (too_small) {
    // Repeats on every quote while the side is full: written into the note's
    // reused buffer, without temporary strings.
    std::string& note = ctx.NoActionText(instrument);
    StrAppend(&note, "no ", name, ": no room within the maximum inventory (inventory ");
    fixed_point::AppendRaw(context.position.raw(), &note);
    note += " of max ";
    fixed_point::AppendRaw(max_inventory_.raw(), &note);
    note += ")";
    return;
  }
  OrderIntent intent;
  intent.instrument = instrument;
  intent.side = side;
  intent.type = orders::v1::ORDER_TYPE_LIMIT_MAKER;
  intent.time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  intent.qty = qty;
  intent.price = target;
  intent.confidence = 0.5;
  intent.reason = StrCat("quote ", name, " ", target.ToString(dp), " x ", qty.ToString(), " (",
                         Describe(context, dp), ")");
  if (absl::Status st = ctx.Submit(std::move(intent)); !st.ok()) {
    ctx.NoAction(instrument, name, " not sent: ", ToStd(st.message()));
  }
}

void QuotingStrategy::HandleTimer(Timestamp now, StrategyContext& ctx) {
  const Duration max_age = std::chrono::milliseconds(params_.stale_ms);
  for (InstrumentIndex instrument : instruments()) {
    const State& s = states_[static_cast<size_t>(SlotOf(instrument))];
    bool has_live = false;
    for (const OpenOrder& order : ctx.open_orders(instrument)) {
      has_live = has_live || !order.cancel_requested;
    }
    if (!has_live) continue;
    if (s.has_data && now - s.last_data <= max_age) continue;
    const std::string why =
        s.has_data ? StrCat("stale market data: last update ", Seconds(now - s.last_data),
                            " old at ", FormatRfc3339(now), " (max ", Seconds(max_age), ")")
                   : std::string("no market data yet");
    const int pulled = PullQuotes(instrument, why, ctx);
    ctx.NoAction(instrument, why, "; cancelled ", pulled, " quotes");
  }
}

}  // namespace tradeplane::strategy
