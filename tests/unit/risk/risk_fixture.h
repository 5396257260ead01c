// A small, realistic world for the risk tests: four real instruments (the
// Binance spot symbols of data/binance and NASDAQ AMZN of data/lobster), limits
// that approve an ordinary order, and helpers to send quotes, intents and fills.
#ifndef TRADEPLANE_TESTS_UNIT_RISK_RISK_FIXTURE_H_
#define TRADEPLANE_TESTS_UNIT_RISK_RISK_FIXTURE_H_

#include <memory>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/risk_state.h"
#include "tradeplane/risk/trading_mode.h"

namespace tradeplane::risk::testing {

// 2021-10-12T00:28:32Z, the start of the Binance recording.
inline constexpr Timestamp kT0 = Timestamp::FromSeconds(1'633'998'512);

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

inline InstrumentSpec Spec(Venue venue, std::string symbol, std::string base, std::string quote,
                           std::string_view tick, std::string_view lot) {
  InstrumentSpec s;
  s.id = InstrumentId{venue, std::move(symbol)};
  s.base_asset = std::move(base);
  s.quote_asset = std::move(quote);
  s.tick_size = Px(tick);
  s.lot_size = Qty(lot);
  auto decimals = [](int64_t raw) {
    int d = kFixedPointDecimals;
    while (d > 0 && raw % 10 == 0) {
      raw /= 10;
      --d;
    }
    return d;
  };
  s.price_precision = decimals(s.tick_size.raw());
  s.qty_precision = decimals(s.lot_size.raw());
  return s;
}

inline v1::InstrumentLimits* AddInstrumentLimits(v1::Limits* limits, const InstrumentSpec& spec) {
  v1::InstrumentLimits* l = limits->add_instruments();
  spec.id.ToProto(l->mutable_instrument());
  l->set_enabled(true);
  l->set_collar_bps(500);
  l->set_reference_price(v1::REFERENCE_PRICE_MID);
  l->set_stale_after_ms(2000);
  return l;
}

class RiskFixture {
 public:
  RiskFixture() {
    nkn = Add(Spec(common::v1::VENUE_BINANCE, "NKNUSDT", "NKN", "USDT", "0.0001", "1"));
    amzn = Add(Spec(common::v1::VENUE_NASDAQ, "AMZN", "AMZN", "USD", "0.01", "1"));
    lrc = Add(Spec(common::v1::VENUE_BINANCE, "LRCBTC", "LRC", "BTC", "0.00000001", "1"));
    rune = Add(Spec(common::v1::VENUE_BINANCE, "RUNEEUR", "RUNE", "EUR", "0.001", "0.01"));

    limits.set_valuation_currency("USDT");
    (*limits.mutable_conversion_rates())["USD"] = Raw("1");
    (*limits.mutable_conversion_rates())["BTC"] = Raw("56000");
    (*limits.mutable_conversion_rates())["BNB"] = Raw("400");
    // No EUR rate: RUNEEUR orders meet NO_CONVERSION_RATE.
    limits.set_max_gross_exposure(Raw("1000000"));
    limits.set_max_net_exposure(Raw("500000"));
    limits.set_max_open_orders(200);

    v1::InstrumentLimits* l = AddInstrumentLimits(&limits, table.at(nkn));
    l->set_max_position(Raw("200000"));
    l->set_max_qty(Raw("100000"));
    l->set_min_notional(Raw("5"));
    l->set_max_notional(Raw("20000"));
    l = AddInstrumentLimits(&limits, table.at(amzn));
    l->set_max_position(Raw("1000"));
    l = AddInstrumentLimits(&limits, table.at(lrc));
    l->set_max_position(Raw("1000000"));
    l = AddInstrumentLimits(&limits, table.at(rune));
    l->set_max_position(Raw("10000"));

    for (const char* id : {"mm", "trend"}) {
      v1::StrategyLimits* s = limits.add_strategies();
      s->set_strategy_id(id);
      s->set_enabled(true);
    }
    v1::StrategyLimits* off = limits.add_strategies();
    off->set_strategy_id("off");
    off->set_enabled(false);
  }

  v1::InstrumentLimits* LimitsOf(InstrumentIndex index) {
    for (v1::InstrumentLimits& l : *limits.mutable_instruments()) {
      if (InstrumentId::FromProto(l.instrument()) == table.at(index).id) return &l;
    }
    FAIL("no limits for instrument " << index);
    return nullptr;
  }
  v1::StrategyLimits* StrategyLimitsOf(std::string_view id) {
    for (v1::StrategyLimits& s : *limits.mutable_strategies()) {
      if (s.strategy_id() == id) return &s;
    }
    FAIL("no limits for strategy " << id);
    return nullptr;
  }

  std::shared_ptr<const RiskLimits> BuildLimits() const {
    absl::StatusOr<RiskLimits> built = RiskLimits::FromProto(limits, table);
    INFO(built.status().ToString());
    REQUIRE(built.ok());
    return std::make_shared<const RiskLimits>(std::move(*built));
  }

  // A fresh state in `mode`, with quotes for every instrument at kT0.
  RiskState& Build(v1::TradingMode mode = v1::TRADING_MODE_ACTIVE, bool with_quotes = true) {
    v1::ModeChange stored;
    stored.set_mode(mode);
    stored.set_actor("alice");
    stored.set_reason("test start");
    state = std::make_unique<RiskState>(
        &table, BuildLimits(), TradingModeController::FromStore(stored, ModeOptions{}, kT0));
    if (with_quotes) {
      Quote(nkn, "0.3521", "0.3525");
      Quote(amzn, "3355.00", "3355.20");
      Quote(lrc, "0.00000637", "0.00000638");
      Quote(rune, "9.500", "9.510");
    }
    return *state;
  }

  void Quote(InstrumentIndex i, std::string_view bid, std::string_view ask, Timestamp t = kT0,
             std::string_view size = "100000") {
    marketdata::Quote q;
    q.instrument = i;
    q.bid_price = bid.empty() ? Price::Zero() : Px(bid);
    q.bid_qty = Qty(size);
    q.ask_price = ask.empty() ? Price::Zero() : Px(ask);
    q.ask_qty = Qty(size);
    q.receive_time = t;
    state->OnQuote(q, t);
  }

  void Trade(InstrumentIndex i, std::string_view price, Timestamp t = kT0) {
    marketdata::Trade tr;
    tr.instrument = i;
    tr.price = Px(price);
    tr.qty = Qty("1");
    state->OnTrade(tr, t);
  }

  OrderIntent Limit(InstrumentIndex i, Side side, std::string_view qty, std::string_view price,
                    std::string strategy = "mm") {
    OrderIntent intent;
    intent.intent_id = StrCat("intent-", ++counter_);
    intent.client_order_id = StrCat("cid-", counter_);
    intent.strategy_id = std::move(strategy);
    intent.instrument = i;
    intent.side = side;
    intent.type = orders::v1::ORDER_TYPE_LIMIT;
    intent.qty = Qty(qty);
    intent.price = Px(price);
    intent.reason = "test";
    return intent;
  }
  OrderIntent Market(InstrumentIndex i, Side side, std::string_view qty,
                     std::string strategy = "mm") {
    OrderIntent intent = Limit(i, side, qty, "0", std::move(strategy));
    intent.type = orders::v1::ORDER_TYPE_MARKET;
    intent.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
    return intent;
  }
  OrderIntent Cancel(const OrderIntent& order) {
    OrderIntent intent;
    intent.intent_id = StrCat("intent-", ++counter_);
    intent.strategy_id = order.strategy_id;
    intent.instrument = order.instrument;
    intent.cancel_client_order_id = order.client_order_id;
    return intent;
  }

  Decision Check(const OrderIntent& intent, Timestamp now = kT0) const {
    return Evaluate(intent, *state, now);
  }
  // Evaluate, then record; the decision is returned.
  Decision Send(const OrderIntent& intent, Timestamp now = kT0) {
    return EvaluateAndRecord(intent, state.get(), now);
  }

  Fill MakeFill(InstrumentIndex i, Side side, std::string_view qty, std::string_view price,
                std::string strategy = "mm", std::string client_order_id = "", Timestamp t = kT0) {
    Fill f;
    f.fill_id = StrCat("fill-", ++counter_);
    f.client_order_id = std::move(client_order_id);
    f.strategy_id = std::move(strategy);
    f.instrument = i;
    f.side = side;
    f.qty = Qty(qty);
    f.price = Px(price);
    f.time = t;
    return f;
  }
  void ApplyFill(const Fill& f) {
    absl::StatusOr<FillOutcome> outcome = state->OnFill(f);
    INFO(outcome.status().ToString());
    REQUIRE(outcome.ok());
  }

  InstrumentIndex Add(InstrumentSpec spec) {
    absl::StatusOr<InstrumentIndex> index = table.Add(std::move(spec));
    REQUIRE(index.ok());
    return *index;
  }

  InstrumentTable table;
  InstrumentIndex nkn = 0, amzn = 0, lrc = 0, rune = 0;
  v1::Limits limits;
  std::unique_ptr<RiskState> state;

 private:
  int counter_ = 0;
};

// Checks a decision: approved, or refused with `code`; prints the reason.
#define CHECK_APPROVED(decision)                    \
  do {                                              \
    const auto& d_ = (decision);                    \
    INFO("refused: " << d_.reason);                 \
    CHECK(d_.approved);                             \
    CHECK(d_.code == v1::REFUSAL_CODE_UNSPECIFIED); \
  } while (0)

#define CHECK_REFUSED(decision, expected_code)                                   \
  do {                                                                           \
    const auto& d_ = (decision);                                                 \
    INFO("reason: " << d_.reason);                                               \
    CHECK_FALSE(d_.approved);                                                    \
    CHECK(v1::RefusalCode_Name(d_.code) == v1::RefusalCode_Name(expected_code)); \
    CHECK_FALSE(d_.reason.empty());                                              \
  } while (0)

}  // namespace tradeplane::risk::testing

#endif  // TRADEPLANE_TESTS_UNIT_RISK_RISK_FIXTURE_H_
