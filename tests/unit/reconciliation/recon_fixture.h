// A small reconciled world for the reconciliation tests: two real Binance
// spot instruments (SUSHIUSDT, NKNUSDT), four orders of ours in every kind of
// state, their fills and the venue's trades, positions and balances, all in
// agreement. Each test breaks one thing and checks what the diff and the
// policy make of it.
#ifndef TRADEPLANE_TESTS_UNIT_RECONCILIATION_RECON_FIXTURE_H_
#define TRADEPLANE_TESTS_UNIT_RECONCILIATION_RECON_FIXTURE_H_

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/recon_input.h"
#include "tradeplane/reconciliation/resolution_policy.h"

namespace tradeplane::reconciliation::testing {

using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// 2021-10-12T00:28:32Z, the start of the Binance recording in data/binance.
inline constexpr Timestamp kT0 = Timestamp::FromSeconds(1'633'998'512);
// The venue snapshot: an hour later. The trade windows start at kT0.
inline constexpr Timestamp kAsOf = kT0 + std::chrono::hours(1);
inline constexpr Duration kGrace = seconds(2);

inline Price Px(std::string_view text) {
  absl::StatusOr<Price> p = Price::Parse(text);
  REQUIRE(p.ok());
  return *p;
}
inline Quantity Qty(std::string_view text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  REQUIRE(q.ok());
  return *q;
}
inline Amount Amt(std::string_view text) {
  absl::StatusOr<Amount> a = Amount::Parse(text);
  REQUIRE(a.ok());
  return *a;
}
inline int64_t Raw(std::string_view text) { return Amt(text).raw(); }

inline constexpr Side kBuy = common::v1::SIDE_BUY;
inline constexpr Side kSell = common::v1::SIDE_SELL;
using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_PENDING_CANCEL;
using orders::v1::ORDER_STATUS_PENDING_NEW;
using orders::v1::ORDER_STATUS_REJECTED;

inline InstrumentSpec SpotSpec(std::string symbol, std::string base, std::string quote,
                               std::string_view tick, std::string_view lot) {
  InstrumentSpec s;
  s.id = InstrumentId{common::v1::VENUE_BINANCE, std::move(symbol)};
  s.kind = marketdata::v1::INSTRUMENT_KIND_SPOT;
  s.base_asset = std::move(base);
  s.quote_asset = std::move(quote);
  s.tick_size = Px(tick);
  s.lot_size = Qty(lot);
  return s;
}

inline OurOrder MakeOrder(std::string client_order_id, std::string venue_order_id,
                          InstrumentIndex instrument, Side side, OrderStatus status,
                          std::string_view qty, std::string_view filled, std::string_view price,
                          Timestamp updated) {
  OurOrder o;
  o.client_order_id = std::move(client_order_id);
  o.venue_order_id = std::move(venue_order_id);
  o.strategy_id = "mean-reversion-1";
  o.instrument = instrument;
  o.side = side;
  o.status = status;
  o.qty = Qty(qty);
  o.filled_qty = Qty(filled);
  o.price = Px(price);
  o.updated = updated;
  return o;
}

// The venue's open-order record of one of ours.
inline VenueOrder OpenAtVenue(const OurOrder& o, OrderStatus status, std::string_view filled) {
  VenueOrder v;
  v.client_order_id = o.client_order_id;
  v.venue_order_id = o.venue_order_id;
  v.instrument = o.instrument;
  v.side = o.side;
  v.status = status;
  v.qty = o.qty;
  v.filled_qty = Qty(filled);
  v.price = o.price;
  v.created = kT0 + minutes(1);
  v.updated = o.updated;
  return v;
}

inline VenueTrade MakeTrade(std::string venue_trade_id, std::string venue_order_id, Side side,
                            std::string_view price, std::string_view qty, Timestamp time) {
  VenueTrade t;
  t.venue_trade_id = std::move(venue_trade_id);
  t.venue_order_id = std::move(venue_order_id);
  t.side = side;
  t.price = Px(price);
  t.qty = Qty(qty);
  t.fee = Amt("0.01");
  t.fee_asset = "USDT";
  t.liquidity = orders::v1::LIQUIDITY_MAKER;
  t.time = time;
  return t;
}

// Our fill of a venue trade, as the live path records it.
inline OurFill FillOf(const VenueTrade& t, std::string client_order_id, InstrumentIndex instrument,
                      std::string_view symbol) {
  OurFill f;
  f.fill_id = std::string("BINANCE:") + std::string(symbol) + ":" + t.venue_trade_id;
  f.venue_trade_id = t.venue_trade_id;
  f.client_order_id = std::move(client_order_id);
  f.venue_order_id = t.venue_order_id;
  f.instrument = instrument;
  f.side = t.side;
  f.price = t.price;
  f.qty = t.qty;
  f.fee = t.fee;
  f.fee_asset = t.fee_asset;
  f.time = t.time;
  return f;
}

class World {
 public:
  World() {
    sushi = *table.Add(SpotSpec("SUSHIUSDT", "SUSHI", "USDT", "0.001", "0.001"));
    nkn = *table.Add(SpotSpec("NKNUSDT", "NKN", "USDT", "0.0001", "1"));
    options.in_flight_grace = kGrace;
    options.balance_tolerance.emplace("USDT", Amt("0.01"));

    VenueSnapshot& venue = input.venue;
    venue.as_of = kAsOf;
    venue.complete = true;
    venue.balances_listed = true;
    venue.trade_windows.push_back(VenueTradeWindow{sushi, TradeCheckpoint{kT0, std::nullopt}, {}});
    venue.trade_windows.push_back(VenueTradeWindow{nkn, TradeCheckpoint{kT0, std::nullopt}, {}});

    const Timestamp updated = kT0 + minutes(20);
    // c-1: resting, nothing filled.
    AddOrder(MakeOrder("c-1", "1001", sushi, kBuy, ORDER_STATUS_NEW, "10", "0", "10", updated));
    venue.open_orders.push_back(OpenAtVenue(order("c-1"), ORDER_STATUS_NEW, "0"));
    // c-2: resting, 2 of 5 filled.
    AddOrder(MakeOrder("c-2", "1002", sushi, kBuy, ORDER_STATUS_PARTIALLY_FILLED, "5", "2", "9.9",
                       updated));
    venue.open_orders.push_back(OpenAtVenue(order("c-2"), ORDER_STATUS_PARTIALLY_FILLED, "2"));
    Execute(sushi, MakeTrade("501", "1002", kBuy, "9.9", "2", kT0 + minutes(5)), "c-2");
    // c-3: filled in two trades.
    AddOrder(
        MakeOrder("c-3", "1003", sushi, kSell, ORDER_STATUS_FILLED, "3", "3", "10.5", updated));
    Execute(sushi, MakeTrade("502", "1003", kSell, "10.5", "1", kT0 + minutes(6)), "c-3");
    Execute(sushi, MakeTrade("503", "1003", kSell, "10.5", "2", kT0 + minutes(7)), "c-3");
    // c-4: canceled with 40 of 100 filled.
    AddOrder(
        MakeOrder("c-4", "2001", nkn, kBuy, ORDER_STATUS_CANCELED, "100", "40", "0.4", updated));
    Execute(nkn, MakeTrade("601", "2001", kBuy, "0.4", "40", kT0 + minutes(8)), "c-4");

    // SUSHI: 20 at the checkpoint, +2 -1 -2 since; NKN: 0, +40.
    input.positions.push_back(PositionReference{sushi, PositionBasis::kVenueTrades, Qty("20"), {}});
    input.positions.push_back(PositionReference{nkn, PositionBasis::kVenueTrades, Qty("0"), {}});
    input.ours.positions.push_back(OurPosition{sushi, Qty("19")});
    input.ours.positions.push_back(OurPosition{nkn, Qty("40")});
    SetBalance("USDT", "1000", "900", "100");
    SetBalance("SUSHI", "19", "19", "0");
    SetBalance("NKN", "40", "40", "0");
  }

  // ---- building
  void AddOrder(OurOrder o) { input.ours.orders.push_back(std::move(o)); }
  OurOrder& order(std::string_view client_order_id) {
    for (OurOrder& o : input.ours.orders) {
      if (o.client_order_id == client_order_id) return o;
    }
    FAIL("no order " << client_order_id);
    return input.ours.orders.front();
  }
  VenueOrder* open_order(std::string_view venue_order_id) {
    for (VenueOrder& o : input.venue.open_orders) {
      if (o.venue_order_id == venue_order_id) return &o;
    }
    return nullptr;
  }
  void RemoveOpenOrder(std::string_view venue_order_id) {
    std::erase_if(input.venue.open_orders,
                  [&](const VenueOrder& o) { return o.venue_order_id == venue_order_id; });
  }
  VenueTradeWindow& window(InstrumentIndex instrument) {
    for (VenueTradeWindow& w : input.venue.trade_windows) {
      if (w.instrument == instrument) return w;
    }
    FAIL("no window");
    return input.venue.trade_windows.front();
  }
  std::string_view symbol(InstrumentIndex instrument) const {
    return table.at(instrument).id.symbol;
  }
  // The venue lists the trade; we hold its fill when `our_client_order_id`
  // is set.
  void Execute(InstrumentIndex instrument, VenueTrade t, std::string our_client_order_id) {
    if (!our_client_order_id.empty()) {
      input.ours.fills.push_back(FillOf(t, our_client_order_id, instrument, symbol(instrument)));
    }
    window(instrument).trades.push_back(std::move(t));
  }
  // The venue executed a trade we have no fill for: its trade list and its
  // balances show it (a spot trade moves base, quote and the fee).
  void VenueOnlyTrade(InstrumentIndex instrument, VenueTrade t) {
    const InstrumentSpec& spec = table.at(instrument);
    const int sign = SideSign(t.side);
    MoveVenueBalance(spec.base_asset, sign * t.qty.raw());
    MoveVenueBalance(spec.quote_asset, -sign * Notional(t.price, t.qty)->raw());
    MoveVenueBalance(t.fee_asset, -t.fee.raw());
    window(instrument).trades.push_back(std::move(t));
  }
  void SetBalance(const std::string& asset, std::string_view ours, std::string_view venue_free,
                  std::string_view venue_locked) {
    std::erase_if(input.ours.balances, [&](const OurBalance& b) { return b.asset == asset; });
    std::erase_if(input.venue.balances, [&](const VenueBalance& b) { return b.asset == asset; });
    input.ours.balances.push_back(OurBalance{asset, Amt(ours)});
    input.venue.balances.push_back(VenueBalance{asset, Amt(venue_free), Amt(venue_locked)});
  }
  void MoveVenueBalance(const std::string& asset, int64_t delta_raw) {
    for (VenueBalance& b : input.venue.balances) {
      if (b.asset == asset) {
        b.free = Amount::FromRaw(b.free.raw() + delta_raw);
        return;
      }
    }
    input.venue.balances.push_back(VenueBalance{asset, Amount::FromRaw(delta_raw), Amount()});
  }
  void SetOurPosition(InstrumentIndex instrument, std::string_view qty) {
    for (OurPosition& p : input.ours.positions) {
      if (p.instrument == instrument) p.qty = Qty(qty);
    }
  }

  // ---- running
  DiffResult Diff() const {
    absl::StatusOr<DiffResult> result = DiffBooks(input, table, options);
    INFO(result.status().ToString());
    REQUIRE(result.ok());
    return *std::move(result);
  }
  static ResolutionPolicy Policy(UnknownOrderPolicy unknown, bool ingest) {
    ResolutionPolicy p;
    p.unknown_order_policy = unknown;
    p.ingest_missed_fills = ingest;
    return p;
  }

  InstrumentTable table;
  InstrumentIndex sushi = 0;
  InstrumentIndex nkn = 0;
  ReconInput input;
  DiffOptions options;
};

// The breaks of one type.
inline std::vector<const Break*> OfType(const DiffResult& d, v1::BreakType type) {
  std::vector<const Break*> out;
  for (const Break& b : d.breaks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

// "MISSED_FILL c-2 501; STATUS_MISMATCH c-1" style summary for messages.
inline std::string Summary(const DiffResult& d) {
  std::string out;
  for (const Break& b : d.breaks) out += b.Key() + " :: " + b.explanation + "\n";
  if (d.failed) out += "FAILED: " + d.failure_reason + "\n";
  return out;
}

}  // namespace tradeplane::reconciliation::testing

#endif  // TRADEPLANE_TESTS_UNIT_RECONCILIATION_RECON_FIXTURE_H_
