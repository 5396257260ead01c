// Which venue order and which venue trade is which of our orders.
//
// An open venue order is ours when its client order id is one of ours (same
// instrument), else when its venue order id is. What the venue tells us (open
// orders, lookups, trades that carry a client order id) and our own fills
// teach the venue order id of an order whose ack we never got. A trade is then ours by its
// venue order id; else it belongs to an open venue order we do not know;
// else it is an orphan (an order neither ours nor open: placed elsewhere, or
// ours without any id that links it).
#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation::internal {
namespace {

std::optional<size_t> OurOrderByClientId(const DiffContext& ctx, std::string_view client_order_id,
                                         InstrumentIndex instrument) {
  if (client_order_id.empty()) return std::nullopt;
  auto it = ctx.order_by_client.find(client_order_id);
  if (it == ctx.order_by_client.end()) return std::nullopt;
  if (ctx.input.ours.orders[it->second].instrument != instrument) return std::nullopt;
  return it->second;
}

void LearnVenueOrderId(DiffContext& ctx, size_t order, InstrumentIndex instrument,
                       std::string_view venue_order_id) {
  if (venue_order_id.empty()) return;
  OrderFacts& facts = ctx.orders[order];
  if (facts.venue_order_id.empty()) facts.venue_order_id = std::string(venue_order_id);
  ctx.order_by_venue_id.emplace(IdKey{instrument, venue_order_id}, order);
}

void MarkOrderInFlight(DiffContext& ctx, size_t order, std::string reason) {
  OrderFacts& facts = ctx.orders[order];
  if (facts.in_flight) return;
  facts.in_flight = true;
  facts.in_flight_reason = std::move(reason);
}

std::string InFlightText(const DiffContext& ctx, std::string_view what, Timestamp t) {
  return StrCat(what, " at ", FormatRfc3339(t), ", within the in-flight grace (",
                ctx.options.in_flight_grace.count(), " ns) of the venue snapshot at ",
                FormatRfc3339(ctx.input.venue.as_of));
}

}  // namespace

