// DiffBooks compares our books with the venue's answer and lists the breaks.
// Pure: no I/O, no clock (the snapshot's as_of is the only time it uses).
//
// The rules, in full in docs/reference/reconciliation.md:
//  - A partial venue answer fails the diff (failed = true, no break at all):
//    nothing may be concluded, let alone corrected, from half the facts.
//  - In flight: a fact at or after (as_of - in_flight_grace) may still be on
//    its way (an ack, a fill report, a new order); it is deferred to the next
//    run, never reported: an order updated then, an order with a trade or a
//    fill then, such a trade or fill alone, a venue order created then, and
//    a balance of an asset that such a trade or fill touches.
//  - Fills are matched to venue trades by (instrument, venue trade id) inside
//    each instrument's trade window. A venue trade of one of our orders
//    without a fill: MISSED_FILL. Two fills for one trade, or more quantity
//    than the trade, or a fill the venue does not list: DUPLICATE_FILL.
//  - Orders: the venue's view of each of our orders comes from its open
//    orders, else from a lookup, else (when the open list covers the
//    instrument) it is deduced from the trade window: no longer open and
//    filled to its quantity is FILLED, else closed (CANCELED). Filled
//    quantities that disagree beyond what the fill breaks explain:
//    FILLED_QTY_MISMATCH; statuses that disagree once the missed fills are
//    applied: STATUS_MISMATCH; open here but the venue's view cannot be
//    established: MISSING_VENUE_ORDER. A venue order (open, or only traded)
//    that matches none of ours: UNKNOWN_VENUE_ORDER.
//  - Positions and balances: ours plus what the fill and order breaks (and
//    deferred trades) explain, against the venue's; what remains is
//    POSITION_MISMATCH (exact for the trades basis, within the base asset's
//    tolerance for the balance basis) or BALANCE_MISMATCH (beyond the asset's
//    tolerance).
//  - Breaks are sorted by (type, instrument, asset, client order id, venue
//    order id, venue trade id, fill ids): the same facts in any order give
//    the same list, word for word.
//
// Cost: O(n log n) in the orders, fills and trades given (a periodic run,
// not a hot path: maps keyed by id, no per-event work).
#ifndef TRADEPLANE_RECONCILIATION_DIFF_H_
#define TRADEPLANE_RECONCILIATION_DIFF_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/recon_break.h"
#include "tradeplane/reconciliation/recon_input.h"

#include "absl/status/statusor.h"

namespace tradeplane::reconciliation {

struct DiffOptions {
  // How far before the venue snapshot a fact counts as in flight (>= 0).
  // Covers the venue's own latency, our store's, and clock skew between the
  // venue's execution times and our clock.
  Duration in_flight_grace{0};
  // Per asset: the difference a balance (or a balance-based position) may
  // show without a break (fees, dust). Assets not listed use the default.
  std::map<std::string, Amount, std::less<>> balance_tolerance;
  Amount default_balance_tolerance;

  Amount ToleranceFor(std::string_view asset) const;
};

// One instrument's position comparison (break or not).
struct PositionCheck {
  InstrumentIndex instrument = 0;
  InstrumentId instrument_id;
  PositionBasis basis = PositionBasis::kVenueTrades;
  Quantity ours;
  Quantity venue;
  Quantity explained;    // by the fill and order breaks and deferred trades and fills
  Quantity unexplained;  // venue - (ours + explained)
  Amount tolerance;      // zero for the trades basis
  bool deferred = false;
  bool is_break = false;
};

// One asset's balance comparison (break or not).
struct BalanceCheck {
  std::string asset;
  Amount ours;
  Amount venue;  // free + locked
  Amount explained;
  Amount unexplained;
  Amount tolerance;
  bool deferred = false;
  bool is_break = false;
};

// Where the next run may start for one instrument: valid when this run left
// nothing unresolved. The checkpoint is the in-flight boundary (as_of -
// grace), or the last trade id before it; the position is the venue's
// (position at the checkpoint + the trades before the new checkpoint).
struct NextCheckpoint {
  InstrumentIndex instrument = 0;
  TradeCheckpoint checkpoint;
  Quantity position;  // set when the instrument has a kVenueTrades reference
  bool has_position = false;
};

struct DiffResult {
  bool failed = false;
  std::string failure_reason;
  Timestamp as_of;

  std::vector<Break> breaks;             // sorted (see above)
  std::vector<DeferredCheck> deferred;   // sorted by subject
  std::vector<PositionCheck> positions;  // by instrument id
  std::vector<BalanceCheck> balances;    // by asset
  std::vector<NextCheckpoint> next_checkpoints;

  // Distinct orders (ours and the venue's) whose state was compared, and
  // distinct executions (venue trades and our fills, by venue trade id)
  // compared; deferred ones are not counted.
  uint32_t orders_compared = 0;
  uint32_t fills_compared = 0;
};

// Errors (InvalidArgument) are the caller's: inputs that break the contract
// above (an instrument outside the table, two orders with one client order
// id, a fill without a venue trade id, a kVenueTrades position without a
// trade window, a negative grace or tolerance...). A venue answer that is
// partial or contradicts itself is not an error: it is a failed diff.
absl::StatusOr<DiffResult> DiffBooks(const ReconInput& input, const InstrumentTable& instruments,
                                     const DiffOptions& options);

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_DIFF_H_
