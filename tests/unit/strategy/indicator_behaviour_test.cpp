// What every indicator promises besides its values: parameters are
// validated, non-finite input is refused and leaves the state unchanged,
// non-finite output is detectable, Reset restarts the warm-up, updates do
// not allocate, and the rolling building blocks agree with brute force.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/ids.h"
#include "tradeplane/strategy/indicators.h"
#include "tradeplane/strategy/rolling_extreme.h"
#include "tradeplane/strategy/rolling_moments.h"
#include "tradeplane/testing/allocation_counter.h"

#include "lobster_bars.h"

namespace tradeplane::strategy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& made) {
  return made.ok() ? "" : std::string(made.status().message());
}

TEST_CASE("indicator parameters outside TA-Lib's ranges are refused with the parameter named",
          "[strategy][indicators]") {
  CHECK_THAT(ErrorOf(Sma::Create(0)), Catch::Equals("SMA: period 0 is out of range [1, 100000]"));
  CHECK_THAT(ErrorOf(Ema::Create(100001)), Catch::Contains("EMA: period 100001"));
  CHECK_THAT(ErrorOf(Wma::Create(1)), Catch::Contains("WMA: period 1 is out of range [2,"));
  CHECK_THAT(ErrorOf(Rsi::Create(1)), Catch::Contains("RSI: period 1"));
  CHECK_THAT(ErrorOf(Macd::Create(26, 12, 9)),
             Catch::Contains("fast period 26 must be below the slow period 12"));
  CHECK_THAT(ErrorOf(Macd::Create(12, 26, 0)), Catch::Contains("MACD: signal period 0"));
  CHECK_THAT(ErrorOf(BollingerBands::Create(20, 0)), Catch::Contains("BBANDS: width 0"));
  CHECK_THAT(ErrorOf(BollingerBands::Create(20, kNaN)), Catch::Contains("BBANDS: width nan"));
  CHECK_THAT(ErrorOf(Stochastic::Create(5, 0, 3)), Catch::Contains("slow %K period 0"));
  CHECK_THAT(ErrorOf(Adx::Create(1)), Catch::Contains("ADX: period 1"));
  CHECK_THAT(ErrorOf(KeltnerChannel::Create(20, 0, 2)), Catch::Contains("Keltner: ATR period 0"));
  CHECK_THAT(ErrorOf(SessionVwap::Create(1440)), Catch::Contains("session start minute 1440"));
  CHECK(Sma::Create(1).ok());
  CHECK(Atr::Create(1).ok());
  CHECK(RateOfChange::Create(1).ok());
}

TEST_CASE("a NaN or infinite input is refused and leaves the indicator as it was",
          "[strategy][indicators]") {
  const auto bars = testing::LoadLobsterBars(60);
  Ema clean = *Ema::Create(5);
  Ema dirty = *Ema::Create(5);
  Atr atr_clean = *Atr::Create(5);
  Atr atr_dirty = *Atr::Create(5);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Ohlcv bar{bars[i].open, bars[i].high, bars[i].low, bars[i].close, bars[i].volume};
    CHECK(clean.Update(bar.close));
    CHECK(atr_clean.Update(bar));
    if (i == 3 || i == 12) {
      CHECK_FALSE(dirty.Update(kNaN));
      CHECK_FALSE(dirty.Update(kInf));
      Ohlcv bad = bar;
      bad.low = -kInf;
      CHECK_FALSE(atr_dirty.Update(bad));
    }
    CHECK(dirty.Update(bar.close));
    CHECK(atr_dirty.Update(bar));
  }
  CHECK(dirty.value() == clean.value());
  CHECK(atr_dirty.value() == atr_clean.value());
  Obv obv;
  CHECK_FALSE(obv.Update(kNaN, 10));
  CHECK_FALSE(obv.Ready());
  SessionVwap vwap = *SessionVwap::Create(0);
  CHECK_FALSE(vwap.Update(Timestamp::FromSeconds(1), 10, -1));
  CHECK_FALSE(vwap.Ready());
}

TEST_CASE("an output that overflows is detectable as not Valid", "[strategy][indicators]") {
  Sma sma = *Sma::Create(2);
  CHECK(sma.Update(1.5e308));
  CHECK(sma.Update(1.5e308));  // the sum overflows to infinity
  CHECK(sma.Ready());
  CHECK_FALSE(sma.Valid());
  CHECK(std::isinf(sma.value()));
  ZScore z = *ZScore::Create(2);
  z.Update(-1.5e308);
  z.Update(1.5e308);
  CHECK(z.Ready());
  CHECK_FALSE(z.Valid());
}

TEST_CASE("outputs are NaN until the warm-up ends and Reset starts it again",
          "[strategy][indicators]") {
  Macd macd = *Macd::Create(3, 6, 4);
  for (int i = 0; i < 8; ++i) {
    macd.Update(100 + i);
    CHECK_FALSE(macd.Ready());
    CHECK(std::isnan(macd.signal()));
  }
  macd.Update(108);
  CHECK(macd.Ready());
  CHECK(macd.Valid());
  macd.Reset();
  CHECK_FALSE(macd.Ready());
  Adx adx = *Adx::Create(3);
  for (int i = 0; i < 5; ++i) {
    adx.Update(Ohlcv{10, 11.0 + i, 9.0 + i, 10.5 + i, 1});
    CHECK(std::isnan(adx.adx()));
  }
  adx.Update(Ohlcv{10, 16, 14, 15.5, 1});
  CHECK(adx.Ready());
  CHECK(adx.adx() == 100.0);  // a steady rise: every DX is 100
  CHECK(adx.plus_di() > 0);
  CHECK(adx.minus_di() == 0);
}

