// MatchingEngine: one instrument's simulated venue. Its book holds two kinds of
// liquidity: the replayed real market (L2 levels from snapshots, deltas or a
// quote stream, plus public trades) and our orders (from one or more accounts).
// How the two meet is the rule in docs/explanation/simulated-matching.md:
//
//  - our aggressive order takes the displayed replayed quantity at the replayed
//    prices, walking levels; what it took stays consumed until the next replay
//    update of that level;
//  - our resting order joins the back of the queue at its price: queue-ahead is
//    the displayed quantity there when it arrived; replayed trades at our price
//    use up the queue-ahead first and then fill us; a replayed trade through our
//    price fills us completely; replayed liquidity crossing our resting order
//    fills it at our price.
//
// Price-time priority among our orders; LIMIT (GTC/IOC/FOK), MARKET and
// LIMIT_MAKER (post-only); maker/taker fees in the quote asset; self-trade
// prevention expires the taker (Binance's EXPIRE_TAKER); order and trade ids
// from counters. No I/O, no clock: every call takes the time.
//
// Performance: price levels live in ordered maps over a node pool
// (price_ladder.h): O(log levels) to find, add or remove one; orders are kept
// in a vector indexed by id (O(1) lookup; about 200 bytes per order accepted,
// kept for queries after it closes); nothing is allocated per event once the
// pools, vectors and maps have grown.
// Thread-compatible (one engine per thread).
#ifndef TRADEPLANE_MATCHING_MATCHING_ENGINE_H_
#define TRADEPLANE_MATCHING_MATCHING_ENGINE_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/matching/balance_book.h"
#include "tradeplane/matching/client_order_id.h"
#include "tradeplane/matching/engine_order.h"
#include "tradeplane/matching/fee_schedule.h"
#include "tradeplane/matching/match_event.h"
#include "tradeplane/matching/matching_ids.h"
#include "tradeplane/matching/order_reason.h"
#include "tradeplane/matching/order_request.h"
#include "tradeplane/matching/price_ladder.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::matching {

struct MatchingConfig {
  InstrumentSpec instrument;  // tick, lot, min/max qty, min notional, assets
  FeeSchedule fees;
  // Null: no balances are kept. Otherwise orders lock, fills debit and credit
  // here (buying needs the quote asset, selling the base asset).
  BalanceBook* balances = nullptr;
  // With balances: refuse orders the account cannot fund (kInsufficientBalance).
  bool check_balances = true;
  OrderId first_order_id = 1;
  TradeId first_trade_id = 1;
};

struct SubmitResult {
  OrderId order_id = 0;  // 0 when rejected
  OrderReason reject_reason = OrderReason::kNone;
  bool accepted() const { return order_id != 0; }
};

// Whether a snapshot shows the whole book or only its best levels. Levels worse
// than a truncated snapshot's worst level are left as they were (they are out
// of view, not gone); a full snapshot removes every level it does not list.
enum class SnapshotDepth { kFull, kTruncated };

class MatchingEngine {
 public:
  // Refuses an instrument without tick, lot or assets and invalid fees.
  // `sink` receives every event and must outlive the engine.
  static absl::StatusOr<std::unique_ptr<MatchingEngine>> Create(MatchingConfig config,
                                                                MatchEventSink* sink);

  MatchingEngine(const MatchingEngine&) = delete;
  MatchingEngine& operator=(const MatchingEngine&) = delete;

  // --- Our orders -----------------------------------------------------------
  // Validates, then accepts (kAccepted), matches (kFill...), and rests or
  // expires the remainder. A refused order emits kRejected and returns its reason.
  SubmitResult Submit(const OrderRequest& request, Timestamp now);
  // NotFound when the account has no open order with that id.
  absl::Status Cancel(AccountId account, OrderId order_id, Timestamp now);
  absl::Status CancelByClientId(AccountId account, std::string_view client_order_id, Timestamp now);
  // Cancels every open order of the account, oldest first; returns how many.
  size_t CancelAll(AccountId account, Timestamp now);

  // Any order the engine accepted, open or closed; null when unknown.
  const EngineOrder* Find(OrderId order_id) const;
  // The account's latest order with that client order id.
  const EngineOrder* FindByClientId(AccountId account, std::string_view client_order_id) const;
  // The account's open orders, oldest first.
  std::vector<const EngineOrder*> OpenOrders(AccountId account) const;