absl::Status LinkBooks(DiffContext& ctx) {
  const OurBook& ours = ctx.input.ours;
  ctx.orders.resize(ours.orders.size());
  for (size_t i = 0; i < ours.orders.size(); ++i) {
    const OurOrder& o = ours.orders[i];
    ctx.order_by_client.emplace(o.client_order_id, i);
    ctx.orders[i].venue_order_id = o.venue_order_id;
    if (!o.venue_order_id.empty())
      ctx.order_by_venue_id.emplace(IdKey{o.instrument, o.venue_order_id}, i);
    if (ctx.InFlight(o.updated)) MarkOrderInFlight(ctx, i, InFlightText(ctx, "updated", o.updated));
  }

  for (const VenueOrder* vo : ctx.open_orders) {
    std::optional<size_t> match = OurOrderByClientId(ctx, vo->client_order_id, vo->instrument);
    if (!match) {
      auto it = ctx.order_by_venue_id.find(IdKey{vo->instrument, vo->venue_order_id});
      if (it != ctx.order_by_venue_id.end()) match = it->second;
    }
    if (!match) {
      ctx.unknown_by_venue_id.emplace(IdKey{vo->instrument, vo->venue_order_id},
                                      ctx.unknown_orders.size());
      ctx.unknown_orders.push_back(UnknownOrder{vo});
      continue;
    }
    OrderFacts& facts = ctx.orders[*match];
    if (facts.open_at_venue != nullptr) {
      ctx.failure = StrCat("the venue's answer contradicts itself: open orders ",
                           facts.open_at_venue->venue_order_id, " and ", vo->venue_order_id,
                           " are both our order ", ours.orders[*match].client_order_id);
      return absl::OkStatus();
    }
    facts.open_at_venue = vo;
    LearnVenueOrderId(ctx, *match, vo->instrument, vo->venue_order_id);
  }

  for (const auto& [client_order_id, lookup] : ctx.lookups) {
    std::optional<size_t> match = OurOrderByClientId(ctx, client_order_id, lookup->instrument);
    if (!match) continue;  // a lookup of an order we do not hold tells nothing here
    ctx.orders[*match].lookup = lookup;
    if (lookup->found)
      LearnVenueOrderId(ctx, *match, lookup->instrument, lookup->order.venue_order_id);
  }

  // Our fills, and trades that name a client order id, teach an order's
  // venue order id first, so that the other trades of the same order (which
  // may not name it) link.
  for (const OurFill& f : ours.fills) {
    std::optional<size_t> match = OurOrderByClientId(ctx, f.client_order_id, f.instrument);
    if (match) LearnVenueOrderId(ctx, *match, f.instrument, f.venue_order_id);
  }
  for (const WindowTrade& wt : ctx.trades) {
    std::optional<size_t> match = OurOrderByClientId(ctx, wt.trade->client_order_id, wt.instrument);
    if (match) LearnVenueOrderId(ctx, *match, wt.instrument, wt.trade->venue_order_id);
  }
  for (WindowTrade& wt : ctx.trades) {
    const VenueTrade& t = *wt.trade;
    const IdKey order_key{wt.instrument, t.venue_order_id};
    const bool in_flight = ctx.InFlight(t.time);
    if (in_flight) ctx.MarkInFlight(wt.instrument, t.fee_asset);
    if (auto it = ctx.order_by_venue_id.find(order_key); it != ctx.order_by_venue_id.end()) {
      wt.link = TradeLink::kOurs;
      wt.index = it->second;
      OrderFacts& facts = ctx.orders[wt.index];
      facts.linked_trade_qty += t.qty.raw();
      ++facts.linked_trades;
      if (in_flight) {
        MarkOrderInFlight(
            ctx, wt.index,
            InFlightText(ctx, StrCat("traded (trade ", t.venue_trade_id, ")"), t.time));
      }
    } else if (auto u = ctx.unknown_by_venue_id.find(order_key);
               u != ctx.unknown_by_venue_id.end()) {
      wt.link = TradeLink::kUnknownOpen;
      wt.index = u->second;
    } else {
      wt.link = TradeLink::kOrphan;
      ctx.orphan_sides.emplace(wt.instrument, t.side);
    }
  }

  for (size_t i = 0; i < ours.fills.size(); ++i) {
    const OurFill& f = ours.fills[i];
    std::optional<size_t> order = OurOrderByClientId(ctx, f.client_order_id, f.instrument);
    const bool in_flight = ctx.InFlight(f.time);
    if (in_flight) ctx.MarkInFlight(f.instrument, f.fee_asset);
    if (order) {
      OrderFacts& facts = ctx.orders[*order];
      facts.known_fill_qty += f.qty.raw();
      facts.known_fill_notional_e18 += static_cast<Int128>(f.price.raw()) * f.qty.raw();
      if (in_flight) {
        MarkOrderInFlight(ctx, *order,
                          InFlightText(ctx, StrCat("filled (fill ", f.fill_id, ")"), f.time));
      }
    }
    auto w = ctx.windows.find(f.instrument);
    if (w == ctx.windows.end()) continue;
    uint64_t numeric_id = 0;
    if (w->second->checkpoint.after_trade_id) {
      std::optional<uint64_t> parsed = ParseTradeId(f.venue_trade_id);
      if (!parsed) {
        return absl::InvalidArgumentError(
            StrCat("our fill ", f.fill_id, ": venue_trade_id '", f.venue_trade_id,
                   "' is not a number, but the checkpoint of ", ctx.InstrumentText(f.instrument),
                   " is a trade id"));
      }
      numeric_id = *parsed;
    }
    if (!InWindow(w->second->checkpoint, f.time, numeric_id)) continue;
    ctx.fills_by_trade[IdKey{f.instrument, f.venue_trade_id}].push_back(i);
    if (order) ctx.orders[*order].window_fill_qty += f.qty.raw();
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciliation::internal
