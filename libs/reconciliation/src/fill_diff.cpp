// Executions: venue trades against our fills, by (instrument, venue trade
// id), inside each instrument's trade window.
//
//   venue trade, no fill of ours    MISSED_FILL (our order), or part of an
//                                   UNKNOWN_VENUE_ORDER (not our order)
//   two fills or more for one trade,
//   or one fill with more quantity  DUPLICATE_FILL
//   one fill with less quantity     MISSED_FILL, not correctable (a second
//                                   fill for one trade id cannot be ingested)
//   fill of ours, no venue trade    DUPLICATE_FILL (more than the venue executed)
//
// A trade or fill at or after the in-flight boundary that has no counterpart
// is deferred. Each difference adds what it does to positions and balances
// to the explained amounts (DiffHoldings).
#include <algorithm>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation::internal {
namespace {

std::string DefaultFillId(const InstrumentSpec& spec, std::string_view venue_trade_id) {
  return StrCat(ShortEnumName(spec.id.venue), ":", spec.id.symbol, ":", venue_trade_id);
}

std::string TradeText(const DiffContext& ctx, const WindowTrade& wt) {
  const VenueTrade& t = *wt.trade;
  return StrCat("trade ", t.venue_trade_id, " on ", ctx.InstrumentText(wt.instrument), " (",
                SideName(t.side), " ", t.qty.ToString(), " @ ", t.price.ToString(),
                ", venue order ", t.venue_order_id, ", at ", FormatRfc3339(t.time), ")");
}

orders::v1::Fill FillToIngest(const DiffContext& ctx, const WindowTrade& wt,
                              const OurOrder& order) {
  const VenueTrade& t = *wt.trade;
  const InstrumentSpec& spec = ctx.Spec(wt.instrument);
  orders::v1::Fill fill;
  fill.set_fill_id(t.fill_id.empty() ? DefaultFillId(spec, t.venue_trade_id) : t.fill_id);
  fill.set_client_order_id(order.client_order_id);
  fill.set_venue_order_id(t.venue_order_id);
  fill.set_venue_trade_id(t.venue_trade_id);
  fill.set_strategy_id(order.strategy_id);
  spec.id.ToProto(fill.mutable_instrument());
  fill.set_side(t.side);
  fill.set_price(t.price.raw());
  fill.set_qty(t.qty.raw());
  fill.set_fee(t.fee.raw());
  fill.set_fee_asset(t.fee_asset);
  fill.set_liquidity(t.liquidity);
  fill.set_exchange_time_ns(t.time.nanos());
  fill.set_source(orders::v1::FILL_SOURCE_RECONCILIATION);
  return fill;
}

// The fills of ours for one trade, their ids sorted, their quantity summed.
struct OurFillsOfTrade {
  std::vector<const OurFill*> fills;
  std::vector<std::string> ids;
  Int128 qty = 0;
  bool all_in_flight = true;
};

OurFillsOfTrade CollectFills(const DiffContext& ctx, const std::vector<size_t>* indices) {
  OurFillsOfTrade out;
  if (indices == nullptr) return out;
  for (size_t i : *indices) {
    const OurFill& f = ctx.input.ours.fills[i];
    out.fills.push_back(&f);
    out.ids.push_back(f.fill_id);
    out.qty += f.qty.raw();
    if (!ctx.InFlight(f.time)) out.all_in_flight = false;
  }
  std::sort(out.ids.begin(), out.ids.end());
  return out;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) StrAppend(&out, out.empty() ? "" : ", ", id);
  return out;
}

// The order of ours a fill-level break belongs to: the trade's, else the
// first fill's.
std::optional<size_t> OrderOf(const DiffContext& ctx, const WindowTrade* wt,
                              const OurFillsOfTrade& fills) {
  if (wt != nullptr && wt->link == TradeLink::kOurs) return wt->index;
  for (const OurFill* f : fills.fills) {
    auto it = ctx.order_by_client.find(f->client_order_id);
    if (it != ctx.order_by_client.end()) return it->second;
  }
  return std::nullopt;
}

