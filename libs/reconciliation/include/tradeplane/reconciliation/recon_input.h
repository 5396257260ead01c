// What one reconciliation run compares: our books (journal, fills, positions,
// balances) against the venue's answer (open orders, trades since a
// checkpoint, balances), plus how each instrument's position is checked.
//
// The service fills these from the store and the venue; the library does no
// I/O. Read order matters: the venue is queried first and our store second,
// so that anything the venue has that we journaled (we journal before we
// send) is in our books; what we have that the venue does not show yet is
// covered by the in-flight grace (DiffOptions::in_flight_grace).
#ifndef TRADEPLANE_RECONCILIATION_RECON_INPUT_H_
#define TRADEPLANE_RECONCILIATION_RECON_INPUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"

namespace tradeplane::reconciliation {

// ---------------------------------------------------------------- our side

// One of our orders as the journal holds it.
struct OurOrder {
  std::string client_order_id;  // unique; fixed at intent time
  std::string venue_order_id;   // empty until the venue acknowledged it
  std::string strategy_id;      // copied onto fills ingested for it
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  Quantity qty;
  Quantity filled_qty;
  Price price;        // zero for market orders
  Timestamp updated;  // the journal's last change of this order
};

// One of our fills.
struct OurFill {
  std::string fill_id;         // unique
  std::string venue_trade_id;  // the venue's id of the execution; required
  std::string client_order_id;
  std::string venue_order_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  Price price;
  Quantity qty;  // positive
  Amount fee;    // in fee_asset; positive = paid
  std::string fee_asset;
  Timestamp time;  // the venue's execution time
};

// Our net position in one instrument (signed: negative = short).
struct OurPosition {
  InstrumentIndex instrument = 0;
  Quantity qty;
};

struct OurBalance {
  std::string asset;
  Amount total;
};

struct OurBook {
  // Every order we hold open, and every order that changed since the oldest
  // trade checkpoint.
  std::vector<OurOrder> orders;
  // Every fill since the oldest trade checkpoint (and older fills of the
  // orders above may be included: they are not compared).
  std::vector<OurFill> fills;
  // Instruments without an entry are flat.
  std::vector<OurPosition> positions;
  // The assets we track; empty = balances are not reconciled.
  std::vector<OurBalance> balances;
};

// ------------------------------------------------------------- venue side

// An order as the venue reports it.
struct VenueOrder {
  std::string client_order_id;  // the venue's (ours, or its own for orders placed elsewhere)
  std::string venue_order_id;   // required
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  // NEW or PARTIALLY_FILLED when open; PENDING_NEW / PENDING_CANCEL when the
  // venue took a request it has not processed yet.
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  Quantity qty;
  Quantity filled_qty;  // cumulative
  Amount filled_quote;  // cumulative quote quantity; zero when the venue does not say
  Price price;
  Timestamp created;  // zero when the venue does not say
  Timestamp updated;
};

// The answer to one order query by client order id (e.g. for an order we
// hold open that the open-order list lacks): definitive either way.
struct VenueOrderLookup {
  std::string client_order_id;
  InstrumentIndex instrument = 0;
  bool found = false;  // false: the venue says it has no such order
  VenueOrder order;    // when found
};

// One execution of one of the account's orders, as the venue lists it.
struct VenueTrade {
  std::string venue_trade_id;   // required
  std::string venue_order_id;   // required
  std::string client_order_id;  // often empty: Binance's trade list names the order id only
  // The fill_id execution gives this trade on its live path, so an ingested
  // fill and a late live report are recognised as one. Empty: the default
  // "<VENUE>:<SYMBOL>:<venue trade id>" (e.g. "BINANCE:SUSHIUSDT:1234").
  std::string fill_id;
  Side side = common::v1::SIDE_UNSPECIFIED;
  Price price;
  Quantity qty;  // positive
  Amount fee;
  std::string fee_asset;
  Liquidity liquidity = orders::v1::LIQUIDITY_UNSPECIFIED;
  Timestamp time;
};

// Where a trade list starts. By time: every trade at or after `since`. By
// trade id (venues whose trade ids are increasing integers per instrument,
// such as Binance): every trade whose id is greater than `after_trade_id`;
// `since` is then not used.
struct TradeCheckpoint {
  Timestamp since;
  std::optional<uint64_t> after_trade_id;
};

// Every trade of the account on one instrument after the checkpoint, up to
// the time of the query. Trades the venue lists from before the checkpoint
// are ignored.
struct VenueTradeWindow {
  InstrumentIndex instrument = 0;
  TradeCheckpoint checkpoint;
  std::vector<VenueTrade> trades;
};

struct VenueBalance {
  std::string asset;
  Amount free;
  Amount locked;
};

struct VenueSnapshot {
  // When the venue queries began. Our books were read after this.
  Timestamp as_of;
  // Every query answered in full: no error, no timeout, no page cut short. A
  // partial answer fails the run (nothing is resolved from it).
  bool complete = false;
  std::string incomplete_reason;  // what was missing, when not complete

  // The venue's open orders: of every instrument when open_orders_scope is
  // empty, else of exactly those instruments.
  std::vector<VenueOrder> open_orders;
  std::vector<InstrumentIndex> open_orders_scope;
  std::vector<VenueOrderLookup> lookups;
  std::vector<VenueTradeWindow> trade_windows;  // at most one per instrument
  bool balances_listed = false;
  std::vector<VenueBalance> balances;  // every asset the account holds, when listed
};

// ---------------------------------------------------------------- position

enum class PositionBasis : uint8_t {
  // The position at the checkpoint plus every venue trade since: exact.
  kVenueTrades,
  // The venue's balance (free + locked) of the instrument's base asset,
  // less an offset (the base asset held apart from trading, e.g. deposits):
  // spot only; fees paid in the base asset must fit the asset's tolerance.
  kVenueBalance,
};

struct PositionReference {
  InstrumentIndex instrument = 0;
  PositionBasis basis = PositionBasis::kVenueTrades;
  Quantity position_at_checkpoint;  // kVenueTrades: the net position at the window's checkpoint
  Amount base_balance_offset;       // kVenueBalance
};

struct ReconInput {
  OurBook ours;
  VenueSnapshot venue;
  // The instruments whose position is checked, and how.
  std::vector<PositionReference> positions;
};

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_RECON_INPUT_H_
