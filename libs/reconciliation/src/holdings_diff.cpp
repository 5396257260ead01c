// Positions and balances: ours plus what the fill and order breaks (and the
// deferred executions) explain, against the venue's. What remains
// unexplained is the break: exactly for a position from the venue's trades,
// beyond the asset's tolerance for anything read from a balance (fees and
// dust move balances without a trade of ours to show for it).
#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation::internal {
namespace {

Int128 Abs(Int128 v) { return v < 0 ? -v : v; }

Int128 Lookup(const std::map<InstrumentIndex, Int128>& m, InstrumentIndex key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

Int128 Lookup(const std::map<std::string, Int128, std::less<>>& m, std::string_view key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

Amount VenueBalanceOf(const DiffContext& ctx, std::string_view asset) {
  auto it = ctx.venue_balances.find(asset);
  return it == ctx.venue_balances.end() ? Amount::Zero() : it->second;
}

// The position the venue's trades give: the position at the checkpoint plus
// every trade in the window (optionally only those before a bound).
Int128 PositionFromTrades(const DiffContext& ctx, InstrumentIndex instrument, Quantity start,
                          const std::function<bool(const WindowTrade&)>& include) {
  Int128 position = start.raw();
  for (const WindowTrade& wt : ctx.trades) {
    if (wt.instrument != instrument || !include(wt)) continue;
    position += static_cast<Int128>(SideSign(wt.trade->side)) * wt.trade->qty.raw();
  }
  return position;
}

absl::Status CheckPosition(DiffContext& ctx, const PositionReference& ref,
                           const std::map<InstrumentIndex, Quantity>& ours) {
  const InstrumentSpec& spec = ctx.Spec(ref.instrument);
  const std::string instrument = spec.id.ToString();
  PositionCheck check;
  check.instrument = ref.instrument;
  check.instrument_id = spec.id;
  check.basis = ref.basis;
  auto it = ours.find(ref.instrument);
  check.ours = it == ours.end() ? Quantity::Zero() : it->second;

  Int128 venue = 0;
  std::string basis_text;
  if (ref.basis == PositionBasis::kVenueTrades) {
    venue = PositionFromTrades(ctx, ref.instrument, ref.position_at_checkpoint,
                               [](const WindowTrade&) { return true; });
    basis_text = StrCat("by the venue (", ref.position_at_checkpoint.ToString(),
                        " at the checkpoint plus its trades since)");
  } else {
    check.tolerance = ctx.options.ToleranceFor(spec.base_asset);
    if (ctx.instruments_in_flight.contains(ref.instrument) ||
        ctx.assets_in_flight.contains(spec.base_asset)) {
      check.deferred = true;
      ctx.Defer(StrCat("position ", instrument),
                StrCat("an execution on it is within the in-flight grace: the ", spec.base_asset,
                       " balance may not show it yet"));
      ctx.result.positions.push_back(std::move(check));
      return absl::OkStatus();
    }
    const Amount balance = VenueBalanceOf(ctx, spec.base_asset);
    venue = static_cast<Int128>(balance.raw()) - ref.base_balance_offset.raw();
    basis_text = StrCat("by the venue's ", spec.base_asset, " balance (", balance.ToString(),
                        " less the offset ", ref.base_balance_offset.ToString(), ")");
  }
  const Int128 explained = Lookup(ctx.position_explained, ref.instrument);
  const Int128 unexplained = venue - (static_cast<Int128>(check.ours.raw()) + explained);
  int64_t raw = 0;
  if (absl::Status s = Narrow(venue, StrCat("position ", instrument), &raw); !s.ok()) return s;
  check.venue = Quantity::FromRaw(raw);
  if (absl::Status s = Narrow(explained, StrCat("position ", instrument), &raw); !s.ok()) return s;
  check.explained = Quantity::FromRaw(raw);
  if (absl::Status s = Narrow(unexplained, StrCat("position ", instrument), &raw); !s.ok())
    return s;
  check.unexplained = Quantity::FromRaw(raw);
  check.is_break = Abs(unexplained) > check.tolerance.raw();

  if (check.is_break) {
    Break& b = ctx.result.breaks[ctx.AddBreak(v1::BREAK_TYPE_POSITION_MISMATCH, ref.instrument)];
    b.ours = check.ours.raw();
    b.venue = check.venue.raw();
    b.not_correctable_reason =
        "a position is corrected by fills, and which fills are missing or extra is unknown";
    std::string text =
        StrCat("Position on ", instrument, " is ", check.ours.ToString(), " here and ",
               check.venue.ToString(), " ", basis_text, "; ", check.explained.ToString(),
               " is explained by other breaks and ", check.unexplained.ToString(), " is not");
    if (ref.basis == PositionBasis::kVenueBalance) {
      StrAppend(&text, ", beyond the tolerance ", check.tolerance.ToString());
    }
    b.explanation = text + ".";
  }
  ctx.result.positions.push_back(std::move(check));
  return absl::OkStatus();
}

absl::Status CheckBalance(DiffContext& ctx, const OurBalance& ours) {
  BalanceCheck check;
  check.asset = ours.asset;
  check.ours = ours.total;
  check.venue = VenueBalanceOf(ctx, ours.asset);
  check.tolerance = ctx.options.ToleranceFor(ours.asset);
  if (ctx.assets_in_flight.contains(ours.asset)) {
    check.deferred = true;
    ctx.Defer(StrCat("balance ", ours.asset),
              "an execution touching it is within the in-flight grace: the venue's balance may "
              "not show it yet");
    ctx.result.balances.push_back(std::move(check));
    return absl::OkStatus();
  }
  const Int128 explained = Lookup(ctx.balance_explained, ours.asset);
  const Int128 unexplained =
      static_cast<Int128>(check.venue.raw()) - (static_cast<Int128>(ours.total.raw()) + explained);
  int64_t raw = 0;
  if (absl::Status s = Narrow(explained, StrCat("balance ", ours.asset), &raw); !s.ok()) return s;
  check.explained = Amount::FromRaw(raw);
  if (absl::Status s = Narrow(unexplained, StrCat("balance ", ours.asset), &raw); !s.ok()) return s;
  check.unexplained = Amount::FromRaw(raw);
  check.is_break = Abs(unexplained) > check.tolerance.raw();
  if (check.is_break) {
    Break& b = ctx.result.breaks[ctx.AddBreak(v1::BREAK_TYPE_BALANCE_MISMATCH, std::nullopt)];
    b.asset = ours.asset;
    b.ours = check.ours.raw();
    b.venue = check.venue.raw();
    b.not_correctable_reason = "a balance moves only with the venue: a person finds the cause";
    b.explanation = StrCat("Balance of ", ours.asset, " is ", check.ours.ToString(), " here and ",
                           check.venue.ToString(), " at the venue (free + locked); ",
                           check.explained.ToString(), " is explained by other breaks and ",
                           check.unexplained.ToString(), " is not, beyond the tolerance ",
                           check.tolerance.ToString(), ".");
  }
  ctx.result.balances.push_back(std::move(check));
  return absl::OkStatus();
}

}  // namespace

absl::Status DiffHoldings(DiffContext& ctx) {
  std::map<InstrumentIndex, Quantity> ours;
  for (const OurPosition& p : ctx.input.ours.positions) ours.emplace(p.instrument, p.qty);
  std::vector<const PositionReference*> refs;
  for (const PositionReference& r : ctx.input.positions) refs.push_back(&r);
  std::sort(refs.begin(), refs.end(),
            [&ctx](const PositionReference* a, const PositionReference* b) {
              return ctx.Spec(a->instrument).id < ctx.Spec(b->instrument).id;
            });
  for (const PositionReference* r : refs) {
    if (absl::Status s = CheckPosition(ctx, *r, ours); !s.ok()) return s;
  }

  if (ctx.input.ours.balances.empty() || !ctx.input.venue.balances_listed) return absl::OkStatus();
  std::vector<const OurBalance*> balances;
  for (const OurBalance& b : ctx.input.ours.balances) balances.push_back(&b);
  std::sort(balances.begin(), balances.end(),
            [](const OurBalance* a, const OurBalance* b) { return a->asset < b->asset; });
  for (const OurBalance* b : balances) {
    if (absl::Status s = CheckBalance(ctx, *b); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void NoteNextCheckpoints(DiffContext& ctx) {
  std::map<InstrumentIndex, const PositionReference*> trade_refs;
  for (const PositionReference& r : ctx.input.positions) {
    if (r.basis == PositionBasis::kVenueTrades) trade_refs.emplace(r.instrument, &r);
  }
  for (const auto& [instrument, window] : ctx.windows) {
    NextCheckpoint next;
    next.instrument = instrument;
    next.checkpoint = window->checkpoint;
    // Everything before the in-flight boundary is settled; the next window
    // starts there, so a trade deferred now is compared next time.
    if (window->checkpoint.after_trade_id) {
      for (const WindowTrade& wt : ctx.trades) {
        if (wt.instrument == instrument && !ctx.InFlight(wt.trade->time)) {
          next.checkpoint.after_trade_id = std::max(*next.checkpoint.after_trade_id, wt.numeric_id);
        }
      }
    } else {
      next.checkpoint.since = std::max(window->checkpoint.since, ctx.in_flight_from);
    }
    auto ref = trade_refs.find(instrument);
    if (ref != trade_refs.end()) {
      const TradeCheckpoint bound = next.checkpoint;
      const Int128 position = PositionFromTrades(
          ctx, instrument, ref->second->position_at_checkpoint, [&bound](const WindowTrade& wt) {
            return !InWindow(bound, wt.trade->time, wt.numeric_id);
          });
      if (position <= fixed_point::kMaxRaw && position >= fixed_point::kMinRaw) {
        next.position = Quantity::FromRaw(static_cast<int64_t>(position));
        next.has_position = true;
      }
    }
    ctx.result.next_checkpoints.push_back(next);
  }
}

}  // namespace tradeplane::reconciliation::internal
