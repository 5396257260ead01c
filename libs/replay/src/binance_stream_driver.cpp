#include "binance_stream_driver.h"

#include <utility>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::replay {

namespace md = marketdata;

BinanceStreamDriver::BinanceStreamDriver(std::string_view feed_name, const FeedContext& context,
                                         md::BinanceMarket market, Venue venue)
    : feed_name_(feed_name), context_(context), market_(market), venue_(venue) {}

BinanceStreamDriver::Symbol* BinanceStreamDriver::Find(const std::string& symbol) {
  auto it = symbols_.find(symbol);
  if (it != symbols_.end()) return &it->second;
  std::optional<InstrumentIndex> index = context_.instruments->Find(venue_, symbol);
  if (!index) return nullptr;
  Symbol s;
  s.name = symbol;
  s.instrument = *index;
  Symbol& added = symbols_.emplace(symbol, std::move(s)).first->second;
  Restart(added, "", Timestamp());
  return &added;
}

void BinanceStreamDriver::Restart(Symbol& symbol, std::string_view reason, Timestamp now) {
  md::BinanceBookSyncOptions o;
  o.market = market_;
  o.symbol = symbol.name;
  o.book.instrument = symbol.instrument;
  o.book.tick_size = context_.instruments->at(symbol.instrument).tick_size;
  symbol.sync = std::make_unique<md::BinanceBookSync>(o);
  if (!reason.empty()) context_.engine->OnSourceResync(symbol.instrument, reason, now);
}

void BinanceStreamDriver::OnSnapshot(const md::BinanceDepthSnapshot& snapshot) {
  Symbol* sym = Find(snapshot.symbol);
  if (sym == nullptr) return;
  absl::Status s = sym->sync->OnSnapshot(snapshot);
  if (!s.ok()) {
    Bad(StrCat("snapshot of ", snapshot.symbol), ToStd(s.message()));
    return;
  }
  PublishBook(*sym, snapshot.receive_time);
}

void BinanceStreamDriver::PublishBook(Symbol& sym, Timestamp receive_time) {
  const md::OrderBook& book = sym.sync->book();
  bids_.resize(book.Depth(md::BookSide::kBid));
  asks_.resize(book.Depth(md::BookSide::kAsk));
  bids_.resize(book.TopLevels(md::BookSide::kBid, bids_));
  asks_.resize(book.TopLevels(md::BookSide::kAsk, asks_));
  absl::Status s = context_.engine->OnBookSnapshot(
      sym.instrument, bids_, asks_, sym.sync->last_update_id(), book.exchange_time(), receive_time);
  if (!s.ok()) Bad("book snapshot", ToStd(s.message()));
}

void BinanceStreamDriver::OnDepthUpdate(const md::BinanceFrame& frame,
                                        absl::FunctionRef<std::string()> where) {
  Symbol* sym = Find(frame.depth.symbol);
  if (sym == nullptr) return Unknown(frame.depth.symbol, where);
  bool was_synced = !sym->sync->needs_snapshot();
  absl::StatusOr<md::SyncAction> a = sym->sync->OnDepthUpdate(frame.depth);
  if (!a.ok()) {
    if (a.status().code() == absl::StatusCode::kDataLoss) {
      ++gaps_;
      context_.engine->OnSourceResync(sym->instrument, ToStd(a.status().message()),
                                      frame.receive_time);
    } else {
      Bad(where(), ToStd(a.status().message()));
    }
    return;
  }
  if (*a != md::SyncAction::kApplied) return;
  if (!was_synced) {
    // The first update joined to a snapshot: the book the engine has is the
    // snapshot's; send the joined book whole.
    PublishBook(*sym, frame.receive_time);
    return;
  }
  absl::Status s = context_.engine->OnBookDelta(
      sym->instrument, frame.depth.bids, frame.depth.asks, frame.depth.first_update_id,
      frame.depth.final_update_id, frame.depth.event_time, frame.receive_time);
  if (!s.ok()) Bad(where(), ToStd(s.message()));
}

void BinanceStreamDriver::OnFrame(const md::BinanceFrame& frame,
                                  absl::FunctionRef<std::string()> where) {
  switch (frame.kind) {
    case md::BinanceEventKind::kDepthUpdate:
      return OnDepthUpdate(frame, where);
    case md::BinanceEventKind::kBookTicker: {
      Symbol* sym = Find(frame.book_ticker.symbol);
      if (sym == nullptr) return Unknown(frame.book_ticker.symbol, where);
      absl::Status s = context_.engine->OnQuote(
          md::ToQuote(frame.book_ticker, sym->instrument, frame.receive_time));
      if (!s.ok()) Bad(where(), ToStd(s.message()));
      return;
    }
    case md::BinanceEventKind::kAggTrade: {
      Symbol* sym = Find(frame.agg_trade.symbol);
      if (sym == nullptr) return Unknown(frame.agg_trade.symbol, where);
      absl::Status s = context_.engine->OnTrade(
          md::ToTrade(frame.agg_trade, sym->instrument, frame.receive_time));
      if (!s.ok()) Bad(where(), ToStd(s.message()));
      return;
    }
    case md::BinanceEventKind::kTrade: {
      Symbol* sym = Find(frame.trade.symbol);
      if (sym == nullptr) return Unknown(frame.trade.symbol, where);
      absl::Status s =
          context_.engine->OnTrade(md::ToTrade(frame.trade, sym->instrument, frame.receive_time));
      if (!s.ok()) Bad(where(), ToStd(s.message()));
      return;
    }
    case md::BinanceEventKind::kKline:  // bars are built from trades
    case md::BinanceEventKind::kNone:
      return;
  }
}

void BinanceStreamDriver::Unknown(const std::string& symbol,
                                  absl::FunctionRef<std::string()> where) {
  // Reported once per symbol: a stream often carries more than we trade.
  if (unknown_.insert(symbol).second) {
    Bad(where(), StrCat("symbol ", symbol, " on ", ShortEnumName(venue_),
                        " is not a configured instrument (skipped from now on)"));
  }
}

}  // namespace tradeplane::replay