absl::Status AddFillsEffect(DiffContext& ctx, const OurFillsOfTrade& fills, int sign) {
  for (const OurFill* f : fills.fills) {
    absl::Status s = ctx.AddExecutionEffect(f->instrument, f->side, f->price, f->qty, f->fee,
                                            f->fee_asset, sign);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status AddTradeEffect(DiffContext& ctx, const WindowTrade& wt) {
  const VenueTrade& t = *wt.trade;
  return ctx.AddExecutionEffect(wt.instrument, t.side, t.price, t.qty, t.fee, t.fee_asset, +1);
}

// Our fills for a trade the venue does not list, or lists with less.
absl::Status DuplicateFill(DiffContext& ctx, IdKey key, const WindowTrade* wt,
                           const OurFillsOfTrade& fills) {
  const size_t index = ctx.AddBreak(v1::BREAK_TYPE_DUPLICATE_FILL, key.instrument);
  Break& b = ctx.result.breaks[index];
  b.venue_trade_id = std::string(key.id);
  b.fill_ids = fills.ids;
  const std::optional<size_t> order = OrderOf(ctx, wt, fills);
  if (order) b.client_order_id = ctx.input.ours.orders[*order].client_order_id;
  b.venue_order_id =
      wt != nullptr ? wt->trade->venue_order_id : fills.fills.front()->venue_order_id;
  if (absl::Status s = Narrow(fills.qty, StrCat("fills of trade ", key.id), &b.ours); !s.ok())
    return s;
  b.venue = wt != nullptr ? wt->trade->qty.raw() : 0;
  b.not_correctable_reason =
      "which of our fills is wrong is for a person to say: a fill is never deleted automatically";
  const std::string ours_text =
      StrCat(fills.fills.size() == 1 ? "fill " : StrCat(fills.fills.size(), " fills ("),
             JoinIds(fills.ids), fills.fills.size() == 1 ? "" : ")", " of ", Decimal(fills.qty));
  if (wt == nullptr) {
    b.explanation = StrCat("We hold ", ours_text, " for venue trade ", key.id, " on ",
                           ctx.InstrumentText(key.instrument),
                           ", which the venue does not list since the checkpoint.");
  } else {
    b.explanation = StrCat("We hold ", ours_text, " for venue ", TradeText(ctx, *wt),
                           ", which executed ", wt->trade->qty.ToString(), ".");
  }
  if (order) {
    ctx.orders[*order].explained_qty += static_cast<Int128>(b.venue) - fills.qty;
    ctx.orders[*order].fill_dispute = true;
  }
  if (wt != nullptr) {
    if (absl::Status s = AddTradeEffect(ctx, *wt); !s.ok()) return s;
  }
  return AddFillsEffect(ctx, fills, -1);
}

absl::Status MissedFill(DiffContext& ctx, const WindowTrade& wt, const OurFillsOfTrade& fills) {
  const OurOrder& order = ctx.input.ours.orders[wt.index];
  OrderFacts& facts = ctx.orders[wt.index];
  const size_t index = ctx.AddBreak(v1::BREAK_TYPE_MISSED_FILL, wt.instrument);
  Break& b = ctx.result.breaks[index];
  const VenueTrade& t = *wt.trade;
  b.client_order_id = order.client_order_id;
  b.venue_order_id = t.venue_order_id;
  b.venue_trade_id = t.venue_trade_id;
  b.fill_ids = fills.ids;
  b.ours_status = order.status;
  if (absl::Status s = Narrow(fills.qty, StrCat("fills of trade ", t.venue_trade_id), &b.ours);
      !s.ok()) {
    return s;
  }
  b.venue = t.qty.raw();
  facts.explained_qty += static_cast<Int128>(t.qty.raw()) - fills.qty;
  if (fills.fills.empty()) {
    b.explanation = StrCat("The venue executed ", TradeText(ctx, wt), " for our order ",
                           order.client_order_id, " and we hold no fill for it.");
    b.fill_to_ingest = FillToIngest(ctx, wt, order);
    b.correctable = true;  // until DiffFills checks the order can take it
    facts.missed_qty += t.qty.raw();
    facts.missed_breaks.push_back(index);
    facts.known_fill_qty += t.qty.raw();
    facts.known_fill_notional_e18 += static_cast<Int128>(t.price.raw()) * t.qty.raw();
  } else {
    b.explanation = StrCat("The venue executed ", TradeText(ctx, wt), " for our order ",
                           order.client_order_id, " and we hold only fill ", JoinIds(fills.ids),
                           " of ", Decimal(fills.qty), " for it.");
    b.not_correctable_reason =
        "a second fill for one venue trade cannot be ingested: a person corrects the fill";
    facts.fill_dispute = true;
  }
  if (absl::Status s = AddTradeEffect(ctx, wt); !s.ok()) return s;
  return AddFillsEffect(ctx, fills, -1);
}

// A missed fill is ingested only into an order that can take it: not a
// rejected one, and not beyond its quantity.
void CheckMissedFillsFit(DiffContext& ctx) {
  for (size_t i = 0; i < ctx.orders.size(); ++i) {
    OrderFacts& facts = ctx.orders[i];
    if (facts.missed_breaks.empty()) continue;
    const OurOrder& order = ctx.input.ours.orders[i];
    std::string why;
    if (order.status == orders::v1::ORDER_STATUS_REJECTED) {
      why = StrCat("our order ", order.client_order_id, " is REJECTED: a fill cannot apply to it");
    } else if (static_cast<Int128>(order.filled_qty.raw()) + facts.missed_qty > order.qty.raw()) {
      why = StrCat("our order ", order.client_order_id, " has ", order.filled_qty.ToString(),
                   " filled of ", order.qty.ToString(), ": the missed fills (",
                   Decimal(facts.missed_qty), ") would overfill it");
    }
    if (why.empty()) continue;
    facts.fill_dispute = true;
    for (size_t index : facts.missed_breaks) {
      Break& b = ctx.result.breaks[index];
      b.correctable = false;
      b.fill_to_ingest.Clear();
      b.not_correctable_reason = why;
    }
  }
}

}  // namespace

absl::Status DiffFills(DiffContext& ctx) {
  std::set<IdKey> keys;
  for (const auto& [key, index] : ctx.trade_by_id) keys.insert(key);
  for (const auto& [key, fills] : ctx.fills_by_trade) keys.insert(key);

  for (const IdKey& key : keys) {
    auto t = ctx.trade_by_id.find(key);
    const WindowTrade* wt = t == ctx.trade_by_id.end() ? nullptr : &ctx.trades[t->second];
    auto f = ctx.fills_by_trade.find(key);
    const OurFillsOfTrade fills =
        CollectFills(ctx, f == ctx.fills_by_trade.end() ? nullptr : &f->second);

    if (wt != nullptr && fills.fills.empty()) {
      const VenueTrade& trade = *wt->trade;
      if (ctx.InFlight(trade.time)) {
        ctx.Defer(StrCat("trade ", ctx.InstrumentText(key.instrument), " ", key.id),
                  StrCat("executed at ", FormatRfc3339(trade.time),
                         ", within the in-flight grace: its fill report may be on its way"));
        if (absl::Status s = AddTradeEffect(ctx, *wt); !s.ok()) return s;
        continue;
      }
      ++ctx.result.fills_compared;
      switch (wt->link) {
        case TradeLink::kOurs:
          if (absl::Status s = MissedFill(ctx, *wt, fills); !s.ok()) return s;
          break;
        case TradeLink::kUnknownOpen: {
          UnknownOrder& unknown = ctx.unknown_orders[wt->index];
          unknown.window_trade_qty += trade.qty.raw();
          ++unknown.window_trades;
          if (absl::Status s = AddTradeEffect(ctx, *wt); !s.ok()) return s;
          break;
        }
        case TradeLink::kOrphan: {
          OrphanGroup& group = ctx.orphans[IdKey{key.instrument, trade.venue_order_id}];
          if (group.trades > 0 && group.side != trade.side) group.mixed_sides = true;
          group.side = trade.side;
          group.qty += trade.qty.raw();
          ++group.trades;
          if (absl::Status s = AddTradeEffect(ctx, *wt); !s.ok()) return s;
          break;
        }
      }
      continue;
    }

    if (wt == nullptr) {  // fills of ours only
      if (fills.all_in_flight) {
        ctx.Defer(StrCat("trade ", ctx.InstrumentText(key.instrument), " ", key.id),
                  StrCat("our fill ", JoinIds(fills.ids),
                         " is within the in-flight grace: the venue's list may predate it"));
        if (absl::Status s = AddFillsEffect(ctx, fills, -1); !s.ok()) return s;
        continue;
      }
      ++ctx.result.fills_compared;
      if (absl::Status s = DuplicateFill(ctx, key, nullptr, fills); !s.ok()) return s;
      continue;
    }

    ++ctx.result.fills_compared;
    const Int128 venue_qty = wt->trade->qty.raw();
    if (fills.fills.size() == 1 && fills.qty == venue_qty) continue;  // matched
    if (fills.fills.size() == 1 && fills.qty < venue_qty && wt->link == TradeLink::kOurs) {
      if (absl::Status s = MissedFill(ctx, *wt, fills); !s.ok()) return s;
      continue;
    }
    if (absl::Status s = DuplicateFill(ctx, key, wt, fills); !s.ok()) return s;
  }
  CheckMissedFillsFit(ctx);
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciliation::internal