TEST_CASE("a flat window has a zero standard deviation and a zero z-score, exactly",
          "[strategy][indicators]") {
  ZScore z = *ZScore::Create(4);
  StandardDeviation sd = *StandardDeviation::Create(4);
  // Values that leave rounding residue in a running variance, then a flat run.
  for (double x : {3355.01, 3355.37, 3354.93, 3355.29, 3355.11, 3355.2, 3355.2, 3355.2, 3355.2}) {
    z.Update(x);
    sd.Update(x);
  }
  CHECK(sd.value() == 0.0);
  CHECK(sd.mean() == 3355.2);
  CHECK(z.value() == 0.0);
  CHECK(z.Valid());
  // Stochastic and Williams %R give 0 for a bar range of zero, as TA-Lib.
  WilliamsR w = *WilliamsR::Create(2);
  w.Update(Ohlcv{5, 5, 5, 5, 1});
  w.Update(Ohlcv{5, 5, 5, 5, 1});
  CHECK(w.value() == 0.0);
}

TEST_CASE("the rolling maximum and minimum agree with a brute-force scan",
          "[strategy][indicators]") {
  SeededRandom random(7);
  for (int window : {1, 2, 5, 17}) {
    RollingMax max(window);
    RollingMin min(window);
    std::vector<double> values;
    for (int i = 0; i < 2000; ++i) {
      // Few distinct values, so ties are common.
      const double x = static_cast<double>(random.Next() % 23);
      values.push_back(x);
      max.Push(x);
      min.Push(x);
      double want_max = x, want_min = x;
      for (int j = 1; j < window && j <= i; ++j) {
        want_max = std::max(want_max, values[values.size() - 1 - j]);
        want_min = std::min(want_min, values[values.size() - 1 - j]);
      }
      REQUIRE(max.value() == want_max);
      REQUIRE(min.value() == want_min);
    }
  }
}

TEST_CASE("the rolling variance stays exact over a long session", "[strategy][indicators]") {
  // 200,000 updates of a walk near 3355 in cent steps: the running sums would
  // drift; the periodic exact recomputation keeps the result within 1e-9.
  SeededRandom random(11);
  const int window = 50;
  StandardDeviation sd = *StandardDeviation::Create(window);
  std::vector<double> last;
  double price = 3355.00;
  for (int i = 0; i < 200'000; ++i) {
    price += (static_cast<int>(random.Next() % 5) - 2) * 0.01;
    sd.Update(price);
    if (i >= 200'000 - window) last.push_back(price);
  }
  double mean = 0;
  for (double x : last) mean += x;
  mean /= window;
  double sq = 0;
  for (double x : last) sq += (x - mean) * (x - mean);
  const double want = std::sqrt(sq / window);
  CHECK(std::fabs(sd.value() - want) <= 1e-9 * want);
}

TEST_CASE("indicator updates allocate nothing", "[strategy][indicators]") {
  const auto bars = testing::LoadLobsterBars(10);
  Sma sma = *Sma::Create(20);
  Ema ema = *Ema::Create(26);
  Wma wma = *Wma::Create(20);
  Dema dema = *Dema::Create(30);
  Tema tema = *Tema::Create(30);
  Rsi rsi = *Rsi::Create(14);
  Macd macd = *Macd::Create(12, 26, 9);
  BollingerBands bb = *BollingerBands::Create(20, 2);
  TrueRange tr;
  Atr atr = *Atr::Create(14);
  StandardDeviation sd = *StandardDeviation::Create(20);
  ZScore z = *ZScore::Create(20);
  RateOfChange roc = *RateOfChange::Create(10);
  Momentum mom = *Momentum::Create(10);
  Stochastic stoch = *Stochastic::Create(14, 3, 3);
  WilliamsR willr = *WilliamsR::Create(14);
  Cci cci = *Cci::Create(20);
  Obv obv;
  SessionVwap vwap = *SessionVwap::Create(0);
  DonchianChannel donchian = *DonchianChannel::Create(20);
  KeltnerChannel keltner = *KeltnerChannel::Create(20, 10, 2);
  Adx adx = *Adx::Create(14);
  tradeplane::testing::CountAllocations counter;
  for (const testing::TestBar& b : bars) {
    const Ohlcv bar{b.open, b.high, b.low, b.close, b.volume};
    sma.Update(b.close);
    ema.Update(b.close);
    wma.Update(b.close);
    dema.Update(b.close);
    tema.Update(b.close);
    rsi.Update(b.close);
    macd.Update(b.close);
    bb.Update(b.close);
    tr.Update(bar);
    atr.Update(bar);
    sd.Update(b.close);
    z.Update(b.close);
    roc.Update(b.close);
    mom.Update(b.close);
    stoch.Update(bar);
    willr.Update(bar);
    cci.Update(bar);
    obv.Update(b.close, b.volume);
    vwap.Update(Timestamp::FromNanos(b.open_ns), (b.high + b.low + b.close) / 3, b.volume);
    donchian.Update(bar);
    keltner.Update(bar);
    adx.Update(bar);
  }
  CHECK(counter.count() == 0);
  CHECK(tema.Ready());
  CHECK(adx.Valid());
}

}  // namespace
}  // namespace tradeplane::strategy
