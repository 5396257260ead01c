#include "top_of_book.h"

#include "tradeplane/core/str_cat.h"

#include "reason_text.h"

namespace tradeplane::strategy {

TopOfBook FromQuote(const marketdata::Quote& quote) {
  return TopOfBook{
      quote.instrument, quote.bid_price,
      quote.bid_qty,    quote.ask_price,
      quote.ask_qty,    quote.exchange_time.is_zero() ? quote.receive_time : quote.exchange_time};
}

TopOfBook FromBook(const marketdata::BookView& book) {
  TopOfBook top;
  top.instrument = book.instrument;
  if (!book.bids.empty()) {
    top.bid = book.bids.front().price;
    top.bid_qty = book.bids.front().qty;
  }
  if (!book.asks.empty()) {
    top.ask = book.asks.front().price;
    top.ask_qty = book.asks.front().qty;
  }
  top.time = book.exchange_time;
  return top;
}

absl::Status CheckTopOfBook(const TopOfBook& top, Timestamp now, Duration max_age,
                            int price_decimals) {
  if (!top.bid.is_positive() || !top.bid_qty.is_positive()) {
    return absl::FailedPreconditionError(StrCat("no usable bid (price ", top.bid.ToString(),
                                                ", quantity ", top.bid_qty.ToString(), ")"));
  }
  if (!top.ask.is_positive() || !top.ask_qty.is_positive()) {
    return absl::FailedPreconditionError(StrCat("no usable ask (price ", top.ask.ToString(),
                                                ", quantity ", top.ask_qty.ToString(), ")"));
  }
  if (top.bid >= top.ask) {
    return absl::FailedPreconditionError(StrCat(top.bid == top.ask ? "locked" : "crossed",
                                                " book: bid ", top.bid.ToString(price_decimals),
                                                " >= ask ", top.ask.ToString(price_decimals)));
  }
  const Duration age = now - top.time;
  if (age > max_age) {
    return absl::FailedPreconditionError(StrCat("stale market data: ", Seconds(age), " old at ",
                                                FormatRfc3339(now), " (max ", Seconds(max_age),
                                                ")"));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::strategy
