// The working state of one DiffBooks call, shared by its stages (private).
//
// Stages, in order: ValidateInput (the caller's contract), IndexVenueAnswer
// (de-duplicate the venue's answer, or fail the diff), LinkBooks (which
// venue order and trade belongs to which of our orders), DiffFills,
// DiffOrders, DiffHoldings (positions and balances), NoteNextCheckpoints.
// A stage that finds the venue's answer unusable sets `failure` and returns
// OK; DiffBooks then returns a failed result with no breaks.
#ifndef TRADEPLANE_RECONCILIATION_SRC_DIFF_CONTEXT_H_
#define TRADEPLANE_RECONCILIATION_SRC_DIFF_CONTEXT_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/recon_input.h"

#include "absl/status/status.h"

namespace tradeplane::reconciliation::internal {

using fixed_point::Int128;

// An id the venue makes unique per instrument (Binance's order and trade ids
// are per symbol).
struct IdKey {
  InstrumentIndex instrument = 0;
  std::string_view id;
  friend auto operator<=>(const IdKey&, const IdKey&) = default;
  friend bool operator==(const IdKey&, const IdKey&) = default;
};

enum class TradeLink : uint8_t { kOurs, kUnknownOpen, kOrphan };

// A venue trade inside its instrument's window, and whose order it is.
struct WindowTrade {
  InstrumentIndex instrument = 0;
  const VenueTrade* trade = nullptr;
  TradeLink link = TradeLink::kOrphan;
  size_t index = 0;         // our order (kOurs) or unknown venue order (kUnknownOpen)
  uint64_t numeric_id = 0;  // for trade-id checkpoints
};

// What the diff learns about one of our orders (same index as ours.orders).
struct OrderFacts {
  std::string venue_order_id;  // ours, or the venue's when we lack it
  const VenueOrder* open_at_venue = nullptr;
  const VenueOrderLookup* lookup = nullptr;
  Int128 linked_trade_qty = 0;  // venue trades in the window on it
  int linked_trades = 0;
  Int128 window_fill_qty = 0;  // our fills of it inside the window
  // Sum over its fill-level breaks of (venue trade qty - our fills' qty).
  Int128 explained_qty = 0;
  Int128 missed_qty = 0;              // whole venue trades we hold no fill for
  std::vector<size_t> missed_breaks;  // indices into result.breaks
  // Every fill of it we hold, plus the trades we miss: for the average price
  // of a status correction (price.raw * qty.raw, scale 1e-18).
  Int128 known_fill_qty = 0;
  Int128 known_fill_notional_e18 = 0;
  // A fill break of it that no correction resolves (a duplicate, a partial
  // or unfitting missed fill): its fills are in question, so its status is
  // not corrected either.
  bool fill_dispute = false;
  bool in_flight = false;
  std::string in_flight_reason;
};

// A venue open order that matches none of ours.
struct UnknownOrder {
  const VenueOrder* order = nullptr;
  Int128 window_trade_qty = 0;
  int window_trades = 0;
};

// Executions on a venue order that is neither ours nor open.
struct OrphanGroup {
  Int128 qty = 0;
  int trades = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  bool mixed_sides = false;
};

struct DiffContext {
  DiffContext(const ReconInput& in, const InstrumentTable& table, const DiffOptions& opts)
      : input(in),
        instruments(table),
        options(opts),
        in_flight_from(in.venue.as_of - opts.in_flight_grace) {}

  const ReconInput& input;
  const InstrumentTable& instruments;
  const DiffOptions& options;
  const Timestamp in_flight_from;  // facts at or after this are in flight

  std::string failure;  // set: the venue's answer cannot be used

  // The venue's answer, de-duplicated.
  std::vector<const VenueOrder*> open_orders;
  std::map<std::string_view, const VenueOrderLookup*> lookups;
  std::map<InstrumentIndex, const VenueTradeWindow*> windows;
  std::vector<WindowTrade> trades;
  std::map<IdKey, size_t> trade_by_id;
  std::map<std::string, Amount, std::less<>> venue_balances;

  // Our side.
  std::map<std::string_view, size_t> order_by_client;
  std::map<IdKey, size_t> order_by_venue_id;
  std::vector<OrderFacts> orders;
  std::map<IdKey, std::vector<size_t>> fills_by_trade;  // our fills inside a window

  std::vector<UnknownOrder> unknown_orders;
  std::map<IdKey, size_t> unknown_by_venue_id;
  std::map<IdKey, OrphanGroup> orphans;                     // not in flight
  std::set<std::pair<InstrumentIndex, Side>> orphan_sides;  // any orphan trade, in flight or not

  // What the fill and order breaks and deferred executions explain of a
  // position or balance difference (venue minus ours).
  std::map<InstrumentIndex, Int128> position_explained;
  std::map<std::string, Int128, std::less<>> balance_explained;
  std::set<InstrumentIndex> instruments_in_flight;
  std::set<std::string, std::less<>> assets_in_flight;

  DiffResult result;

  bool InFlight(Timestamp t) const { return t >= in_flight_from; }
  bool OpenListCovers(InstrumentIndex instrument) const;
  const InstrumentSpec& Spec(InstrumentIndex instrument) const {
    return instruments.at(instrument);
  }
  std::string InstrumentText(InstrumentIndex instrument) const {
    return instruments.at(instrument).id.ToString();
  }
  // Adds `sign` times what one execution does to our position and balances
  // to the explained differences (+1: the venue has it and we do not).
  absl::Status AddExecutionEffect(InstrumentIndex instrument, Side side, Price price, Quantity qty,
                                  Amount fee, std::string_view fee_asset, int sign);
  // An execution in flight: its instrument's and assets' checks wait.
  void MarkInFlight(InstrumentIndex instrument, std::string_view fee_asset);
  void Defer(std::string subject, std::string reason);
  // A new break with the instrument's ids filled in; returns its index.
  size_t AddBreak(v1::BreakType type, std::optional<InstrumentIndex> instrument);
};

absl::Status ValidateInput(const ReconInput& input, const InstrumentTable& instruments,
                           const DiffOptions& options);
absl::Status ValidatePositionReferences(const DiffContext& ctx);
absl::Status IndexVenueAnswer(DiffContext& ctx);
absl::Status LinkBooks(DiffContext& ctx);
absl::Status DiffFills(DiffContext& ctx);
absl::Status DiffOrders(DiffContext& ctx);
absl::Status DiffHoldings(DiffContext& ctx);
void NoteNextCheckpoints(DiffContext& ctx);

// ---- small shared helpers

// Numeric trade ids (trade-id checkpoints); nullopt when not a plain number.
std::optional<uint64_t> ParseTradeId(std::string_view id);
bool InWindow(const TradeCheckpoint& checkpoint, Timestamp time, uint64_t numeric_id);

// Checked narrowing of a 128-bit sum back to the 1e-9 scale.
absl::Status Narrow(Int128 value, std::string_view what, int64_t* out);
// Exact decimal text of a raw 1e-9 value (a sum that does not fit prints as
// "(out of range)"; Narrow reports it as an error first).
std::string Decimal(Int128 raw);
std::string_view SideName(Side side);
std::string_view StatusName(OrderStatus status);
bool IsOpenStatus(OrderStatus status);

}  // namespace tradeplane::reconciliation::internal

#endif  // TRADEPLANE_RECONCILIATION_SRC_DIFF_CONTEXT_H_
