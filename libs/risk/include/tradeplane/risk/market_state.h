// What risk knows of the market: per instrument the top of book, the best
// levels of the book (for market orders), the last trade price, and when any
// of it was last received. Updates copy into storage reserved up front, so
// no update allocates after construction.
#ifndef TRADEPLANE_RISK_MARKET_STATE_H_
#define TRADEPLANE_RISK_MARKET_STATE_H_

#include <optional>
#include <span>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/risk/v1/risk.pb.h"

namespace tradeplane::risk {

struct InstrumentMarket {
  // Top of book; a zero price is an empty side.
  Price bid_price;
  Quantity bid_qty;
  Price ask_price;
  Quantity ask_qty;
  Price last_price;  // zero until the first trade
  // Receive time of the latest quote, book or trade; zero = never.
  Timestamp last_update;
  // The feed reported itself down (md.status); cleared by the next update.
  bool feed_down = false;
  // Best levels first, as of the last book update. Until the first one, the
  // quote's top level stands in for the book.
  std::vector<marketdata::BookLevel> bids;
  std::vector<marketdata::BookLevel> asks;

  bool has_bid() const { return bid_price.is_positive(); }
  bool has_ask() const { return ask_price.is_positive(); }
  bool has_update() const { return !last_update.is_zero(); }
  // Both sides present and the bid at or above the ask.
  bool Crossed() const { return has_bid() && has_ask() && bid_price >= ask_price; }
  // (bid + ask) / 2, half-even; nullopt when a side is empty.
  std::optional<Price> Mid() const;
  std::optional<Price> Reference(v1::ReferencePrice kind) const;
  // The levels a market order on `side` takes (asks for a buy), best first.
  std::span<const marketdata::BookLevel> LevelsTakenBy(Side side) const;

 private:
  friend class MarketState;
  marketdata::BookLevel top_bid_;  // the quote as a one-level book
  marketdata::BookLevel top_ask_;
  bool has_book_ = false;
};

class MarketState {
 public:
  // Levels kept per side; deeper levels are dropped (a market order then
  // sees less depth than there is: refused rather than approved).
  static constexpr size_t kMaxDepthLevels = 32;

  explicit MarketState(size_t instrument_count);

  // `received` is when the service received the event (its clock). Events for
  // an instrument outside the table are ignored.
  void OnQuote(const marketdata::Quote& quote, Timestamp received);
  void OnBook(const marketdata::BookView& book, Timestamp received);
  void OnTrade(const marketdata::Trade& trade, Timestamp received);
  void OnFeedDown(InstrumentIndex instrument);

  size_t size() const { return instruments_.size(); }
  const InstrumentMarket& at(InstrumentIndex instrument) const { return instruments_[instrument]; }

 private:
  std::vector<InstrumentMarket> instruments_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_MARKET_STATE_H_
