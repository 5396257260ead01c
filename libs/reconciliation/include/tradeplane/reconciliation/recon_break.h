// A break: one difference between our books and the venue's, typed with the
// contract's BreakType, explained in one sentence with the numbers and ids,
// and carrying what a correction would need.
#ifndef TRADEPLANE_RECONCILIATION_RECON_BREAK_H_
#define TRADEPLANE_RECONCILIATION_RECON_BREAK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/reconciliation/recon_input.h"
#include "tradeplane/reconciliation/v1/reconciliation.pb.h"

namespace tradeplane::reconciliation {

using BreakType = v1::BreakType;

struct Break {
  BreakType type = v1::BREAK_TYPE_UNSPECIFIED;
  std::optional<InstrumentIndex> instrument;  // none for BALANCE_MISMATCH
  InstrumentId instrument_id;                 // the instrument's id, for output
  std::string asset;                          // BALANCE_MISMATCH
  std::string client_order_id;
  std::string venue_order_id;
  std::string venue_trade_id;
  std::vector<std::string> fill_ids;  // our fills involved, sorted

  // Ours vs the venue's value at the 1e-9 scale: quantities for order, fill
  // and position breaks, amounts for balance breaks (what each type puts here
  // is tabled in docs/reference/reconciliation.md).
  int64_t ours = 0;
  int64_t venue = 0;
  // Order breaks: the two statuses. A deduced venue status (from the trades,
  // the order no longer being open) is FILLED or, for "closed with a
  // remainder", CANCELED (the venue may have said EXPIRED).
  OrderStatus ours_status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  OrderStatus venue_status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  bool venue_status_deduced = false;

  std::string explanation;  // one sentence, with the numbers and ids

  // Whether the diff found a safe correction for it. False, with the reason,
  // when the facts are ambiguous or a correction would contradict them: the
  // policy then leaves it unresolved whatever it is configured to do.
  bool correctable = false;
  std::string not_correctable_reason;
  // What a correction needs, when correctable:
  orders::v1::Fill fill_to_ingest;        // MISSED_FILL (source RECONCILIATION)
  orders::v1::Order corrected_order;      // STATUS_MISMATCH: the venue's status and filled quantity
  std::optional<VenueOrder> venue_order;  // UNKNOWN_VENUE_ORDER of an order open at the venue

  // Names the same break across runs: type, instrument, asset and ids
  // ("MISSED_FILL|BINANCE.SUSHIUSDT||c-1|987|1234").
  std::string Key() const;
};

// A comparison left for the next run because its facts may still be moving
// (within the in-flight grace of the venue snapshot).
struct DeferredCheck {
  std::string subject;  // "order c-1", "trade BINANCE.SUSHIUSDT 1234", "balance USDT", ...
  std::string reason;

  friend bool operator==(const DeferredCheck&, const DeferredCheck&) = default;
};

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_RECON_BREAK_H_
