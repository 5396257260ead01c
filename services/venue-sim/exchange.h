// Exchange: the simulator's venue state, behind its REST and stream faces.
// One MatchingEngine per instrument (libs/matching: the one matching library
// the suite has), one BalanceBook shared by them, accounts (one per API key,
// plus clients placed only through the control port), each account's trades,
// and what every change sends: executionReport and outboundAccountPosition
// on the account's user-data streams, depthUpdate/bookTicker/trade/aggTrade
// on the market streams (BookPublisher).
//
// Ids: orderId and trade ids are the engine's, per symbol (as on Binance);
// the public trade streams number their trades per symbol separately (they
// carry the replayed market's trades too). Fees are charged in the quote
// asset (the matching library's rule).
//
// Not thread-safe: the service calls it under its one state mutex, and every
// frame it publishes goes out in the order the changes happened.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_EXCHANGE_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_EXCHANGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/matching/balance_book.h"
#include "tradeplane/matching/fee_schedule.h"
#include "tradeplane/matching/match_event.h"
#include "tradeplane/matching/matching_engine.h"

#include "absl/status/statusor.h"
#include "book_publisher.h"

namespace tradeplane::venue_sim {

using matching::AccountId;
using matching::EngineOrder;
using matching::OrderId;
using matching::OrderReason;
using matching::TradeId;

enum class MarketStream : uint8_t { kDepth, kBookTicker, kAggTrade, kTrade };
inline constexpr int kMarketStreamCount = 4;

// Where the exchange's frames go: the WebSocket hub. Called in the order the
// changes happen, with the exchange's lock held.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void PublishMarket(InstrumentIndex instrument, MarketStream stream,
                             const std::string& data) = 0;
  virtual void PublishUser(AccountId account, const std::string& data) = 0;
};

struct AccountTrade {
  TradeId id = 0;
  OrderId order_id = 0;
  Price price;
  Quantity qty;
  Amount quote_qty;
  Amount commission;  // quote asset; negative = rebate
  bool buyer = false;
  bool maker = false;
  Timestamp time;
};

// What the venue keeps beside the engine's order.
struct OrderMeta {
  std::string cancel_client_order_id;  // the cancel request's own id, once canceled
  int64_t cum_quote_raw = 0;           // running total, for executionReport Z
  bool expired_in_match = false;       // self-trade prevention expired it
};

struct NewOrder {
  AccountId account = 0;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_UNSPECIFIED;
  Price price;
  Quantity qty;
  std::string client_order_id;  // empty: the venue makes one
};

struct FillReport {
  Price price;
  Quantity qty;
  Amount commission;
  TradeId trade_id = 0;
};

struct PlaceResult {
  OrderId order_id = 0;  // 0 when rejected
  OrderReason reject_reason = OrderReason::kNone;
  std::vector<FillReport> fills;  // what filled at once
};

struct ExchangeCounters {
  uint64_t orders_accepted = 0;
  uint64_t orders_rejected = 0;
  uint64_t cancels = 0;
  uint64_t fills = 0;
  uint64_t public_trades = 0;
  uint64_t replay_errors = 0;
};

class Exchange {
 public:
  struct Options {
    matching::FeeSchedule fees;
    // Credited to every account when it is created.
    std::vector<std::pair<std::string, Amount>> initial_balances;
  };

  static absl::StatusOr<std::unique_ptr<Exchange>> Create(const InstrumentTable& instruments,
                                                          Options options, StreamSink* sink);
  ~Exchange();

  // --- Accounts ---------------------------------------------------------------
  // The account called `name` (an API key, or a client of the control port),
  // created with the initial balances on first use.
  AccountId Account(std::string_view name);
  std::optional<AccountId> FindAccount(std::string_view name) const;
  const std::string& account_name(AccountId id) const { return accounts_[id - 1].name; }
  size_t account_count() const { return accounts_.size(); }
  int64_t account_update_ms(AccountId id) const { return accounts_[id - 1].update_ms; }

  // --- Instruments ------------------------------------------------------------
  size_t instrument_count() const { return markets_.size(); }
  const InstrumentSpec& spec(InstrumentIndex i) const;
  std::optional<InstrumentIndex> FindSymbol(std::string_view symbol) const;
  const matching::MatchingEngine& engine(InstrumentIndex i) const;
  const matching::FeeSchedule& fees() const { return fees_; }

