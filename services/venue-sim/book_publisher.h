// What the simulator publishes of one instrument's book: the depth stream
// (depthUpdate with consecutive update ids), the bookTicker stream and the
// REST depth snapshot, all from one mirror so they agree by construction.
//
// The book a client sees is the matching engine's: at each price, the
// replayed quantity still available (displayed minus what our orders
// consumed) plus our resting orders' remaining quantity. After every engine
// call the caller marks the prices that call could have changed (the replay's
// levels, the prices of the orders and fills it reported); Publish compares
// the engine's levels with the mirror down to the deepest marked price and
// sends the differences as one depthUpdate with the next update id. So a
// client that follows Binance's local-book procedure (buffer the stream, take
// GET /api/v3/depth, drop u <= lastUpdateId, apply from the update that
// straddles it) holds exactly this mirror.
//
// Cost: O(levels down to the deepest changed price) per publish, plus one
// vector from MatchingEngine::Depth (the engine has no per-price view).
// Thread-compatible.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_BOOK_PUBLISHER_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_BOOK_PUBLISHER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/matching/matching_engine.h"

namespace tradeplane::venue_sim {

class BookPublisher {
 public:
  explicit BookPublisher(std::string symbol) : symbol_(std::move(symbol)) {}

  // A price whose level the last engine call may have changed (either side).
  void Touch(Price price);
  // Compare every level next time (after a snapshot or a cleared book).
  void TouchAll() { all_ = true; }

  struct Frames {
    std::string depth;   // empty when the book did not change
    std::string ticker;  // empty when the top of the book did not change
  };
  // Brings the mirror up to the engine's book; `now` is the event time (E).
  void Publish(const matching::MatchingEngine& engine, Timestamp now, Frames* frames);

  // The last update id sent (lastUpdateId of a snapshot taken now).
  uint64_t last_update_id() const { return update_id_; }
  // The best `limit` levels per side, best first: (price, quantity) raw.
  void Snapshot(size_t limit, std::vector<std::pair<int64_t, int64_t>>* bids,
                std::vector<std::pair<int64_t, int64_t>>* asks) const;
  size_t levels(bool bids) const { return bids ? bids_.size() : asks_.size(); }

 private:
  // Best price first: descending for bids, ascending for asks.
  struct BestFirst {
    bool bids = true;
    bool operator()(int64_t a, int64_t b) const { return bids ? a > b : a < b; }
  };
  using Ladder = std::map<int64_t, int64_t, BestFirst>;
  // Appends the changed levels of one side to `changes` and applies them.
  void DiffSide(const matching::MatchingEngine& engine, Side side, Ladder& mirror,
                std::vector<std::pair<int64_t, int64_t>>* changes);

  std::string symbol_;
  Ladder bids_{BestFirst{true}};
  Ladder asks_{BestFirst{false}};
  std::vector<int64_t> touched_;
  bool all_ = true;
  uint64_t update_id_ = 1;
  // Top of book last sent on bookTicker: bid price, bid qty, ask price, ask qty.
  int64_t top_[4] = {0, 0, 0, 0};
  std::vector<std::pair<int64_t, int64_t>> bid_changes_;
  std::vector<std::pair<int64_t, int64_t>> ask_changes_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_BOOK_PUBLISHER_H_
