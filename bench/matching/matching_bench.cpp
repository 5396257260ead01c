// Matching engine costs: a replayed book update with our resting orders
// present, a replayed trade, and an aggressive order (with and without
// walking several levels).
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/matching/matching_engine.h"

namespace tradeplane::matching {
namespace {

constexpr Side kBuy = common::v1::SIDE_BUY;
constexpr Side kSell = common::v1::SIDE_SELL;
constexpr Timestamp kT0 = Timestamp::FromSeconds(1'700'000'000);

// Counts events so the work is not optimised away.
class CountingSink final : public MatchEventSink {
 public:
  void OnMatchEvent(const MatchEvent& event) override { fills += event.qty.raw() != 0; }
  int64_t fills = 0;
};

InstrumentSpec Spec() {
  InstrumentSpec spec;
  spec.id = InstrumentId{common::v1::VENUE_SIM, "BTCUSDT"};
  spec.base_asset = "BTC";
  spec.quote_asset = "USDT";
  spec.tick_size = *Price::Parse("0.01");
  spec.lot_size = *Quantity::Parse("0.001");
  return spec;
}

Price Tick(int64_t ticks) { return Price::FromRaw(10'000'000 * ticks); }     // 0.01 each
Quantity Lots(int64_t lots) { return Quantity::FromRaw(1'000'000 * lots); }  // 0.001 each

// A book of `levels` levels a side around 100.00 / 100.01, and (when
// `own_orders`) five of our orders resting on each of the two best levels a side.
struct Setup {
  CountingSink sink;
  BalanceBook balances;
  std::unique_ptr<MatchingEngine> engine;

  Setup(int levels, bool own_orders, bool with_balances) {
    MatchingConfig config;
    config.instrument = Spec();
    config.fees = FeeSchedule{*FeeBps::Parse("1"), *FeeBps::Parse("7.5")};
    if (with_balances) {
      config.balances = &balances;
      (void)balances.SetFree(1, "USDT", *Amount::Parse("1000000000"));
      (void)balances.SetFree(1, "BTC", *Amount::Parse("1000000"));
      (void)balances.SetFree(2, "USDT", *Amount::Parse("1000000000"));
    }
    engine = *MatchingEngine::Create(config, &sink);
    for (int i = 0; i < levels; ++i) {
      (void)engine->ApplyBookLevel(kBuy, Tick(10'000 - i), Lots(1000 + i), kT0);
      (void)engine->ApplyBookLevel(kSell, Tick(10'001 + i), Lots(1000 + i), kT0);
    }
    if (own_orders) {
      int id = 0;
      for (int level = 0; level < 2; ++level) {
        for (int k = 0; k < 5; ++k) {
          for (Side side : {kBuy, kSell}) {
            OrderRequest request;
            request.account = 1;
            std::string cid = "rest-" + std::to_string(++id);
            request.client_order_id = cid;
            request.side = side;
            request.price = side == kBuy ? Tick(10'000 - level) : Tick(10'001 + level);
            request.qty = Lots(10);
            engine->Submit(request, kT0);
          }
        }
      }
    }
  }
};

// One replayed level update near the touch (quantity changes every time, so
// the level is restored and our queue positions are clamped).
void BM_ReplayBookUpdate(benchmark::State& state) {
  Setup setup(static_cast<int>(state.range(0)), state.range(1) != 0, false);
  int64_t i = 0;
  for (auto _ : state) {
    const int64_t level = i % 5;
    const Side side = (i & 1) ? kBuy : kSell;
    const Price price = side == kBuy ? Tick(10'000 - level) : Tick(10'001 + level);
    benchmark::DoNotOptimize(
        setup.engine->ApplyBookLevel(side, price, Lots(500 + (i % 997)), kT0).ok());
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplayBookUpdate)
    ->ArgNames({"levels", "own"})
    ->Args({20, 0})
    ->Args({20, 1})
    ->Args({1000, 1});

// A level appears and disappears one tick outside the touch (insert + erase).
void BM_ReplayLevelInsertErase(benchmark::State& state) {
  Setup setup(static_cast<int>(state.range(0)), true, false);
  int64_t i = 0;
  for (auto _ : state) {
    const Quantity qty = (i & 1) ? Quantity::Zero() : Lots(7);
    benchmark::DoNotOptimize(
        setup.engine->ApplyBookLevel(kSell, Tick(9'999 + 1'000), qty, kT0).ok());
    benchmark::DoNotOptimize(
        setup.engine->ApplyBookLevel(kBuy, Tick(10'000 - 1'100), qty, kT0).ok());
    ++i;
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_ReplayLevelInsertErase)->ArgNames({"levels"})->Arg(20)->Arg(1000);

// A replayed trade at a price one tick away from our orders (scans, fills nothing).
void BM_ReplayTrade(benchmark::State& state) {
  Setup setup(20, true, false);
  marketdata::Trade trade;
  trade.price = Tick(10'000);
  trade.qty = Lots(1);
  trade.aggressor = kBuy;  // lifts asks; our asks rest at 100.01 and up
  trade.exchange_time = kT0;
  for (auto _ : state) benchmark::DoNotOptimize(setup.engine->ApplyTrade(trade).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplayTrade);

// An IOC order taking one lot of a deep best ask: one fill, nothing restored.
// Orders are kept by the engine (about 200 bytes each), so iterations are bounded.
void BM_AggressiveOrder(benchmark::State& state) {
  Setup setup(20, false, state.range(0) != 0);
  (void)setup.engine->ApplyBookLevel(kSell, Tick(10'001), Lots(1'000'000'000), kT0);
  OrderRequest request;
  request.account = 2;
  request.client_order_id = "taker";  // closed at once, so the id can be reused
  request.side = kBuy;
  request.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
  request.price = Tick(10'001);
  request.qty = Lots(1);
  for (auto _ : state) benchmark::DoNotOptimize(setup.engine->Submit(request, kT0).order_id);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AggressiveOrder)->ArgNames({"balances"})->Arg(0)->Arg(1)->Iterations(200'000);

// An IOC order sweeping three whole levels and a lot of the fourth, then the
// four replay updates that restore them (subtract 4 x BM_ReplayBookUpdate).
void BM_AggressiveSweepAndRestore(benchmark::State& state) {
  Setup setup(20, false, false);
  OrderRequest request;
  request.account = 2;
  request.client_order_id = "sweep";
  request.side = kBuy;
  request.time_in_force = orders::v1::TIME_IN_FORCE_IOC;
  request.price = Tick(10'004);
  request.qty = Lots(1000 + 1001 + 1002 + 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(setup.engine->Submit(request, kT0).order_id);
    for (int64_t l = 0; l < 4; ++l) {
      (void)setup.engine->ApplyBookLevel(kSell, Tick(10'001 + l), Lots(1000 + l), kT0);
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["fills_per_order"] =
      static_cast<double>(setup.sink.fills) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_AggressiveSweepAndRestore)->Iterations(200'000);

}  // namespace
}  // namespace tradeplane::matching
