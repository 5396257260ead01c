// VenueReader: the venue's side of one run, through the venue adapter (every
// signed request signed by the signer service): open orders, the trades of
// each instrument since its checkpoint (every page), and lookups of our open
// orders the open list lacks. Any error, timeout, unparseable answer or page
// limit makes the snapshot incomplete with the reason: the diff then fails
// and nothing is resolved from half the facts.
//
// Rate limits: one request at a time, no retry inside a run (a failed run is
// retried by the next one); a 429/418's Retry-After is returned so the
// service holds the next run until then. A run costs 1 open-orders request,
// one myTrades page per 1000 trades per instrument in scope, one account
// request when balances are reconciled, and one order lookup per open order
// of ours the venue does not list.
#ifndef TRADEPLANE_SERVICES_RECONCILER_VENUE_READER_H_
#define TRADEPLANE_SERVICES_RECONCILER_VENUE_READER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/execution/venue.h"
#include "tradeplane/reconciliation/recon_input.h"

#include "absl/status/status.h"

namespace tradeplane::reconciler {

class VenueReader {
 public:
  VenueReader(execution::Venue& venue, const InstrumentTable& instruments)
      : venue_(venue), instruments_(instruments) {}

  // Open orders of every instrument, and the trade window of each instrument
  // in `after_trade_id` (a trade-id checkpoint; 0 = from the first trade)
  // and of each instrument with an open order (from 0 when not listed).
  // Stops at the first failure (the snapshot is then incomplete).
  // With `balances`, also the account's balances (GET /api/v3/account).
  reconciliation::VenueSnapshot Read(Timestamp as_of,
                                     std::map<InstrumentIndex, uint64_t> after_trade_id,
                                     bool balances);

  // Adds a definitive lookup of each order to `snapshot` (found, or "the
  // venue has no such order"); marks it incomplete on any other answer.
  void LookUp(const std::vector<reconciliation::OurOrder>& orders,
              reconciliation::VenueSnapshot& snapshot);

  // The venue's Retry-After of the last 429/418 (0 when none), and the
  // requests made, for metrics.
  int64_t retry_after_ms() const { return retry_after_ms_; }
  uint64_t requests() const { return requests_; }

 private:
  // Marks the snapshot incomplete with `what` and the error; records a
  // Retry-After.
  void Fail(reconciliation::VenueSnapshot& snapshot, std::string what, const absl::Status& error);

  execution::Venue& venue_;
  const InstrumentTable& instruments_;
  int64_t retry_after_ms_ = 0;
  uint64_t requests_ = 0;
};

reconciliation::VenueOrder ToReconOrder(const execution::VenueOrder& order);
reconciliation::VenueTrade ToReconTrade(const Fill& fill);

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_VENUE_READER_H_