  // --- The replayed market ----------------------------------------------------
  // Sets one level to an absolute displayed quantity (0 removes it), as
  // Binance depth deltas and LOBSTER books do.
  absl::Status ApplyBookLevel(Side side, Price price, Quantity qty, Timestamp now);
  // Levels best first on each side; zero-quantity levels are skipped. Applied
  // as the set of level changes it implies: a level whose quantity did not
  // change keeps what we consumed of it.
  absl::Status ApplyBookSnapshot(std::span<const marketdata::BookLevel> bids,
                                 std::span<const marketdata::BookLevel> asks, SnapshotDepth depth,
                                 Timestamp now);
  absl::Status ApplyBook(const marketdata::BookView& view, SnapshotDepth depth) {
    return ApplyBookSnapshot(view.bids, view.asks, depth, view.exchange_time);
  }
  // A top-of-book stream: each quote is the whole book, one level per side.
  absl::Status ApplyQuote(const marketdata::Quote& quote);
  // A public trade: fills our resting orders it reaches (see the rule above).
  // An aggressor of UNSPECIFIED reaches both sides.
  absl::Status ApplyTrade(const marketdata::Trade& trade);

  // --- Views ------------------------------------------------------------------
  struct LevelView {
    Price price;
    Quantity displayed;  // replayed
    Quantity available;  // replayed, minus what our orders consumed
    Quantity own_qty;    // our resting orders' remaining quantity
    size_t own_orders = 0;
  };
  // Best first, at most max_levels.
  std::vector<LevelView> Depth(Side side, size_t max_levels) const;

  const InstrumentSpec& instrument() const { return config_.instrument; }
  const FeeSchedule& fees() const { return config_.fees; }
  OrderId next_order_id() const { return next_order_id_; }
  TradeId next_trade_id() const { return next_trade_id_; }

 private:
  // What a taker could fill right now without changing anything.
  struct Reach {
    Quantity qty;
    fixed_point::Int128 cost_raw = 0;  // buy: notional + taker fees
  };
  struct OwnKey {
    AccountId account;
    ClientOrderId client_order_id;
    friend bool operator==(const OwnKey&, const OwnKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const OwnKey& k) {
      return H::combine(std::move(h), k.account, k.client_order_id);
    }
  };

  MatchingEngine(MatchingConfig config, MatchEventSink* sink);

  OrderReason Validate(const OrderRequest& request, TimeInForce* tif) const;
  SubmitResult Reject(const OrderRequest& request, OrderReason reason, Timestamp now);
  EngineOrder& order(OrderId id) { return orders_[id - config_.first_order_id]; }
  const EngineOrder& order(OrderId id) const { return orders_[id - config_.first_order_id]; }
  PriceLadder& own_side(Side side) { return side == common::v1::SIDE_BUY ? bids_ : asks_; }
  PriceLadder& other_side(Side side) { return side == common::v1::SIDE_BUY ? asks_ : bids_; }
  bool Crosses(const EngineOrder& taker, Price level_price) const;

  Reach MeasureReach(const EngineOrder& taker) const;
  // Takes liquidity; returns why it stopped before filling (kNone if it did not).
  OrderReason Take(EngineOrder& taker, Timestamp now);
  void Rest(EngineOrder& o);
  void UnlinkFromLevel(PriceLadder& book, PriceLevel& level, EngineOrder& o);
  // Our orders at this level: queue-ahead never exceeds what is still available.
  void ClampQueueAhead(PriceLevel& level);
  void Close(EngineOrder& o, OrderStatus status, OrderReason reason, MatchEventKind kind,
             Timestamp now);
  // Books one execution: totals, balances, the event.
  void ExecuteFill(EngineOrder& o, Price price, Quantity qty, Liquidity liquidity, TradeId trade_id,
                   OrderId counter_order_id, Timestamp now);
  fixed_point::Int128 LockFor(const EngineOrder& o, Quantity remaining) const;
  void SetLock(EngineOrder& o, fixed_point::Int128 lock);
  AssetIndex lock_asset(const EngineOrder& o) const {
    return o.side == common::v1::SIDE_BUY ? quote_asset_ : base_asset_;
  }
  void Emit(const EngineOrder& o, MatchEventKind kind, Timestamp now);

  // Replay side.
  // Sets a level's displayed quantity and restores it; true when it is now
  // empty (the caller erases it).
  bool RestoreLevel(PriceLevel& level, Quantity displayed);
  void ApplySide(PriceLadder& ladder, std::span<const marketdata::BookLevel> levels,
                 SnapshotDepth depth);
  // Fills our resting orders that replayed liquidity on the other side now
  // crosses, until none does (the invariant every replay call restores).
  void CrossRestingOrders(Timestamp now);
  void CrossSide(PriceLadder& own, PriceLadder& replay, Timestamp now);
  void TradeAgainst(PriceLadder& own, Price trade_price, Quantity trade_qty, Timestamp now);

  MatchingConfig config_;
  MatchEventSink* sink_;
  AssetIndex base_asset_ = 0;
  AssetIndex quote_asset_ = 0;
  OrderId next_order_id_;
  TradeId next_trade_id_;
  PriceLadder bids_;
  PriceLadder asks_;
  std::vector<EngineOrder> orders_;  // index = id - first_order_id
  absl::flat_hash_map<OwnKey, OrderId> by_client_id_;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_MATCHING_ENGINE_H_
