// Nanoseconds per update for each indicator, over a price walk near AMZN's
// level (3355, cent ticks). Each iteration is one bar.
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/core/ids.h"
#include "tradeplane/strategy/indicators.h"

namespace tradeplane::strategy {
namespace {

constexpr size_t kBars = 4096;  // a power of two: the index wraps with a mask

const std::vector<Ohlcv>& Bars() {
  static const std::vector<Ohlcv> bars = [] {
    SeededRandom random(1);
    std::vector<Ohlcv> out;
    double close = 3355.0;
    for (size_t i = 0; i < kBars; ++i) {
      const double open = close;
      close += (static_cast<int>(random.Next() % 21) - 10) * 0.01;
      const double high = std::max(open, close) + static_cast<double>(random.Next() % 5) * 0.01;
      const double low = std::min(open, close) - static_cast<double>(random.Next() % 5) * 0.01;
      out.push_back(Ohlcv{open, high, low, close, static_cast<double>(100 + random.Next() % 900)});
    }
    return out;
  }();
  return bars;
}

template <typename Indicator>
void RunOnClose(benchmark::State& state, Indicator indicator) {
  const std::vector<Ohlcv>& bars = Bars();
  size_t i = 0;
  for (auto _ : state) {
    indicator.Update(bars[i++ & (kBars - 1)].close);
    benchmark::DoNotOptimize(indicator);
  }
}

template <typename Indicator>
void RunOnBar(benchmark::State& state, Indicator indicator) {
  const std::vector<Ohlcv>& bars = Bars();
  size_t i = 0;
  for (auto _ : state) {
    indicator.Update(bars[i++ & (kBars - 1)]);
    benchmark::DoNotOptimize(indicator);
  }
}

void BM_Sma20(benchmark::State& s) { RunOnClose(s, *Sma::Create(20)); }
void BM_Ema26(benchmark::State& s) { RunOnClose(s, *Ema::Create(26)); }
void BM_Wma20(benchmark::State& s) { RunOnClose(s, *Wma::Create(20)); }
void BM_Dema30(benchmark::State& s) { RunOnClose(s, *Dema::Create(30)); }
void BM_Tema30(benchmark::State& s) { RunOnClose(s, *Tema::Create(30)); }
void BM_Rsi14(benchmark::State& s) { RunOnClose(s, *Rsi::Create(14)); }
void BM_Macd12_26_9(benchmark::State& s) { RunOnClose(s, *Macd::Create(12, 26, 9)); }
void BM_BollingerBands20(benchmark::State& s) { RunOnClose(s, *BollingerBands::Create(20, 2)); }
void BM_TrueRange(benchmark::State& s) { RunOnBar(s, TrueRange()); }
void BM_Atr14(benchmark::State& s) { RunOnBar(s, *Atr::Create(14)); }
void BM_StandardDeviation20(benchmark::State& s) { RunOnClose(s, *StandardDeviation::Create(20)); }
void BM_ZScore20(benchmark::State& s) { RunOnClose(s, *ZScore::Create(20)); }
void BM_RateOfChange10(benchmark::State& s) { RunOnClose(s, *RateOfChange::Create(10)); }
void BM_Momentum10(benchmark::State& s) { RunOnClose(s, *Momentum::Create(10)); }
void BM_Stochastic14_3_3(benchmark::State& s) { RunOnBar(s, *Stochastic::Create(14, 3, 3)); }
void BM_WilliamsR14(benchmark::State& s) { RunOnBar(s, *WilliamsR::Create(14)); }
void BM_Cci20(benchmark::State& s) { RunOnBar(s, *Cci::Create(20)); }
void BM_DonchianChannel20(benchmark::State& s) { RunOnBar(s, *DonchianChannel::Create(20)); }
void BM_KeltnerChannel20_10(benchmark::State& s) {
  RunOnBar(s, *KeltnerChannel::Create(20, 10, 2));
}
void BM_Adx14(benchmark::State& s) { RunOnBar(s, *Adx::Create(14)); }

void BM_Obv(benchmark::State& state) {
  const std::vector<Ohlcv>& bars = Bars();
  Obv obv;
  size_t i = 0;
  for (auto _ : state) {
    const Ohlcv& bar = bars[i++ & (kBars - 1)];
    obv.Update(bar.close, bar.volume);
    benchmark::DoNotOptimize(obv);
  }
}

void BM_SessionVwap(benchmark::State& state) {
  const std::vector<Ohlcv>& bars = Bars();
  SessionVwap vwap = *SessionVwap::Create(0);
  size_t i = 0;
  for (auto _ : state) {
    const Ohlcv& bar = bars[i & (kBars - 1)];
    vwap.Update(Timestamp::FromSeconds(static_cast<int64_t>(i) * 60), bar.close, bar.volume);
    ++i;
    benchmark::DoNotOptimize(vwap);
  }
}

BENCHMARK(BM_Sma20);
BENCHMARK(BM_Ema26);
BENCHMARK(BM_Wma20);
BENCHMARK(BM_Dema30);
BENCHMARK(BM_Tema30);
BENCHMARK(BM_Rsi14);
BENCHMARK(BM_Macd12_26_9);
BENCHMARK(BM_BollingerBands20);
BENCHMARK(BM_TrueRange);
BENCHMARK(BM_Atr14);
BENCHMARK(BM_StandardDeviation20);
BENCHMARK(BM_ZScore20);
BENCHMARK(BM_RateOfChange10);
BENCHMARK(BM_Momentum10);
BENCHMARK(BM_Stochastic14_3_3);
BENCHMARK(BM_WilliamsR14);
BENCHMARK(BM_Cci20);
BENCHMARK(BM_Obv);
BENCHMARK(BM_SessionVwap);
BENCHMARK(BM_DonchianChannel20);
BENCHMARK(BM_KeltnerChannel20_10);
BENCHMARK(BM_Adx14);

}  // namespace
}  // namespace tradeplane::strategy
