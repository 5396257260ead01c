// BinanceStreamDriver: what both Binance feeds (the recording replay and the
// live WebSocket connection) do with parsed frames and REST depth snapshots:
// one BinanceBookSync per symbol (Binance's documented local-book procedure),
// books published to the MarketDataEngine as snapshots once synced and as
// deltas after that, quotes from bookTicker, trades from trade and aggTrade.
// The feeds differ only in where frames and snapshots come from and when.
//
// A sequence gap puts the symbol's sync in kNeedsResync and the engine's
// instrument in RESYNCING; the caller provides the next snapshot (the replay
// from its snapshot log, the live feed from REST).
//
// Single-threaded (the feed's Step). Allocation-free per frame after warm-up,
// except when a symbol is first seen and while a sync buffers updates.
#ifndef TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_DRIVER_H_
#define TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_DRIVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/marketdata/binance_book_sync.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/replay/feed.h"

#include "absl/functional/function_ref.h"

namespace tradeplane::replay {

class BinanceStreamDriver {
 public:
  struct Symbol {
    std::string name;  // as Binance spells it: "BTCUSDT"
    InstrumentIndex instrument = 0;
    std::unique_ptr<marketdata::BinanceBookSync> sync;
  };

  // `feed_name` must outlive the driver (it names the feed in reports).
  BinanceStreamDriver(std::string_view feed_name, const FeedContext& context,
                      marketdata::BinanceMarket market, Venue venue);

  // The symbol's state, created on first use; null when the symbol is not a
  // configured instrument of the venue (frames of such symbols are reported
  // once each by OnFrame).
  Symbol* Find(const std::string& symbol);

  // Applies a REST snapshot and publishes the book when it joined the
  // stream. A snapshot that does not join (older than the buffered updates)
  // is reported and leaves the symbol awaiting another one.
  void OnSnapshot(const marketdata::BinanceDepthSnapshot& snapshot);
  // Applies one parsed stream frame. `where` names it in reports (called only
  // when there is something to report).
  void OnFrame(const marketdata::BinanceFrame& frame, absl::FunctionRef<std::string()> where);
  // Starts the symbol's book over: a fresh sync awaiting a snapshot (its
  // buffer emptied), the engine's instrument RESYNCING for `reason`. Used
  // after a reconnect: updates from the old connection cannot be joined to
  // a snapshot taken for the new one.
  void Restart(Symbol& symbol, std::string_view reason, Timestamp now);

  std::map<std::string, Symbol>& symbols() { return symbols_; }
  marketdata::BinanceMarket market() const { return market_; }
  Venue venue() const { return venue_; }
  // Sequence gaps seen in depth streams (each put a symbol into resync).
  uint64_t gaps() const { return gaps_; }

 private:
  void PublishBook(Symbol& symbol, Timestamp receive_time);
  void OnDepthUpdate(const marketdata::BinanceFrame& frame, absl::FunctionRef<std::string()> where);
  void Unknown(const std::string& symbol, absl::FunctionRef<std::string()> where);
  void Bad(std::string_view where, std::string_view why) {
    context_.bad_input(feed_name_, where, why);
  }

  std::string_view feed_name_;
  FeedContext context_;
  marketdata::BinanceMarket market_;
  Venue venue_;
  std::map<std::string, Symbol> symbols_;
  std::set<std::string> unknown_;
  std::vector<marketdata::BookLevel> bids_;
  std::vector<marketdata::BookLevel> asks_;
  uint64_t gaps_ = 0;
};

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_DRIVER_H_
