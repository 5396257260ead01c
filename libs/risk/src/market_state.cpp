#include "tradeplane/risk/market_state.h"

#include <algorithm>

namespace tradeplane::risk {

std::optional<Price> InstrumentMarket::Mid() const {
  if (!has_bid() || !has_ask()) return std::nullopt;
  // The sum of two in-range prices fits in 128 bits; half of it fits in 64.
  fixed_point::Int128 sum = static_cast<fixed_point::Int128>(bid_price.raw()) + ask_price.raw();
  absl::StatusOr<int64_t> mid = fixed_point::DivideRounded(sum, 2, Rounding::kHalfEven);
  if (!mid.ok()) return std::nullopt;
  return Price::FromRaw(*mid);
}

std::optional<Price> InstrumentMarket::Reference(v1::ReferencePrice kind) const {
  switch (kind) {
    case v1::REFERENCE_PRICE_MID:
      return Mid();
    case v1::REFERENCE_PRICE_LAST:
      if (last_price.is_positive()) return last_price;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::span<const marketdata::BookLevel> InstrumentMarket::LevelsTakenBy(Side side) const {
  bool buy = side == common::v1::SIDE_BUY;
  if (has_book_) return buy ? std::span(asks) : std::span(bids);
  if (buy) return has_ask() ? std::span(&top_ask_, 1) : std::span<const marketdata::BookLevel>();
  return has_bid() ? std::span(&top_bid_, 1) : std::span<const marketdata::BookLevel>();
}

MarketState::MarketState(size_t instrument_count) : instruments_(instrument_count) {
  for (InstrumentMarket& m : instruments_) {
    m.bids.reserve(kMaxDepthLevels);
    m.asks.reserve(kMaxDepthLevels);
  }
}

void MarketState::OnQuote(const marketdata::Quote& quote, Timestamp received) {
  if (quote.instrument >= instruments_.size()) return;
  InstrumentMarket& m = instruments_[quote.instrument];
  m.bid_price = quote.bid_price;
  m.bid_qty = quote.bid_qty;
  m.ask_price = quote.ask_price;
  m.ask_qty = quote.ask_qty;
  m.top_bid_ = {quote.bid_price, quote.bid_qty};
  m.top_ask_ = {quote.ask_price, quote.ask_qty};
  m.last_update = received;
  m.feed_down = false;
}

void MarketState::OnBook(const marketdata::BookView& book, Timestamp received) {
  if (book.instrument >= instruments_.size()) return;
  InstrumentMarket& m = instruments_[book.instrument];
  size_t n_bids = std::min(book.bids.size(), kMaxDepthLevels);
  size_t n_asks = std::min(book.asks.size(), kMaxDepthLevels);
  m.bids.assign(book.bids.begin(), book.bids.begin() + static_cast<ptrdiff_t>(n_bids));
  m.asks.assign(book.asks.begin(), book.asks.begin() + static_cast<ptrdiff_t>(n_asks));
  m.has_book_ = true;
  m.bid_price = n_bids > 0 ? m.bids[0].price : Price::Zero();
  m.bid_qty = n_bids > 0 ? m.bids[0].qty : Quantity::Zero();
  m.ask_price = n_asks > 0 ? m.asks[0].price : Price::Zero();
  m.ask_qty = n_asks > 0 ? m.asks[0].qty : Quantity::Zero();
  m.top_bid_ = {m.bid_price, m.bid_qty};
  m.top_ask_ = {m.ask_price, m.ask_qty};
  m.last_update = received;
  m.feed_down = false;
}

void MarketState::OnTrade(const marketdata::Trade& trade, Timestamp received) {
  if (trade.instrument >= instruments_.size()) return;
  InstrumentMarket& m = instruments_[trade.instrument];
  if (trade.price.is_positive()) m.last_price = trade.price;
  m.last_update = received;
  m.feed_down = false;
}

void MarketState::OnFeedDown(InstrumentIndex instrument) {
  if (instrument >= instruments_.size()) return;
  instruments_[instrument].feed_down = true;
}

}  // namespace tradeplane::risk
