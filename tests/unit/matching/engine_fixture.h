// Builders for matching engine tests: a BTC/USDT-like instrument, money from
// decimal strings, and an engine with an event collector.
#ifndef TRADEPLANE_TESTS_UNIT_MATCHING_ENGINE_FIXTURE_H_
#define TRADEPLANE_TESTS_UNIT_MATCHING_ENGINE_FIXTURE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/matching/matching_engine.h"

namespace tradeplane::matching::testing {

inline constexpr Side kBuy = common::v1::SIDE_BUY;
inline constexpr Side kSell = common::v1::SIDE_SELL;
inline constexpr TimeInForce kGtc = orders::v1::TIME_IN_FORCE_GTC;
inline constexpr TimeInForce kIoc = orders::v1::TIME_IN_FORCE_IOC;
inline constexpr TimeInForce kFok = orders::v1::TIME_IN_FORCE_FOK;
inline constexpr Timestamp kT0 = Timestamp::FromSeconds(1'700'000'000);

inline Price P(std::string_view text) { return *Price::Parse(text); }
inline Quantity Q(std::string_view text) { return *Quantity::Parse(text); }
inline Amount A(std::string_view text) { return *Amount::Parse(text); }
inline FeeBps Bps(std::string_view text) { return *FeeBps::Parse(text); }

// Tick 0.01, lot 0.001, base BTC, quote USDT, no min notional.
inline InstrumentSpec BtcUsdt() {
  InstrumentSpec spec;
  spec.id = InstrumentId{common::v1::VENUE_SIM, "BTCUSDT"};
  spec.base_asset = "BTC";
  spec.quote_asset = "USDT";
  spec.tick_size = P("0.01");
  spec.lot_size = Q("0.001");
  spec.min_qty = Q("0.001");
  return spec;
}

struct FixtureOptions {
  InstrumentSpec instrument = BtcUsdt();
  FeeSchedule fees;
  BalanceBook* balances = nullptr;
  bool check_balances = true;
};

class EngineFixture {
 public:
  explicit EngineFixture(FixtureOptions options = {}) {
    MatchingConfig config;
    config.instrument = options.instrument;
    config.fees = options.fees;
    config.balances = options.balances;
    config.check_balances = options.check_balances;
    engine_ = *MatchingEngine::Create(config, &collector_);
  }

  MatchingEngine& engine() { return *engine_; }
  std::vector<MatchEvent>& events() { return collector_.events; }
  void ClearEvents() { collector_.events.clear(); }
  std::vector<MatchEvent> Fills() const { return OfKind(MatchEventKind::kFill); }
  std::vector<MatchEvent> OfKind(MatchEventKind kind) const {
    std::vector<MatchEvent> out;
    for (const MatchEvent& e : collector_.events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  const MatchEvent& last() const { return collector_.events.back(); }

  SubmitResult Submit(Side side, OrderType type, TimeInForce tif, std::string_view price,
                      std::string_view qty, AccountId account = 1, std::string cid = "") {
    if (cid.empty()) cid = "c" + std::to_string(++client_ids_);
    OrderRequest request;
    request.account = account;
    request.client_order_id = cid;
    request.side = side;
    request.type = type;
    request.time_in_force = tif;
    request.price = price.empty() ? Price::Zero() : P(price);
    request.qty = Q(qty);
    return engine_->Submit(request, Now());
  }
  SubmitResult Limit(Side side, std::string_view price, std::string_view qty,
                     TimeInForce tif = kGtc, AccountId account = 1) {
    return Submit(side, orders::v1::ORDER_TYPE_LIMIT, tif, price, qty, account);
  }
  SubmitResult Market(Side side, std::string_view qty, AccountId account = 1,
                      TimeInForce tif = orders::v1::TIME_IN_FORCE_UNSPECIFIED) {
    return Submit(side, orders::v1::ORDER_TYPE_MARKET, tif, "", qty, account);
  }
  SubmitResult PostOnly(Side side, std::string_view price, std::string_view qty,
                        AccountId account = 1) {
    return Submit(side, orders::v1::ORDER_TYPE_LIMIT_MAKER, kGtc, price, qty, account);
  }

  void Level(Side side, std::string_view price, std::string_view qty) {
    absl::Status s = engine_->ApplyBookLevel(side, P(price), Q(qty), Now());
    INFO(s.ToString());
    REQUIRE(s.ok());
  }
  void Trade(std::string_view price, std::string_view qty, Side aggressor) {
    marketdata::Trade trade;
    trade.price = P(price);
    trade.qty = Q(qty);
    trade.aggressor = aggressor;
    trade.exchange_time = Now();
    absl::Status s = engine_->ApplyTrade(trade);
    INFO(s.ToString());
    REQUIRE(s.ok());
  }

  const EngineOrder& Order(OrderId id) const { return *engine_->Find(id); }
  // The level at `price` on `side` (displayed zero when absent).
  MatchingEngine::LevelView LevelAt(Side side, std::string_view price) const {
    for (const MatchingEngine::LevelView& view : engine_->Depth(side, 1000)) {
      if (view.price == P(price)) return view;
    }
    return MatchingEngine::LevelView{P(price), Quantity::Zero(), Quantity::Zero(), Quantity::Zero(),
                                     0};
  }

  Timestamp Now() { return kT0 + std::chrono::microseconds(++ticks_); }

 private:
  MatchEventCollector collector_;
  std::unique_ptr<MatchingEngine> engine_;
  int client_ids_ = 0;
  int64_t ticks_ = 0;
};

}  // namespace tradeplane::matching::testing

#endif  // TRADEPLANE_TESTS_UNIT_MATCHING_ENGINE_FIXTURE_H_
