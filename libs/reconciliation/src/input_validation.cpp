// The caller's contract (errors) and the venue answer's consistency (a
// failed diff): two different things. Our books and the options come from
// our own code, so a violation is a bug to report; the venue's answer comes
// from outside, so a partial or self-contradicting one fails the run.
#include <set>
#include <tuple>

#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation::internal {
namespace {

absl::Status Invalid(std::string_view where, std::string_view why) {
  return absl::InvalidArgumentError(StrCat(where, ": ", why));
}

absl::Status CheckInstrument(const InstrumentTable& instruments, InstrumentIndex index,
                             std::string_view where) {
  if (index >= instruments.size()) {
    return Invalid(where, StrCat("instrument index ", index, " is outside the table (",
                                 instruments.size(), " instruments)"));
  }
  return absl::OkStatus();
}

bool SameOrder(const VenueOrder& a, const VenueOrder& b) {
  return std::tie(a.client_order_id, a.venue_order_id, a.instrument, a.side, a.status, a.qty,
                  a.filled_qty, a.filled_quote, a.price, a.created, a.updated) ==
         std::tie(b.client_order_id, b.venue_order_id, b.instrument, b.side, b.status, b.qty,
                  b.filled_qty, b.filled_quote, b.price, b.created, b.updated);
}

bool SameTrade(const VenueTrade& a, const VenueTrade& b) {
  return std::tie(a.venue_trade_id, a.venue_order_id, a.client_order_id, a.fill_id, a.side, a.price,
                  a.qty, a.fee, a.fee_asset, a.liquidity, a.time) ==
         std::tie(b.venue_trade_id, b.venue_order_id, b.client_order_id, b.fill_id, b.side, b.price,
                  b.qty, b.fee, b.fee_asset, b.liquidity, b.time);
}

absl::Status ValidateOurBook(const OurBook& ours, const InstrumentTable& instruments) {
  std::set<std::string_view> client_ids;
  std::set<IdKey> venue_ids;
  for (const OurOrder& o : ours.orders) {
    const std::string where = StrCat("our order ", o.client_order_id);
    if (o.client_order_id.empty()) return Invalid("our orders", "an order without client_order_id");
    if (!client_ids.insert(o.client_order_id).second) return Invalid(where, "listed twice");
    if (absl::Status s = CheckInstrument(instruments, o.instrument, where); !s.ok()) return s;
    if (o.status == orders::v1::ORDER_STATUS_UNSPECIFIED)
      return Invalid(where, "status UNSPECIFIED");
    if (o.side == common::v1::SIDE_UNSPECIFIED) return Invalid(where, "side UNSPECIFIED");
    if (!o.qty.is_positive()) return Invalid(where, "quantity must be positive");
    if (o.filled_qty.is_negative() || o.filled_qty > o.qty) {
      return Invalid(where, StrCat("filled ", o.filled_qty.ToString(), " is outside [0, ",
                                   o.qty.ToString(), "]"));
    }
    if (!o.venue_order_id.empty() && !venue_ids.insert({o.instrument, o.venue_order_id}).second) {
      return Invalid(where,
                     StrCat("venue order id ", o.venue_order_id, " is another of our orders' too"));
    }
  }
  std::set<std::string_view> fill_ids;
  for (const OurFill& f : ours.fills) {
    const std::string where = StrCat("our fill ", f.fill_id);
    if (f.fill_id.empty()) return Invalid("our fills", "a fill without fill_id");
    if (!fill_ids.insert(f.fill_id).second) return Invalid(where, "listed twice");
    if (f.venue_trade_id.empty()) return Invalid(where, "no venue_trade_id");
    if (absl::Status s = CheckInstrument(instruments, f.instrument, where); !s.ok()) return s;
    if (f.side == common::v1::SIDE_UNSPECIFIED) return Invalid(where, "side UNSPECIFIED");
    if (!f.qty.is_positive()) return Invalid(where, "quantity must be positive");
  }
  std::set<InstrumentIndex> position_instruments;
  for (const OurPosition& p : ours.positions) {
    if (absl::Status s = CheckInstrument(instruments, p.instrument, "our positions"); !s.ok()) {
      return s;
    }
    if (!position_instruments.insert(p.instrument).second) {
      return Invalid("our positions",
                     StrCat(instruments.at(p.instrument).id.ToString(), " listed twice"));
    }
  }
  std::set<std::string_view> assets;
  for (const OurBalance& b : ours.balances) {
    if (b.asset.empty()) return Invalid("our balances", "a balance without asset");
    if (!assets.insert(b.asset).second)
      return Invalid("our balances", StrCat(b.asset, " listed twice"));
  }
  return absl::OkStatus();
}

absl::Status ValidateVenueIndexes(const VenueSnapshot& venue, const InstrumentTable& instruments) {
  for (const VenueOrder& o : venue.open_orders) {
    absl::Status s =
        CheckInstrument(instruments, o.instrument, StrCat("venue open order ", o.venue_order_id));
    if (!s.ok()) return s;
  }
  for (InstrumentIndex i : venue.open_orders_scope) {
    if (absl::Status s = CheckInstrument(instruments, i, "open_orders_scope"); !s.ok()) return s;
  }
  for (const VenueOrderLookup& l : venue.lookups) {
    absl::Status s =
        CheckInstrument(instruments, l.instrument, StrCat("lookup of ", l.client_order_id));
    if (!s.ok()) return s;
  }
  std::set<InstrumentIndex> windows;
  for (const VenueTradeWindow& w : venue.trade_windows) {
    if (absl::Status s = CheckInstrument(instruments, w.instrument, "trade window"); !s.ok()) {
      return s;
    }
    if (!windows.insert(w.instrument).second) {
      return Invalid("trade windows",
                     StrCat(instruments.at(w.instrument).id.ToString(), " has two windows"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateInput(const ReconInput& input, const InstrumentTable& instruments,
                           const DiffOptions& options) {
  if (options.in_flight_grace.count() < 0) {
    return Invalid("in_flight_grace", "must not be negative");
  }
  if (options.default_balance_tolerance.is_negative()) {
    return Invalid("default_balance_tolerance", "must not be negative");
  }
  for (const auto& [asset, tolerance] : options.balance_tolerance) {
    if (tolerance.is_negative())
      return Invalid(StrCat("balance_tolerance.", asset), "must not be negative");
  }
  if (absl::Status s = ValidateOurBook(input.ours, instruments); !s.ok()) return s;
  if (absl::Status s = ValidateVenueIndexes(input.venue, instruments); !s.ok()) return s;
  std::set<InstrumentIndex> referenced;
  for (const PositionReference& r : input.positions) {
    if (absl::Status s = CheckInstrument(instruments, r.instrument, "position reference");
        !s.ok()) {
      return s;
    }
    if (!referenced.insert(r.instrument).second) {
      return Invalid("position references",
                     StrCat(instruments.at(r.instrument).id.ToString(), " listed twice"));
    }
  }
  return absl::OkStatus();
}

// Checked once the venue's answer is known complete: what the references ask
// of it.
absl::Status ValidatePositionReferences(const DiffContext& ctx) {
  std::set<std::string_view> balance_bases;
  for (const PositionReference& r : ctx.input.positions) {
    const InstrumentSpec& spec = ctx.Spec(r.instrument);
    const std::string where = StrCat("position reference ", spec.id.ToString());
    switch (r.basis) {
      case PositionBasis::kVenueTrades:
        if (!ctx.windows.contains(r.instrument)) {
          return Invalid(where, "the kVenueTrades basis needs a trade window for the instrument");
        }
        break;
      case PositionBasis::kVenueBalance:
        if (!ctx.input.venue.balances_listed) {
          return Invalid(where, "the kVenueBalance basis needs the venue's balances");
        }
        if (spec.base_asset.empty()) return Invalid(where, "the instrument has no base asset");
        if (!balance_bases.insert(spec.base_asset).second) {
          return Invalid(where, StrCat("another kVenueBalance reference uses ", spec.base_asset,
                                       ": one balance cannot check two positions"));
        }
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status IndexVenueAnswer(DiffContext& ctx) {
  const VenueSnapshot& venue = ctx.input.venue;
  if (!venue.complete) {
    ctx.failure = venue.incomplete_reason.empty()
                      ? "the venue's answer is incomplete"
                      : StrCat("the venue's answer is incomplete: ", venue.incomplete_reason);
    return absl::OkStatus();
  }
  auto fail = [&ctx](std::string why) {
    ctx.failure = StrCat("the venue's answer contradicts itself: ", why);
    return absl::OkStatus();
  };

  std::map<IdKey, const VenueOrder*> open_by_id;
  for (const VenueOrder& o : venue.open_orders) {
    if (o.venue_order_id.empty()) return fail("an open order without a venue order id");
    const std::string what =
        StrCat("open order ", o.venue_order_id, " on ", ctx.InstrumentText(o.instrument));
    if (!IsOpenStatus(o.status)) return fail(StrCat(what, " is ", StatusName(o.status)));
    if (!ctx.OpenListCovers(o.instrument))
      return fail(StrCat(what, " is outside the listed scope"));
    auto [it, inserted] = open_by_id.emplace(IdKey{o.instrument, o.venue_order_id}, &o);
    if (inserted) {
      ctx.open_orders.push_back(&o);
    } else if (!SameOrder(*it->second, o)) {
      return fail(StrCat(what, " is listed twice with different content"));
    }
  }

  for (const VenueOrderLookup& l : venue.lookups) {
    if (l.found && l.order.client_order_id != l.client_order_id) {
      return fail(
          StrCat("the lookup of ", l.client_order_id, " answered order ", l.order.client_order_id));
    }
    auto [it, inserted] = ctx.lookups.emplace(l.client_order_id, &l);
    if (!inserted &&
        (it->second->found != l.found || (l.found && !SameOrder(it->second->order, l.order)))) {
      return fail(StrCat("two lookups of ", l.client_order_id, " disagree"));
    }
  }

  for (const VenueTradeWindow& w : venue.trade_windows) {
    ctx.windows.emplace(w.instrument, &w);
    for (const VenueTrade& t : w.trades) {
      const std::string what =
          StrCat("trade ", t.venue_trade_id, " on ", ctx.InstrumentText(w.instrument));
      if (t.venue_trade_id.empty()) return fail("a trade without a venue trade id");
      if (t.venue_order_id.empty()) return fail(StrCat(what, " has no venue order id"));
      if (t.side == common::v1::SIDE_UNSPECIFIED) return fail(StrCat(what, " has no side"));
      if (!t.qty.is_positive()) return fail(StrCat(what, " has no positive quantity"));
      uint64_t numeric_id = 0;
      if (w.checkpoint.after_trade_id) {
        std::optional<uint64_t> parsed = ParseTradeId(t.venue_trade_id);
        if (!parsed) return fail(StrCat(what, ": the id is not a number but the checkpoint is"));
        numeric_id = *parsed;
      }
      // A venue may list some trades before the checkpoint (a time bound is
      // inclusive, pages overlap): they are outside the comparison.
      if (!InWindow(w.checkpoint, t.time, numeric_id)) continue;
      auto [it, inserted] =
          ctx.trade_by_id.emplace(IdKey{w.instrument, t.venue_trade_id}, ctx.trades.size());
      if (!inserted) {
        if (!SameTrade(*ctx.trades[it->second].trade, t)) {
          return fail(StrCat(what, " is listed twice with different content"));
        }
        continue;
      }
      ctx.trades.push_back(WindowTrade{w.instrument, &t, TradeLink::kOrphan, 0, numeric_id});
    }
  }

  if (venue.balances_listed) {
    std::map<std::string_view, const VenueBalance*> seen;
    for (const VenueBalance& b : venue.balances) {
      if (b.asset.empty()) return fail("a balance without an asset");
      auto [it, inserted] = seen.emplace(b.asset, &b);
      if (!inserted) {
        if (it->second->free != b.free || it->second->locked != b.locked) {
          return fail(
              StrCat("the balance of ", b.asset, " is listed twice with different amounts"));
        }
        continue;
      }
      absl::StatusOr<Amount> total = b.free.Add(b.locked);
      if (!total.ok()) return fail(StrCat("the balance of ", b.asset, " overflows"));
      ctx.venue_balances.emplace(b.asset, *total);
    }
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciliation::internal
