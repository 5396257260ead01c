// The full pre-trade check over a realistic state: 50 instruments with
// quotes and 20-level books, positions in most of them, 200 open orders over
// 5 strategies, every limit configured (rates, collar, concentration...).
//
// Besides Google Benchmark's mean, BM_EvaluatePercentiles times each call with
// the steady clock and reports p50/p99/p99.9 in ns as counters (and on stderr),
// with the clock's own cost measured alongside.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/risk_state.h"
#include "tradeplane/risk/trading_mode.h"

namespace tradeplane::risk {
namespace {

constexpr int kInstruments = 50;
constexpr int kOpenOrders = 200;
constexpr int kStrategies = 5;
constexpr int kBookLevels = 20;
const Timestamp kT0 = Timestamp::FromSeconds(1'633'998'512);

int64_t Raw(const char* text) { return fixed_point::ParseRaw(text).value(); }
// Every fifth instrument is quoted in EUR, converted into USDT at 1.1.
const char* QuoteOf(int i) { return i % 5 == 0 ? "EUR" : "USDT"; }

struct World {
  InstrumentTable table;
  std::unique_ptr<RiskState> state;
  std::vector<OrderIntent> approvable;  // one per instrument, inside every limit
  OrderIntent refused;                  // outside the collar
  Timestamp now = kT0 + std::chrono::milliseconds(100);
};

std::unique_ptr<World> MakeWorld() {
  auto w = std::make_unique<World>();
  v1::Limits limits;
  limits.set_valuation_currency("USDT");
  (*limits.mutable_conversion_rates())["EUR"] = Raw("1.1");
  limits.set_max_gross_exposure(Raw("50000000"));
  limits.set_max_net_exposure(Raw("20000000"));
  limits.set_max_open_orders(1000);
  for (int i = 0; i < kInstruments; ++i) {
    InstrumentSpec spec;
    spec.id = InstrumentId{common::v1::VENUE_BINANCE, StrCat("SYM", i, QuoteOf(i))};
    spec.base_asset = StrCat("SYM", i);
    spec.quote_asset = QuoteOf(i);
    spec.tick_size = Price::FromRaw(Raw("0.0001"));
    spec.lot_size = Quantity::FromRaw(Raw("1"));
    spec.price_precision = 4;
    spec.qty_precision = 0;
    w->table.Add(spec).value();
    v1::InstrumentLimits* l = limits.add_instruments();
    spec.id.ToProto(l->mutable_instrument());
    l->set_enabled(true);
    l->set_collar_bps(300);
    l->set_reference_price(v1::REFERENCE_PRICE_MID);
    l->set_max_position(Raw("10000000"));
    l->set_max_qty(Raw("1000000"));
    l->set_min_notional(Raw("0.0001"));
    l->set_max_notional(Raw("1000000"));
    l->set_max_concentration(0.5);
    l->set_max_orders_per_second(1'000'000);
    l->set_max_cancels_per_second(1'000'000);
    l->set_stale_after_ms(5000);
  }
  for (int s = 0; s < kStrategies; ++s) {
    v1::StrategyLimits* sl = limits.add_strategies();
    sl->set_strategy_id(StrCat("strategy-", s));
    sl->set_enabled(true);
    sl->set_max_open_orders(500);
    sl->set_max_orders_per_second(1'000'000);
    sl->set_max_notional(Raw("5000000"));
  }
  auto built = std::make_shared<const RiskLimits>(RiskLimits::FromProto(limits, w->table).value());
  v1::ModeChange active;
  active.set_mode(v1::TRADING_MODE_ACTIVE);
  w->state = std::make_unique<RiskState>(&w->table, built,
                                         TradingModeController::FromStore(active, {}, kT0));
  RiskState& s = *w->state;
  s.SetStartingEquity(Amount::FromRaw(Raw("10000000")));

  for (int i = 0; i < kInstruments; ++i) {
    auto index = static_cast<InstrumentIndex>(i);
    int64_t mid = Raw("10") + i * Raw("0.5");  // 10 .. 34.5
    std::vector<marketdata::BookLevel> bids, asks;
    for (int k = 0; k < kBookLevels; ++k) {
      bids.push_back({Price::FromRaw(mid - (k + 1) * Raw("0.001")), Quantity::FromRaw(Raw("500"))});
      asks.push_back({Price::FromRaw(mid + (k + 1) * Raw("0.001")), Quantity::FromRaw(Raw("500"))});
    }
    s.OnBook(marketdata::BookView{index, bids, asks, 1, kT0}, kT0);
    if (i % 4 != 3) {  // long positions in most instruments: a buy adds to them
      Fill fill;
      fill.fill_id = StrCat("seed-", i);
      fill.strategy_id = StrCat("strategy-", i % kStrategies);
      fill.instrument = index;
      fill.side = common::v1::SIDE_BUY;
      fill.price = Price::FromRaw(mid);
      fill.qty = Quantity::FromRaw(Raw("1000"));
      fill.fee = Amount::FromRaw(Raw("0.01"));
      fill.fee_asset = QuoteOf(i);
      fill.time = kT0;
      s.OnFill(fill).value();
    }
  }
  // 200 resting orders, 4 per instrument, away from the touch, over 5 strategies.
  for (int k = 0; k < kOpenOrders; ++k) {
    int i = k % kInstruments;
    int64_t mid = Raw("10") + i * Raw("0.5");
    OrderIntent o;
    o.client_order_id = StrCat("rest-", k);
    o.strategy_id = StrCat("strategy-", k % kStrategies);
    o.instrument = static_cast<InstrumentIndex>(i);
    bool buy = (k / kInstruments) % 2 == 0;
    o.side = buy ? common::v1::SIDE_BUY : common::v1::SIDE_SELL;
    o.qty = Quantity::FromRaw(Raw("10"));
    o.price = Price::FromRaw(buy ? mid - Raw("0.05") - k * Raw("0.0001")
                                 : mid + Raw("0.05") + k * Raw("0.0001"));
    Decision d = EvaluateAndRecord(o, &s, kT0);
    if (!d.approved) {
      std::fprintf(stderr, "seed order refused: %s\n", d.reason.c_str());
      std::abort();
    }
  }
  for (int i = 0; i < kInstruments; ++i) {
    int64_t mid = Raw("10") + i * Raw("0.5");
    OrderIntent o;
    o.client_order_id = StrCat("probe-", i);
    o.strategy_id = StrCat("strategy-", i % kStrategies);
    o.instrument = static_cast<InstrumentIndex>(i);
    o.side = common::v1::SIDE_BUY;
    o.qty = Quantity::FromRaw(Raw("25"));
    o.price = Price::FromRaw(mid - Raw("0.002"));
    w->approvable.push_back(o);
  }
  w->refused = w->approvable[7];
  w->refused.price = Price::FromRaw(Raw("100"));
  for (const OrderIntent& o : w->approvable) {
    Decision d = Evaluate(o, s, w->now);
    if (!d.approved) {
      std::fprintf(stderr, "probe refused: %s\n", d.reason.c_str());
      std::abort();
    }
  }
  if (s.open_orders().size() != kOpenOrders) std::abort();
  return w;
}

World& TheWorld() {
  static std::unique_ptr<World> world = MakeWorld();
  return *world;
}

// Google Benchmark's mean over the approve path (Evaluate only).
void BM_Evaluate(benchmark::State& bench) {
  World& w = TheWorld();
  size_t k = 0;
  for (auto _ : bench) {
    Decision d = Evaluate(w.approvable[k], *w.state, w.now);
    benchmark::DoNotOptimize(d.approved);
    k = k + 1 == w.approvable.size() ? 0 : k + 1;
  }
}
BENCHMARK(BM_Evaluate);

// The approve path with its effects: evaluate, record (open order, tokens),
// then the order leaves again (CANCELED) so the state stays the same size.
void BM_EvaluateRecordRemove(benchmark::State& bench) {
  World& w = TheWorld();
  size_t k = 0;
  for (auto _ : bench) {
    const OrderIntent& o = w.approvable[k];
    Decision d = EvaluateAndRecord(o, w.state.get(), w.now);
    benchmark::DoNotOptimize(d.approved);
    w.state->OnOrderStatus(o.client_order_id, orders::v1::ORDER_STATUS_CANCELED);
    k = k + 1 == w.approvable.size() ? 0 : k + 1;
  }
}
BENCHMARK(BM_EvaluateRecordRemove);

// A refusal (price collar): builds its sentence.
void BM_EvaluateRefusal(benchmark::State& bench) {
  World& w = TheWorld();
  for (auto _ : bench) {
    Decision d = Evaluate(w.refused, *w.state, w.now);
    benchmark::DoNotOptimize(d.code);
  }
}
BENCHMARK(BM_EvaluateRefusal);

// A quote: market state, the ledger's mark and the instrument's exposure.
void BM_OnQuote(benchmark::State& bench) {
  World& w = TheWorld();
  marketdata::Quote q;
  q.bid_qty = q.ask_qty = Quantity::FromRaw(Raw("500"));
  int i = 0;
  for (auto _ : bench) {
    q.instrument = static_cast<InstrumentIndex>(i);
    int64_t mid = Raw("10") + i * Raw("0.5");
    q.bid_price = Price::FromRaw(mid - Raw("0.001"));
    q.ask_price = Price::FromRaw(mid + Raw("0.001"));
    w.state->OnQuote(q, w.now);
    i = i + 1 == kInstruments ? 0 : i + 1;
  }
}
BENCHMARK(BM_OnQuote);

int64_t Percentile(std::vector<int64_t>& sorted, double p) {
  size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

// Per-call latency of the full check, timed one call at a time.
void BM_EvaluatePercentiles(benchmark::State& bench) {
  World& w = TheWorld();
  constexpr int kCalls = 200'000;
  std::vector<int64_t> call_ns(kCalls);
  std::vector<int64_t> clock_ns(kCalls);
  using Clock = std::chrono::steady_clock;
  for (auto _ : bench) {
    for (int k = 0; k < kCalls; ++k) {
      const OrderIntent& o = w.approvable[static_cast<size_t>(k) % w.approvable.size()];
      Clock::time_point start = Clock::now();
      Decision d = Evaluate(o, *w.state, w.now);
      Clock::time_point end = Clock::now();
      benchmark::DoNotOptimize(d.approved);
      call_ns[static_cast<size_t>(k)] =
          std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    }
    // The clock's own cost: two reads with nothing between.
    for (int k = 0; k < kCalls; ++k) {
      Clock::time_point start = Clock::now();
      Clock::time_point end = Clock::now();
      clock_ns[static_cast<size_t>(k)] =
          std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    }
  }
  std::sort(call_ns.begin(), call_ns.end());
  std::sort(clock_ns.begin(), clock_ns.end());
  bench.counters["p50_ns"] = static_cast<double>(Percentile(call_ns, 0.50));
  bench.counters["p99_ns"] = static_cast<double>(Percentile(call_ns, 0.99));
  bench.counters["p999_ns"] = static_cast<double>(Percentile(call_ns, 0.999));
  bench.counters["clock_p50_ns"] = static_cast<double>(Percentile(clock_ns, 0.50));
  std::fprintf(stderr,
               "full check, %d instruments, %zu open orders, %d calls: p50 %lld ns, p99 %lld ns, "
               "p99.9 %lld ns, max %lld ns (steady clock pair: p50 %lld ns, p99 %lld ns)\n",
               kInstruments, w.state->open_orders().size(), kCalls,
               static_cast<long long>(Percentile(call_ns, 0.50)),
               static_cast<long long>(Percentile(call_ns, 0.99)),
               static_cast<long long>(Percentile(call_ns, 0.999)),
               static_cast<long long>(call_ns.back()),
               static_cast<long long>(Percentile(clock_ns, 0.50)),
               static_cast<long long>(Percentile(clock_ns, 0.99)));
}
BENCHMARK(BM_EvaluatePercentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeplane::risk
