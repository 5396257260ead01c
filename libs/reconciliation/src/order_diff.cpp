// Orders: each of ours against the venue's view of it, then the venue's
// orders that match none of ours.
//
// The venue's view of one of our orders, first that applies:
//   1. it is in the venue's open orders: that status and filled quantity;
//   2. a lookup answered for it: that status and filled quantity, or "the
//      venue has no such order";
//   3. the open orders cover its instrument (so it is not open) and its
//      instrument has a trade window: deduced. Filled = ours - our fills in
//      the window + the venue's trades in the window (the part filled before
//      the checkpoint was reconciled by an earlier run); FILLED when that
//      reaches its quantity, else closed with a remainder (CANCELED; the
//      venue may have said EXPIRED). Deduction needs the trades to be
//      attributable: the order has a venue order id, or some trade names it,
//      or no trade on its instrument and side is unattributed;
//   4. otherwise undecidable: MISSING_VENUE_ORDER when we hold it open,
//      nothing to compare when it is closed here too.
#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation::internal {
namespace {

using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_EXPIRED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_PENDING_CANCEL;
using orders::v1::ORDER_STATUS_PENDING_NEW;
using orders::v1::ORDER_STATUS_REJECTED;

enum class ViewKind : uint8_t {
  kNone,  // not covered by the venue's answer: nothing to compare
  kExact,
  kDeducedFilled,
  kDeducedClosed,
  kNotFound,
  kUndecidable,
};

struct VenueView {
  ViewKind kind = ViewKind::kNone;
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  Int128 filled = 0;
  Amount filled_quote;
  std::string source;       // where the view comes from, for explanations
  std::string undecidable;  // why there is none
};

VenueView Exact(const VenueOrder& order, std::string source) {
  VenueView v;
  v.kind = ViewKind::kExact;
  v.status = order.status;
  v.filled = order.filled_qty.raw();
  v.filled_quote = order.filled_quote;
  v.source = std::move(source);
  return v;
}

VenueView EstablishView(const DiffContext& ctx, size_t i) {
  const OurOrder& o = ctx.input.ours.orders[i];
  const OrderFacts& f = ctx.orders[i];
  VenueView v;
  if (f.open_at_venue != nullptr) return Exact(*f.open_at_venue, "in its open orders");
  if (f.lookup != nullptr) {
    if (f.lookup->found) return Exact(f.lookup->order, "by a lookup");
    v.kind = ViewKind::kNotFound;
    v.status = ORDER_STATUS_REJECTED;
    v.source = "the venue has no order with this client order id";
    return v;
  }
  if (!ctx.OpenListCovers(o.instrument)) return v;
  if (!ctx.windows.contains(o.instrument)) {
    v.kind = ViewKind::kUndecidable;
    v.undecidable = StrCat("there is no trade list for ", ctx.InstrumentText(o.instrument),
                           " to tell filled from canceled");
    return v;
  }
  const bool attributable = !f.venue_order_id.empty() || f.linked_trades > 0 ||
                            !ctx.orphan_sides.contains({o.instrument, o.side});
  if (!attributable) {
    v.kind = ViewKind::kUndecidable;
    v.undecidable = StrCat("it has no venue order id while ", SideName(o.side), " trades on ",
                           ctx.InstrumentText(o.instrument),
                           " match none of our orders: they may be its fills");
    return v;
  }
  v.filled = static_cast<Int128>(o.filled_qty.raw()) - f.window_fill_qty + f.linked_trade_qty;
  v.kind = v.filled >= o.qty.raw() ? ViewKind::kDeducedFilled : ViewKind::kDeducedClosed;
  v.status = v.kind == ViewKind::kDeducedFilled ? ORDER_STATUS_FILLED : ORDER_STATUS_CANCELED;
  v.source = "from its trades since the checkpoint";
  return v;
}

// Our status once the missed fills are ingested (the state machine's fill
// cells: the first fill of a fresh order makes it PARTIALLY_FILLED, a fill
// reaching the quantity makes any open, canceled or expired order FILLED).
OrderStatus StatusAfterFills(const OurOrder& o, const OrderFacts& f) {
  if (f.missed_qty == 0) return o.status;
  const Int128 filled = static_cast<Int128>(o.filled_qty.raw()) + f.missed_qty;
  if (o.status == orders::v1::ORDER_STATUS_REJECTED || o.status == ORDER_STATUS_FILLED) {
    return o.status;  // such a fill is refused (the missed fill is not correctable)
  }
  if (filled >= o.qty.raw()) return ORDER_STATUS_FILLED;
  if (o.status == ORDER_STATUS_PENDING_NEW || o.status == ORDER_STATUS_NEW) {
    return ORDER_STATUS_PARTIALLY_FILLED;
  }
  return o.status;
}

bool StatusesAgree(OrderStatus expected, const VenueView& v) {
  if (v.kind == ViewKind::kDeducedClosed) {
    return expected == ORDER_STATUS_CANCELED || expected == ORDER_STATUS_EXPIRED ||
           expected == ORDER_STATUS_REJECTED;
  }
  return expected == v.status;
}

// The venue's status must be one it reports, and agree with its filled
// quantity (what execution's reconciled event accepts).
std::string CorrectionProblem(const OurOrder& o, const VenueView& v) {
  const Int128 qty = o.qty.raw();
  bool ok = false;
  switch (v.status) {
    case ORDER_STATUS_NEW:
    case ORDER_STATUS_REJECTED:
      ok = v.filled == 0;
      break;
    case ORDER_STATUS_PARTIALLY_FILLED:
      ok = v.filled > 0 && v.filled < qty;
      break;
    case ORDER_STATUS_FILLED:
      ok = v.filled == qty;
      break;
    case ORDER_STATUS_CANCELED:
    case ORDER_STATUS_EXPIRED:
      ok = v.filled >= 0 && v.filled < qty;
      break;
    default:
      break;
  }
  if (ok) return "";
  return StrCat("the venue's status ", StatusName(v.status), " with ", Decimal(v.filled),
                " filled of ", o.qty.ToString(), " is not one execution can take");
}

Price AveragePrice(const OrderFacts& f, const VenueView& v) {
  if (v.filled <= 0) return Price::Zero();
  if (v.filled_quote.is_positive()) {
    absl::StatusOr<Price> avg =
        PricePerUnit(v.filled_quote, Quantity::FromRaw(static_cast<int64_t>(v.filled)));
    if (avg.ok()) return *avg;
  }
  // Our fills and the missed trades, when they are exactly the venue's.
  if (f.known_fill_qty == v.filled) {
    absl::StatusOr<int64_t> avg = fixed_point::DivideRounded(f.known_fill_notional_e18,
                                                             f.known_fill_qty, Rounding::kHalfEven);
    if (avg.ok()) return Price::FromRaw(*avg);
  }
  return Price::Zero();  // unknown: execution keeps its own notional
}

orders::v1::Order CorrectedOrder(const DiffContext& ctx, const OurOrder& o, const OrderFacts& f,
                                 const VenueView& v) {
  orders::v1::Order order;
  order.set_client_order_id(o.client_order_id);
  order.set_venue_order_id(f.venue_order_id);
  order.set_strategy_id(o.strategy_id);
  ctx.Spec(o.instrument).id.ToProto(order.mutable_instrument());
  order.set_side(o.side);
  order.set_qty(o.qty.raw());
  order.set_price(o.price.raw());
  order.set_filled_qty(static_cast<int64_t>(v.filled));
  order.set_avg_fill_price(AveragePrice(f, v).raw());
  order.set_status(v.status);
  if (v.kind == ViewKind::kNotFound) order.set_reject_reason("the venue has no such order");
  order.set_updated_ns(ctx.input.venue.as_of.nanos());
  return order;
}

Break& OrderBreak(DiffContext& ctx, v1::BreakType type, size_t i) {
  const OurOrder& o = ctx.input.ours.orders[i];
  Break& b = ctx.result.breaks[ctx.AddBreak(type, o.instrument)];
  b.client_order_id = o.client_order_id;
  b.venue_order_id = ctx.orders[i].venue_order_id;
  b.ours_status = o.status;
  b.ours = o.filled_qty.raw();
  return b;
}

std::string OrderText(const DiffContext& ctx, const OurOrder& o) {
  return StrCat("order ", o.client_order_id, " on ", ctx.InstrumentText(o.instrument), " (",
                SideName(o.side), " ", o.qty.ToString(), " @ ", o.price.ToString(), ")");
}

void MissingVenueOrder(DiffContext& ctx, size_t i, std::string_view why) {
  const OurOrder& o = ctx.input.ours.orders[i];
  Break& b = OrderBreak(ctx, v1::BREAK_TYPE_MISSING_VENUE_ORDER, i);
  b.ours = o.qty.raw() - o.filled_qty.raw();  // what we believe is still open
  b.venue = 0;
  b.not_correctable_reason = "what became of it at the venue is unknown: a person checks there";
  b.explanation =
      StrCat("We hold ", OrderText(ctx, o), " as ", StatusName(o.status), " with ",
             o.filled_qty.ToString(), " filled, the venue does not list it open, and ", why, ".");
}

absl::Status FilledQtyMismatch(DiffContext& ctx, size_t i, const VenueView& v,
                               OrderStatus expected) {
  const OurOrder& o = ctx.input.ours.orders[i];
  const OrderFacts& f = ctx.orders[i];
  Break& b = OrderBreak(ctx, v1::BREAK_TYPE_FILLED_QTY_MISMATCH, i);
  if (absl::Status s = Narrow(v.filled, StrCat("order ", o.client_order_id), &b.venue); !s.ok()) {
    return s;
  }
  b.venue_status = v.status;
  b.venue_status_deduced = v.kind != ViewKind::kExact;
  b.not_correctable_reason =
      "a filled quantity is corrected by its fills, and which fills are missing or extra is "
      "unknown";
  std::string text = StrCat("Order ", o.client_order_id, " on ", ctx.InstrumentText(o.instrument),
                            " has ", o.filled_qty.ToString(), " filled of ", o.qty.ToString(),
                            " here and ", Decimal(v.filled), " at the venue (", v.source, ")");
  if (v.filled > o.qty.raw()) StrAppend(&text, ", more than its quantity");
  if (f.explained_qty != 0) {
    StrAppend(&text, "; the fill breaks explain ", Decimal(f.explained_qty), " of the ",
              Decimal(v.filled - o.filled_qty.raw()), " difference");
  }
  StrAppend(&text, "; its status is ", StatusName(expected), " here and ", StatusName(v.status),
            v.kind == ViewKind::kExact ? "" : " (deduced)", " there.");
  b.explanation = std::move(text);
  return absl::OkStatus();
}

absl::Status StatusMismatch(DiffContext& ctx, size_t i, const VenueView& v, OrderStatus expected) {
  const OurOrder& o = ctx.input.ours.orders[i];
  const OrderFacts& f = ctx.orders[i];
  Break& b = OrderBreak(ctx, v1::BREAK_TYPE_STATUS_MISMATCH, i);
  if (absl::Status s = Narrow(v.filled, StrCat("order ", o.client_order_id), &b.venue); !s.ok()) {
    return s;
  }
  b.venue_status = v.status;
  b.venue_status_deduced = v.kind != ViewKind::kExact;
  std::string here = StrCat(StatusName(o.status));
  if (expected != o.status) {
    StrAppend(&here, " (", StatusName(expected), " once the missed fills are ingested)");
  }
  const std::string head = StrCat("Order ", o.client_order_id, " on ",
                                  ctx.InstrumentText(o.instrument), " is ", here, " here");
  switch (v.kind) {
    case ViewKind::kNotFound:
      b.explanation =
          StrCat(head, " but ", v.source, ": it never reached the venue (REJECTED, deduced).");
      break;
    case ViewKind::kDeducedFilled:
    case ViewKind::kDeducedClosed:
      b.explanation = StrCat(head,
                             " but no longer open at the venue, and its trades since the "
                             "checkpoint make ",
                             Decimal(v.filled), " of ", o.qty.ToString(), " filled: ",
                             v.kind == ViewKind::kDeducedFilled
                                 ? "FILLED (deduced)."
                                 : "closed with a remainder (CANCELED, deduced).");
      break;
    default:
      b.explanation = StrCat(head, " and ", StatusName(v.status), " at the venue (", v.source,
                             "), with ", Decimal(v.filled), " of ", o.qty.ToString(), " filled.");
      break;
  }
  b.not_correctable_reason =
      f.fill_dispute
          ? "a fill break of this order stays unresolved: its fills are in question, so its "
            "status waits"
          : CorrectionProblem(o, v);
  b.correctable = b.not_correctable_reason.empty();
  if (b.correctable) b.corrected_order = CorrectedOrder(ctx, o, f, v);
  return absl::OkStatus();
}

absl::Status CompareOurOrder(DiffContext& ctx, size_t i) {
  const OurOrder& o = ctx.input.ours.orders[i];
  const OrderFacts& f = ctx.orders[i];
  if (f.in_flight) {
    ctx.Defer(StrCat("order ", o.client_order_id), f.in_flight_reason);
    return absl::OkStatus();
  }
  const VenueView v = EstablishView(ctx, i);
  switch (v.kind) {
    case ViewKind::kNone:
      return absl::OkStatus();
    case ViewKind::kUndecidable:
      if (IsOpenStatus(o.status)) {
        ++ctx.result.orders_compared;
        MissingVenueOrder(ctx, i, v.undecidable);
      }
      return absl::OkStatus();
    case ViewKind::kNotFound:
      ++ctx.result.orders_compared;
      // A closed order the venue no longer knows (venues purge old ones) is
      // no difference; an open one it never knew did not reach it.
      if (!IsOpenStatus(o.status)) return absl::OkStatus();
      if (o.filled_qty.is_zero() && f.linked_trades == 0 && f.window_fill_qty == 0) {
        return StatusMismatch(ctx, i, v, o.status);
      }
      MissingVenueOrder(ctx, i, StrCat(v.source, ", yet it has fills"));
      return absl::OkStatus();
    case ViewKind::kExact:
      if (v.status == ORDER_STATUS_PENDING_NEW || v.status == ORDER_STATUS_PENDING_CANCEL) {
        ctx.Defer(
            StrCat("order ", o.client_order_id),
            StrCat("the venue has not processed a request on it yet (", StatusName(v.status), ")"));
        return absl::OkStatus();
      }
      break;
    default:
      break;
  }
  ++ctx.result.orders_compared;
  const OrderStatus expected = StatusAfterFills(o, f);
  const Int128 ours_after = static_cast<Int128>(o.filled_qty.raw()) + f.explained_qty;
  if (v.filled > o.qty.raw() || ours_after != v.filled) {
    return FilledQtyMismatch(ctx, i, v, expected);
  }
  if (!StatusesAgree(expected, v)) return StatusMismatch(ctx, i, v, expected);
  return absl::OkStatus();
}

void UnknownOpenOrder(DiffContext& ctx, const UnknownOrder& unknown) {
  const VenueOrder& vo = *unknown.order;
  const std::string subject =
      StrCat("venue order ", vo.venue_order_id, " on ", ctx.InstrumentText(vo.instrument));
  if (!vo.created.is_zero() && ctx.InFlight(vo.created)) {
    ctx.Defer(subject, StrCat("created at ", FormatRfc3339(vo.created),
                              ", within the in-flight grace: our journal may not show it yet"));
    return;
  }
  ++ctx.result.orders_compared;
  Break& b = ctx.result.breaks[ctx.AddBreak(v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER, vo.instrument)];
  b.client_order_id = vo.client_order_id;
  b.venue_order_id = vo.venue_order_id;
  b.ours = 0;
  b.venue = vo.qty.raw();
  b.venue_status = vo.status;
  b.venue_order = vo;
  b.correctable = true;  // cancel or adopt, as the policy says
  std::string text =
      StrCat("The venue has open order ", vo.venue_order_id, " on ",
             ctx.InstrumentText(vo.instrument), " (client order id ",
             vo.client_order_id.empty() ? "none" : vo.client_order_id, ", ", SideName(vo.side), " ",
             vo.qty.ToString(), " @ ", vo.price.ToString(), ", ", vo.filled_qty.ToString(),
             " filled, ", StatusName(vo.status), ") that matches none of our orders");
  if (unknown.window_trades > 0) {
    StrAppend(&text, "; ", unknown.window_trades, " trade(s) of ",
              Decimal(unknown.window_trade_qty), " on it since the checkpoint");
  }
  b.explanation = text + ".";
}

void OrphanTrades(DiffContext& ctx, const IdKey& key, const OrphanGroup& group) {
  ++ctx.result.orders_compared;
  Break& b = ctx.result.breaks[ctx.AddBreak(v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER, key.instrument)];
  b.venue_order_id = std::string(key.id);
  b.ours = 0;
  b.venue = static_cast<int64_t>(group.qty);  // trade quantities are checked to fit when summed
  b.not_correctable_reason =
      "the order is no longer open: its executions moved our position and a person accounts for "
      "them";
  b.explanation =
      StrCat("The venue executed ", group.trades, " trade(s) (",
             group.mixed_sides ? "both sides" : SideName(group.side), ", ", Decimal(group.qty),
             " in total) on venue order ", key.id, " on ", ctx.InstrumentText(key.instrument),
             " since the checkpoint, an order that matches none of ours and is no "
             "longer open.");
}

}  // namespace

absl::Status DiffOrders(DiffContext& ctx) {
  for (const auto& [client_order_id, i] : ctx.order_by_client) {
    if (absl::Status s = CompareOurOrder(ctx, i); !s.ok()) return s;
  }
  for (const UnknownOrder& unknown : ctx.unknown_orders) UnknownOpenOrder(ctx, unknown);
  for (const auto& [key, group] : ctx.orphans) {
    int64_t qty = 0;
    if (absl::Status s = Narrow(group.qty, StrCat("trades on venue order ", key.id), &qty);
        !s.ok()) {
      return s;
    }
    OrphanTrades(ctx, key, group);
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciliation::internal