  // --- Orders -------------------------------------------------------------------
  PlaceResult Place(const NewOrder& order, Timestamp now);
  // The account's open order by id (or, when order_id is 0, by client id);
  // null when there is none. `cancel_client_order_id` names the cancel.
  const EngineOrder* Cancel(AccountId account, InstrumentIndex instrument, OrderId order_id,
                            std::string_view client_order_id, std::string cancel_client_order_id,
                            Timestamp now);
  // Cancels the account's open orders on the instrument, oldest first.
  std::vector<const EngineOrder*> CancelAll(AccountId account, InstrumentIndex instrument,
                                            Timestamp now);
  // The account's order (open or closed) by id, or by client id when
  // order_id is 0 (the latest with that id); null when unknown.
  const EngineOrder* Find(AccountId account, InstrumentIndex instrument, OrderId order_id,
                          std::string_view client_order_id) const;
  std::vector<const EngineOrder*> OpenOrders(AccountId account, InstrumentIndex instrument) const;
  // Every order the account has on the instrument, open and closed, oldest first.
  std::vector<const EngineOrder*> AllOrders(AccountId account, InstrumentIndex instrument) const;
  const OrderMeta& meta(InstrumentIndex instrument, OrderId id) const;
  const std::vector<AccountTrade>& Trades(AccountId account, InstrumentIndex instrument) const;
  absl::StatusOr<std::vector<matching::AssetBalance>> Balances(AccountId account) const;
  // A deposit (delta > 0) or withdrawal (< 0) of the account's free balance,
  // as through the venue's website; the new free balance. FailedPrecondition
  // when a withdrawal exceeds the free balance.
  absl::StatusOr<Amount> Transfer(AccountId account, std::string_view asset, Amount delta);

  // --- The replayed market -------------------------------------------------------
  // Level changes (absolute quantities; 0 removes), as a depth delta.
  void ReplayLevels(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                    std::span<const marketdata::BookLevel> asks, Timestamp now);
  // The whole book (levels it does not list are gone).
  void ReplaySnapshot(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                      std::span<const marketdata::BookLevel> asks, Timestamp now);
  // A public trade; published on the trade streams and matched against our
  // resting orders. `aggressor` SIDE_UNSPECIFIED reaches both sides.
  void ReplayTrade(InstrumentIndex i, Price price, Quantity qty, Side aggressor, Timestamp now);

  // --- Views for REST -----------------------------------------------------------
  const BookPublisher& book(InstrumentIndex i) const;
  const ExchangeCounters& counters() const { return counters_; }

 private:
  struct Market;
  class Sink;
  struct AccountState {
    std::string name;
    AccountId id = 0;
    std::vector<std::vector<AccountTrade>> trades;  // per instrument
    int64_t update_ms = 0;
  };
  enum class Cause { kOrders, kReplayBook, kReplayTrade };

  Exchange(const matching::FeeSchedule& fees, StreamSink* sink);
  // Turns the events the engine reported during the last call into frames,
  // trades and balances, then publishes the book's changes.
  void Drain(Timestamp now, Cause cause, std::vector<FillReport>* fills_of = nullptr,
             OrderId fills_order = 0, InstrumentIndex fills_instrument = 0);
  void PublishTrade(InstrumentIndex i, Price price, Quantity qty, bool buyer_is_maker,
                    Timestamp now);
  void PublishBook(InstrumentIndex i, Timestamp now);
  std::string NextClientOrderId();

  matching::FeeSchedule fees_;
  StreamSink* sink_;
  std::vector<std::pair<std::string, Amount>> initial_balances_;
  matching::BalanceBook balances_;
  std::vector<std::unique_ptr<Market>> markets_;
  std::vector<AccountState> accounts_;  // AccountId = index + 1
  // Events the engines reported during the current call: (instrument, event).
  std::vector<std::pair<InstrumentIndex, matching::MatchEvent>> pending_;
  std::vector<std::pair<AccountId, InstrumentIndex>> touched_accounts_;
  uint64_t generated_client_ids_ = 0;
  ExchangeCounters counters_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_EXCHANGE_H_
