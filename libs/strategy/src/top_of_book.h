// The best bid and ask a strategy acts on, from a Quote or a BookView, and
// the checks that make it usable (private to the library).
#ifndef TRADEPLANE_STRATEGY_SRC_TOP_OF_BOOK_H_
#define TRADEPLANE_STRATEGY_SRC_TOP_OF_BOOK_H_

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/status.h"

namespace tradeplane::strategy {

struct TopOfBook {
  InstrumentIndex instrument = 0;
  Price bid;  // zero when the side is empty
  Quantity bid_qty;
  Price ask;
  Quantity ask_qty;
  Timestamp time;  // the exchange's time, or our receive time when it gave none

  // (bid + ask) / 2 in double, for indicators.
  double mid() const { return (bid.ToDouble() + ask.ToDouble()) / 2; }
};

TopOfBook FromQuote(const marketdata::Quote& quote);
TopOfBook FromBook(const marketdata::BookView& book);

// OK when usable; otherwise one sentence saying why not: an empty side, a
// price that is not positive, a crossed or locked book, or data older than
// `max_age` at `now`.
absl::Status CheckTopOfBook(const TopOfBook& top, Timestamp now, Duration max_age,
                            int price_decimals);

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_SRC_TOP_OF_BOOK_H_
