// Every indicator against reference values computed here, on real bars.
//
// The bars are AMZN's executions of 2021-04-12 09:30-10:00 (LOBSTER), as 30
// one-minute bars and 179 ten-second bars (one ten-second interval has no
// execution), so that the long warm-ups (TEMA(30): 87 bars) are exercised.
// The references are written as a spreadsheet would compute them: straight
// loops over the whole series, one column per formula, independent of the
// streaming code. Each formula names its source. Every output after the
// warm-up must match within 1e-9 relative (1e-9 absolute below 1), and the
// warm-up must emit nothing (Ready() false, outputs NaN) for exactly
// TA-Lib's lookback.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/strategy/indicators.h"

#include "lobster_bars.h"

namespace tradeplane::strategy {
namespace {

using testing::LoadLobsterBars;
using testing::TestBar;
using Series = std::vector<double>;  // NaN where there is no value
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<TestBar>& MinuteBars() {
  static const std::vector<TestBar> bars = LoadLobsterBars(60);
  return bars;
}
const std::vector<TestBar>& TenSecondBars() {
  static const std::vector<TestBar> bars = LoadLobsterBars(10);
  return bars;
}

Series Column(const std::vector<TestBar>& bars, double TestBar::*field) {
  Series out;
  for (const TestBar& b : bars) out.push_back(b.*field);
  return out;
}
Ohlcv ToOhlcv(const TestBar& b) { return Ohlcv{b.open, b.high, b.low, b.close, b.volume}; }
size_t FirstDefined(const Series& x) {
  size_t i = 0;
  while (i < x.size() && std::isnan(x[i])) ++i;
  return i;
}

// ---- Reference formulas -------------------------------------------------

// SMA (TA-Lib SMA; any textbook): mean of the last n values of the defined part.
Series RefSma(const Series& x, int n) {
  Series out(x.size(), kNaN);
  for (size_t t = FirstDefined(x) + n - 1; t < x.size(); ++t) {
    double sum = 0;
    for (int j = 0; j < n; ++j) sum += x[t - j];
    out[t] = sum / n;
  }
  return out;
}

// EMA (TA-Lib EMA, default compatibility, ta_EMA.c): k = 2/(n+1), seeded
// with the SMA of the first n defined values, then e += k * (x - e).
Series RefEma(const Series& x, int n) {
  Series out(x.size(), kNaN);
  const size_t first = FirstDefined(x);
  if (first + n > x.size()) return out;
  double seed = 0;
  for (int j = 0; j < n; ++j) seed += x[first + j];
  out[first + n - 1] = seed / n;
  const double k = 2.0 / (n + 1);
  for (size_t t = first + n; t < x.size(); ++t) out[t] = out[t - 1] + k * (x[t] - out[t - 1]);
  return out;
}

// WMA (TA-Lib WMA): weights n, n-1, ..., 1 from the newest, over n(n+1)/2.
Series RefWma(const Series& x, int n) {
  Series out(x.size(), kNaN);
  for (size_t t = n - 1; t < x.size(); ++t) {
    double sum = 0;
    for (int j = 0; j < n; ++j) sum += (n - j) * x[t - j];
    out[t] = sum / (n * (n + 1) / 2.0);
  }
  return out;
}

// DEMA (TA-Lib DEMA; Mulloy 1994): 2 * EMA(x) - EMA(EMA(x)).
Series RefDema(const Series& x, int n) {
  const Series e1 = RefEma(x, n);
  const Series e2 = RefEma(e1, n);
  Series out(x.size(), kNaN);
  for (size_t t = 0; t < x.size(); ++t) out[t] = 2 * e1[t] - e2[t];
  return out;
}

// TEMA (TA-Lib TEMA; Mulloy 1994): 3 E1 - 3 E2 + E3.
Series RefTema(const Series& x, int n) {
  const Series e1 = RefEma(x, n);
  const Series e2 = RefEma(e1, n);
  const Series e3 = RefEma(e2, n);
  Series out(x.size(), kNaN);
  for (size_t t = 0; t < x.size(); ++t) out[t] = 3 * e1[t] - 3 * e2[t] + e3[t];
  return out;
}

// RSI (Wilder 1978, "New Concepts in Technical Trading Systems"; TA-Lib RSI):
// average gain and loss over the first n changes, then Wilder smoothing
// avg = (avg * (n-1) + today) / n; RSI = 100 * AG / (AG + AL).
Series RefRsi(const Series& x, int n) {
  Series out(x.size(), kNaN);
  double gain = 0, loss = 0;
  for (size_t t = 1; t < x.size(); ++t) {
    const double d = x[t] - x[t - 1];
    const double g = d > 0 ? d : 0, l = d < 0 ? -d : 0;
    if (t <= static_cast<size_t>(n)) {
      gain += g / n;
      loss += l / n;
    } else {
      gain = (gain * (n - 1) + g) / n;
      loss = (loss * (n - 1) + l) / n;
    }
    if (t >= static_cast<size_t>(n)) out[t] = gain + loss == 0 ? 0 : 100 * gain / (gain + loss);
  }
  return out;
}

// MACD (Appel; TA-Lib MACD, ta_MACD.c): line = EMA_fast - EMA_slow where, as
// TA-Lib, "the fast and slow seed windows end on the same bar": the fast EMA
// is seeded with the SMA of x[slow-fast .. slow-1]. Signal = EMA_signal(line),
// histogram = line - signal; all three from index slow + signal - 2.
struct MacdSeries {
  Series line, signal, hist;
};
MacdSeries RefMacd(const Series& x, int fast, int slow, int signal) {
  Series late = x;  // the fast EMA sees nothing before index slow - fast
  for (int i = 0; i < slow - fast; ++i) late[static_cast<size_t>(i)] = kNaN;
  const Series fast_ema = RefEma(late, fast);
  const Series slow_ema = RefEma(x, slow);
  MacdSeries m{Series(x.size(), kNaN), {}, Series(x.size(), kNaN)};
  for (size_t t = 0; t < x.size(); ++t) m.line[t] = fast_ema[t] - slow_ema[t];
  m.signal = RefEma(m.line, signal);
  for (size_t t = 0; t < x.size(); ++t) {
    m.hist[t] = m.line[t] - m.signal[t];
    if (std::isnan(m.signal[t])) m.line[t] = kNaN;
  }
  return m;
}

// Population standard deviation, two passes (TA-Lib STDDEV/BBANDS divide by n).
Series RefStdDev(const Series& x, int n) {
  const Series mean = RefSma(x, n);
  Series out(x.size(), kNaN);
  for (size_t t = n - 1; t < x.size(); ++t) {
    double sq = 0;
    for (int j = 0; j < n; ++j) sq += (x[t - j] - mean[t]) * (x[t - j] - mean[t]);
    out[t] = std::sqrt(sq / n);
  }
  return out;
}

// True range (Wilder 1978; TA-Lib TRANGE): max(H, C_prev) - min(L, C_prev).
Series RefTrueRange(const Series& h, const Series& l, const Series& c) {
  Series out(h.size(), kNaN);
  for (size_t t = 1; t < h.size(); ++t)
    out[t] = std::max(h[t], c[t - 1]) - std::min(l[t], c[t - 1]);
  return out;
}

// ATR (Wilder 1978; TA-Lib ATR): mean of the first n true ranges, then Wilder.
Series RefAtr(const Series& h, const Series& l, const Series& c, int n) {
  const Series tr = RefTrueRange(h, l, c);
  Series out(h.size(), kNaN);
  double atr = 0;
  for (size_t t = 1; t < h.size(); ++t) {
    if (t <= static_cast<size_t>(n)) {
      atr += tr[t];
      if (t == static_cast<size_t>(n)) out[t] = atr /= n;
    } else {
      out[t] = atr = (atr * (n - 1) + tr[t]) / n;
    }
  }
  return out;
}

// Highest high / lowest low of the last n bars, scanned.
double HighestOf(const Series& h, size_t t, int n) {
  double v = h[t];
  for (int j = 1; j < n; ++j) v = std::max(v, h[t - j]);
  return v;
}
double LowestOf(const Series& l, size_t t, int n) {
  double v = l[t];
  for (int j = 1; j < n; ++j) v = std::min(v, l[t - j]);
  return v;
}

// Stochastic (Lane; TA-Lib STOCH with SMA smoothing): fast %K =
// 100 (C - LL) / (HH - LL), slow %K = SMA(fast %K), %D = SMA(slow %K).
struct StochSeries {
  Series k, d;
};
StochSeries RefStoch(const Series& h, const Series& l, const Series& c, int fk, int sk, int sd) {
  Series fast(h.size(), kNaN);
  for (size_t t = fk - 1; t < h.size(); ++t) {
    const double hh = HighestOf(h, t, fk), ll = LowestOf(l, t, fk);
    fast[t] = hh == ll ? 0 : 100 * (c[t] - ll) / (hh - ll);
  }
  StochSeries s{RefSma(fast, sk), {}};
  s.d = RefSma(s.k, sd);
  for (size_t t = 0; t < h.size(); ++t) {
    if (std::isnan(s.d[t])) s.k[t] = kNaN;  // both lines start together
  }
  return s;
}

// Williams %R (Williams 1973; TA-Lib WILLR): -100 (HH - C) / (HH - LL).
Series RefWillr(const Series& h, const Series& l, const Series& c, int n) {
  Series out(h.size(), kNaN);
  for (size_t t = n - 1; t < h.size(); ++t) {
    const double hh = HighestOf(h, t, n), ll = LowestOf(l, t, n);
    out[t] = hh == ll ? 0 : -100 * (hh - c[t]) / (hh - ll);
  }
  return out;
}

// CCI (Lambert 1980; TA-Lib CCI): TP = (H+L+C)/3, (TP - SMA(TP)) / (0.015 MD)
// with MD the mean absolute deviation of TP from SMA(TP).
Series RefCci(const Series& h, const Series& l, const Series& c, int n) {
  Series tp(h.size());
  for (size_t t = 0; t < h.size(); ++t) tp[t] = (h[t] + l[t] + c[t]) / 3;
  const Series mean = RefSma(tp, n);
  Series out(h.size(), kNaN);
  for (size_t t = n - 1; t < h.size(); ++t) {
    double md = 0;
    for (int j = 0; j < n; ++j) md += std::fabs(tp[t - j] - mean[t]);
    md /= n;
    out[t] = md == 0 || tp[t] == mean[t] ? 0 : (tp[t] - mean[t]) / (0.015 * md);
  }
  return out;
}

// OBV (Granville 1963; TA-Lib OBV starts at the first volume).
Series RefObv(const Series& c, const Series& v) {
  Series out(c.size(), kNaN);
  for (size_t t = 0; t < c.size(); ++t) {
    out[t] = t == 0            ? v[0]
             : c[t] > c[t - 1] ? out[t - 1] + v[t]
             : c[t] < c[t - 1] ? out[t - 1] - v[t]
                               : out[t - 1];
  }
  return out;
}

// ---- Comparison ---------------------------------------------------------

bool Close(double got, double want) {
  return std::fabs(got - want) <= 1e-9 * std::max(1.0, std::fabs(want));
}

struct Output {
  std::string name;
  Series got;
  Series want;
};

// What Drive saw after each bar: Ready(), and each output.
struct Recorder {
  std::vector<bool> ready;
  std::vector<Series> got;
};

void ExpectMatch(const std::string& name, size_t lookback, const std::vector<bool>& ready,
                 const std::vector<Output>& outputs) {
  INFO(name << ", lookback " << lookback << ", " << ready.size() << " bars");
  REQUIRE(ready.size() > lookback);
  size_t warmup_leaks = 0, not_ready = 0, mismatches = 0, checked = 0;
  std::string first_problem;
  for (size_t t = 0; t < ready.size(); ++t) {
    for (const Output& o : outputs) {
      if (t < lookback) {
        if (ready[t] || !std::isnan(o.got[t]) || !std::isnan(o.want[t])) {
          ++warmup_leaks;
          if (first_problem.empty()) {
            first_problem = o.name + " emitted during warm-up at bar " + std::to_string(t);
          }
        }
      } else if (!ready[t] || std::isnan(o.want[t])) {
        ++not_ready;
        if (first_problem.empty())
          first_problem = o.name + " not ready at bar " + std::to_string(t);
      } else {
        ++checked;
        if (!Close(o.got[t], o.want[t])) {
          ++mismatches;
          if (first_problem.empty()) {
            first_problem = o.name + " at bar " + std::to_string(t) + ": got " +
                            std::to_string(o.got[t]) + ", want " + std::to_string(o.want[t]);
          }
        }
      }
    }
  }
  INFO(first_problem);
  CHECK(warmup_leaks == 0);
  CHECK(not_ready == 0);
  CHECK(mismatches == 0);
  CHECK(checked == (ready.size() - lookback) * outputs.size());
}

template <typename Indicator, typename Feed, typename... Getters>
Recorder Drive(Indicator indicator, const std::vector<TestBar>& bars, Feed feed,
               Getters... getters) {
  Recorder r;
  r.got.resize(sizeof...(Getters));
  for (const TestBar& bar : bars) {
    REQUIRE(feed(indicator, bar));
    r.ready.push_back(indicator.Ready());
    size_t i = 0;
    ((r.got[i++].push_back(getters(indicator))), ...);
  }
  return r;
}

auto ByClose = [](auto& ind, const TestBar& b) { return ind.Update(b.close); };
auto ByBar = [](auto& ind, const TestBar& b) { return ind.Update(ToOhlcv(b)); };

struct Periods {
  int sma, ema, wma, dema, tema, rsi, macd_fast, macd_slow, macd_signal, bb, atr, stddev, zscore,
      roc, stoch_k, stoch_slow_k, stoch_slow_d, willr, cci, donchian, keltner_ema, keltner_atr, adx;
};
// One-minute bars (30): short periods so each output has a stretch to check.
constexpr Periods kMinute{5, 5, 5, 4, 4, 6, 3, 8, 4, 6, 5, 6, 6, 4, 5, 3, 3, 6, 7, 6, 6, 5, 5};
// Ten-second bars (179): TA-Lib's defaults and longer.
constexpr Periods kTenSecond{20, 26, 20, 30, 30, 14, 12, 26, 9,  20, 14, 20,
                             30, 10, 14, 3,  3,  14, 20, 20, 20, 10, 14};

struct SeriesUnderTest {
  const char* label;
  const std::vector<TestBar>& (*bars)();
  Periods p;
};
const SeriesUnderTest kSeries[] = {{"1-minute bars", MinuteBars, kMinute},
                                   {"10-second bars", TenSecondBars, kTenSecond}};

TEST_CASE("the real bars are 30 one-minute and 179 ten-second bars", "[strategy][indicators]") {
  CHECK(MinuteBars().size() == 30);
  CHECK(TenSecondBars().size() == 179);
  // The first execution (type 5, hidden) at 09:30:00.000377; the opening
  // cross (type 6, 45,725 shares at 3355.21) is not an execution and is left out.
  CHECK(MinuteBars().front().open == 3357.84);
  double volume = 0;
  for (const TestBar& b : MinuteBars()) volume += b.volume;
  double volume_10s = 0;
  for (const TestBar& b : TenSecondBars()) volume_10s += b.volume;
  CHECK(volume == volume_10s);
}

TEST_CASE("moving averages match the reference: SMA EMA WMA DEMA TEMA", "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series close = Column(bars, &TestBar::close);
    const Periods& p = s.p;
    auto value = [](const auto& ind) { return ind.value(); };
    const std::string label = s.label;
    {
      Recorder r = Drive(*Sma::Create(p.sma), bars, ByClose, value);
      ExpectMatch(label + " SMA", p.sma - 1, r.ready, {{"SMA", r.got[0], RefSma(close, p.sma)}});
    }
    {
      Recorder r = Drive(*Ema::Create(p.ema), bars, ByClose, value);
      ExpectMatch(label + " EMA", p.ema - 1, r.ready, {{"EMA", r.got[0], RefEma(close, p.ema)}});
    }
    {
      Recorder r = Drive(*Wma::Create(p.wma), bars, ByClose, value);
      ExpectMatch(label + " WMA", p.wma - 1, r.ready, {{"WMA", r.got[0], RefWma(close, p.wma)}});
    }
    {
      Recorder r = Drive(*Dema::Create(p.dema), bars, ByClose, value);
      ExpectMatch(label + " DEMA", 2 * (p.dema - 1), r.ready,
                  {{"DEMA", r.got[0], RefDema(close, p.dema)}});
    }
    {
      Recorder r = Drive(*Tema::Create(p.tema), bars, ByClose, value);
      ExpectMatch(label + " TEMA", 3 * (p.tema - 1), r.ready,
                  {{"TEMA", r.got[0], RefTema(close, p.tema)}});
    }
  }
}

TEST_CASE("RSI and MACD match the reference, MACD(12, 26, 9) after 33 bars",
          "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series close = Column(bars, &TestBar::close);
    const Periods& p = s.p;
    const std::string label = s.label;
    {
      Recorder r =
          Drive(*Rsi::Create(p.rsi), bars, ByClose, [](const Rsi& ind) { return ind.value(); });
      ExpectMatch(label + " RSI", p.rsi, r.ready, {{"RSI", r.got[0], RefRsi(close, p.rsi)}});
    }
    {
      Macd macd = *Macd::Create(p.macd_fast, p.macd_slow, p.macd_signal);
      const size_t lookback = p.macd_slow + p.macd_signal - 2;
      CHECK(macd.lookback() == static_cast<int>(lookback));
      Recorder r = Drive(
          macd, bars, ByClose, [](const Macd& m) { return m.Ready() ? m.line() : kNaN; },
          [](const Macd& m) { return m.signal(); },
          [](const Macd& m) { return m.Ready() ? m.histogram() : kNaN; });
      const MacdSeries want = RefMacd(close, p.macd_fast, p.macd_slow, p.macd_signal);
      ExpectMatch(label + " MACD", lookback, r.ready,
                  {{"line", r.got[0], want.line},
                   {"signal", r.got[1], want.signal},
                   {"histogram", r.got[2], want.hist}});
    }
  }
  CHECK(Macd::Create(12, 26, 9)->lookback() == 33);
}

TEST_CASE("Bollinger Bands, standard deviation and z-score match two-pass references",
          "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series close = Column(bars, &TestBar::close);
    const Periods& p = s.p;
    const std::string label = s.label;
    {
      Recorder r = Drive(
          *BollingerBands::Create(p.bb, 2.0), bars, ByClose,
          [](const BollingerBands& b) { return b.upper(); },
          [](const BollingerBands& b) { return b.middle(); },
          [](const BollingerBands& b) { return b.lower(); });
      // Bollinger (2001): SMA middle, +/- K population standard deviations.
      const Series mid = RefSma(close, p.bb), sd = RefStdDev(close, p.bb);
      Series upper(close.size()), lower(close.size());
      for (size_t t = 0; t < close.size(); ++t) {
        upper[t] = mid[t] + 2.0 * sd[t];
        lower[t] = mid[t] - 2.0 * sd[t];
      }
      ExpectMatch(
          label + " BBANDS", p.bb - 1, r.ready,
          {{"upper", r.got[0], upper}, {"middle", r.got[1], mid}, {"lower", r.got[2], lower}});
    }
    {
      Recorder r = Drive(*StandardDeviation::Create(p.stddev), bars, ByClose,
                         [](const StandardDeviation& ind) { return ind.value(); });
      ExpectMatch(label + " STDDEV", p.stddev - 1, r.ready,
                  {{"STDDEV", r.got[0], RefStdDev(close, p.stddev)}});
    }
    {
      Recorder r = Drive(*ZScore::Create(p.zscore), bars, ByClose,
                         [](const ZScore& ind) { return ind.value(); });
      // Standard score over the window that includes the value itself.
      const Series mean = RefSma(close, p.zscore), sd = RefStdDev(close, p.zscore);
      Series z(close.size());
      for (size_t t = 0; t < close.size(); ++t) z[t] = (close[t] - mean[t]) / sd[t];
      ExpectMatch(label + " z-score", p.zscore - 1, r.ready, {{"z", r.got[0], z}});
    }
  }
}

TEST_CASE("ROC and momentum match the reference", "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series close = Column(bars, &TestBar::close);
    const int n = s.p.roc;
    // TA-Lib ROC: ((x / x[t-n]) - 1) * 100; MOM: x - x[t-n].
    Series roc(close.size(), kNaN), mom(close.size(), kNaN);
    for (size_t t = n; t < close.size(); ++t) {
      roc[t] = (close[t] / close[t - n] - 1) * 100;
      mom[t] = close[t] - close[t - n];
    }
    Recorder r1 = Drive(*RateOfChange::Create(n), bars, ByClose,
                        [](const RateOfChange& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " ROC", n, r1.ready, {{"ROC", r1.got[0], roc}});
    Recorder r2 =
        Drive(*Momentum::Create(n), bars, ByClose, [](const Momentum& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " MOM", n, r2.ready, {{"MOM", r2.got[0], mom}});
  }
}

TEST_CASE("true range and ATR match Wilder's definitions", "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series h = Column(bars, &TestBar::high), l = Column(bars, &TestBar::low),
                 c = Column(bars, &TestBar::close);
    Recorder r1 = Drive(TrueRange(), bars, ByBar, [](const TrueRange& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " TRANGE", 1, r1.ready,
                {{"TR", r1.got[0], RefTrueRange(h, l, c)}});
    Recorder r2 =
        Drive(*Atr::Create(s.p.atr), bars, ByBar, [](const Atr& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " ATR", s.p.atr, r2.ready,
                {{"ATR", r2.got[0], RefAtr(h, l, c, s.p.atr)}});
  }
}

TEST_CASE("stochastic, Williams %R and CCI match the reference", "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series h = Column(bars, &TestBar::high), l = Column(bars, &TestBar::low),
                 c = Column(bars, &TestBar::close);
    const Periods& p = s.p;
    const std::string label = s.label;
    {
      Recorder r = Drive(
          *Stochastic::Create(p.stoch_k, p.stoch_slow_k, p.stoch_slow_d), bars, ByBar,
          [](const Stochastic& ind) { return ind.k(); },
          [](const Stochastic& ind) { return ind.d(); });
      const StochSeries want = RefStoch(h, l, c, p.stoch_k, p.stoch_slow_k, p.stoch_slow_d);
      ExpectMatch(label + " STOCH", p.stoch_k + p.stoch_slow_k + p.stoch_slow_d - 3, r.ready,
                  {{"%K", r.got[0], want.k}, {"%D", r.got[1], want.d}});
    }
    {
      Recorder r = Drive(*WilliamsR::Create(p.willr), bars, ByBar,
                         [](const WilliamsR& ind) { return ind.value(); });
      ExpectMatch(label + " WILLR", p.willr - 1, r.ready,
                  {{"%R", r.got[0], RefWillr(h, l, c, p.willr)}});
    }
    {
      Recorder r =
          Drive(*Cci::Create(p.cci), bars, ByBar, [](const Cci& ind) { return ind.value(); });
      ExpectMatch(label + " CCI", p.cci - 1, r.ready, {{"CCI", r.got[0], RefCci(h, l, c, p.cci)}});
    }
  }
}

TEST_CASE("OBV and session VWAP match the reference, VWAP restarting each session",
          "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series c = Column(bars, &TestBar::close), v = Column(bars, &TestBar::volume);
    Recorder r1 = Drive(
        Obv(), bars, [](Obv& ind, const TestBar& b) { return ind.Update(b.close, b.volume); },
        [](const Obv& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " OBV", 0, r1.ready, {{"OBV", r1.got[0], RefObv(c, v)}});

    // Sessions starting 09:45 UTC split the half hour in two. Each bar
    // contributes its executions' own price x size (the exact VWAP).
    constexpr int kSessionStartMinute = 9 * 60 + 45;
    const int64_t boundary_ns =
        (DaysFromCivil(2021, 4, 12) * 86400 + 9 * 3600 + 45 * 60) * int64_t{1'000'000'000};
    Series want(bars.size());
    double pv = 0, vol = 0;
    size_t restarts = 0;
    for (size_t t = 0; t < bars.size(); ++t) {
      if (t > 0 && bars[t - 1].open_ns < boundary_ns && bars[t].open_ns >= boundary_ns) {
        pv = vol = 0;
        ++restarts;
      }
      pv += bars[t].price_volume;
      vol += bars[t].volume;
      want[t] = pv / vol;
    }
    CHECK(restarts == 1);
    Recorder r2 = Drive(
        *SessionVwap::Create(kSessionStartMinute), bars,
        [](SessionVwap& ind, const TestBar& b) {
          return ind.Update(Timestamp::FromNanos(b.open_ns), b.price_volume / b.volume, b.volume);
        },
        [](const SessionVwap& ind) { return ind.value(); });
    ExpectMatch(std::string(s.label) + " VWAP", 0, r2.ready, {{"VWAP", r2.got[0], want}});
  }
}

TEST_CASE("Donchian and Keltner channels match their published definitions",
          "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series h = Column(bars, &TestBar::high), l = Column(bars, &TestBar::low),
                 c = Column(bars, &TestBar::close);
    const Periods& p = s.p;
    const std::string label = s.label;
    {
      // StockCharts "Donchian Channels": highest high / lowest low of the
      // last n bars, middle their average.
      Series upper(h.size(), kNaN), lower(h.size(), kNaN), middle(h.size(), kNaN);
      for (size_t t = p.donchian - 1; t < h.size(); ++t) {
        upper[t] = HighestOf(h, t, p.donchian);
        lower[t] = LowestOf(l, t, p.donchian);
        middle[t] = (upper[t] + lower[t]) / 2;
      }
      Recorder r = Drive(
          *DonchianChannel::Create(p.donchian), bars, ByBar,
          [](const DonchianChannel& d) { return d.upper(); },
          [](const DonchianChannel& d) { return d.middle(); },
          [](const DonchianChannel& d) { return d.lower(); });
      ExpectMatch(
          label + " Donchian", p.donchian - 1, r.ready,
          {{"upper", r.got[0], upper}, {"middle", r.got[1], middle}, {"lower", r.got[2], lower}});
    }
    {
      // StockCharts "Keltner Channels": EMA(close) +/- K * ATR.
      const double k = 1.5;
      const Series ema = RefEma(c, p.keltner_ema), atr = RefAtr(h, l, c, p.keltner_atr);
      const size_t lookback = std::max(p.keltner_ema - 1, p.keltner_atr);
      Series upper(h.size(), kNaN), lower(h.size(), kNaN), middle(h.size(), kNaN);
      for (size_t t = lookback; t < h.size(); ++t) {
        middle[t] = ema[t];
        upper[t] = ema[t] + k * atr[t];
        lower[t] = ema[t] - k * atr[t];
      }
      Recorder r = Drive(
          *KeltnerChannel::Create(p.keltner_ema, p.keltner_atr, k), bars, ByBar,
          [](const KeltnerChannel& d) { return d.upper(); },
          [](const KeltnerChannel& d) { return d.middle(); },
          [](const KeltnerChannel& d) { return d.lower(); });
      ExpectMatch(
          label + " Keltner", lookback, r.ready,
          {{"upper", r.got[0], upper}, {"middle", r.got[1], middle}, {"lower", r.got[2], lower}});
    }
  }
}

// ADX (Wilder 1978, as TA-Lib ta_ADX.c / ta_PLUS_DI.c seed it): DM and TR
// summed over bars 2..n (n - 1 values), then Wilder-smoothed from bar n + 1
// (S = S - S/n + today); DI = 100 DM / TR; DX = 100 |+DI - -DI| / (+DI + -DI);
// ADX = mean of the first n DX, then (ADX (n-1) + DX) / n.
struct AdxSeries {
  Series plus, minus, adx;
};
AdxSeries RefAdx(const Series& h, const Series& l, const Series& c, int n) {
  const size_t size = h.size();
  Series plus_dm(size, 0), minus_dm(size, 0);
  const Series tr = RefTrueRange(h, l, c);
  for (size_t t = 1; t < size; ++t) {
    const double up = h[t] - h[t - 1], down = l[t - 1] - l[t];
    if (up > down && up > 0) plus_dm[t] = up;
    if (down > up && down > 0) minus_dm[t] = down;
  }
  AdxSeries out{Series(size, kNaN), Series(size, kNaN), Series(size, kNaN)};
  double sp = 0, sm = 0, st = 0;
  for (int t = 1; t < n; ++t) {
    sp += plus_dm[t];
    sm += minus_dm[t];
    st += tr[t];
  }
  Series dx(size, kNaN);
  for (size_t t = n; t < size; ++t) {
    sp = sp - sp / n + plus_dm[t];
    sm = sm - sm / n + minus_dm[t];
    st = st - st / n + tr[t];
    out.plus[t] = st == 0 ? 0 : 100 * sp / st;
    out.minus[t] = st == 0 ? 0 : 100 * sm / st;
    const double sum = out.plus[t] + out.minus[t];
    if (st != 0 && sum != 0) dx[t] = 100 * std::fabs(out.plus[t] - out.minus[t]) / sum;
  }
  double adx = 0;
  for (size_t t = n; t < size; ++t) {
    if (t < static_cast<size_t>(2 * n - 1)) {
      if (!std::isnan(dx[t])) adx += dx[t];
    } else if (t == static_cast<size_t>(2 * n - 1)) {
      if (!std::isnan(dx[t])) adx += dx[t];
      out.adx[t] = adx /= n;
    } else {
      if (!std::isnan(dx[t])) adx = (adx * (n - 1) + dx[t]) / n;
      out.adx[t] = adx;
    }
  }
  return out;
}

TEST_CASE("ADX with +DI and -DI matches Wilder's definitions with TA-Lib's seeding",
          "[strategy][indicators]") {
  for (const SeriesUnderTest& s : kSeries) {
    const auto& bars = s.bars();
    const Series h = Column(bars, &TestBar::high), l = Column(bars, &TestBar::low),
                 c = Column(bars, &TestBar::close);
    const int n = s.p.adx;
    const AdxSeries want = RefAdx(h, l, c, n);
    Adx adx = *Adx::Create(n);
    std::vector<bool> di_ready, adx_ready;
    Series plus, minus, value;
    for (const TestBar& bar : bars) {
      REQUIRE(adx.Update(ToOhlcv(bar)));
      di_ready.push_back(adx.DiReady());
      adx_ready.push_back(adx.Ready());
      plus.push_back(adx.DiReady() ? adx.plus_di() : kNaN);
      minus.push_back(adx.DiReady() ? adx.minus_di() : kNaN);
      value.push_back(adx.adx());
    }
    ExpectMatch(std::string(s.label) + " +DI/-DI", n, di_ready,
                {{"+DI", plus, want.plus}, {"-DI", minus, want.minus}});
    ExpectMatch(std::string(s.label) + " ADX", 2 * n - 1, adx_ready, {{"ADX", value, want.adx}});
  }
}

// Golden numbers from TA-Lib itself: its C functions (TA_EMA, TA_MACD,
// TA_ADX, ...; TA-Lib 0.6 source) run once over the same 179 ten-second bars,
// printed with %.17g. The first value proves the lookback and the seeding,
// the last one the recursion over the whole series.
TEST_CASE("ten-second bars reproduce TA-Lib's own first and last values",
          "[strategy][indicators]") {
  struct Golden {
    const char* name;
    size_t first_bar;
    double first;
    double last;
  };
  const Golden kTaLib[] = {
      {"ema_26", 25, 3368.5696153846166, 3368.9568405447035},
      {"dema_30", 58, 3393.3270068379684, 3371.2463824458796},
      {"tema_30", 87, 3376.9763392091118, 3374.1080721572889},
      {"wma_20", 19, 3367.5282142857141, 3371.0640476190188},
      {"rsi_14", 14, 78.956834532376035, 71.158095409638761},
      {"macd_12_26_9", 33, 4.197923181621718, 2.4322533148192633},
      {"macd_signal_12_26_9", 33, 4.5596039266394355, 2.1149801680643501},
      {"macd_hist_12_26_9", 33, -0.36168074501771752, 0.31727314675491325},
      {"atr_14", 14, 2.650357142857144, 1.561222202910068},
      {"stoch_k_14_3_3", 17, 68.313591423955202, 88.531073446326658},
      {"stoch_d_14_3_3", 17, 79.25258763664533, 86.889402771689745},
      {"willr_14", 13, -3.4906270200385947, 0},
      {"cci_20", 19, 67.259644865420455, 116.60631847368505},
      {"adx_14", 27, 61.851272063859426, 29.535128517799983},
      {"plus_di_14", 14, 31.822169017863928, 37.173951691433373},
      {"minus_di_14", 14, 4.8812705751230814, 16.856671720413313},
      {"obv", 0, 6578, 39273},
      {"roc_10", 10, 0.33380679703296501, 0.11958563429348423},
  };
  const auto& bars = TenSecondBars();
  Ema ema = *Ema::Create(26);
  Dema dema = *Dema::Create(30);
  Tema tema = *Tema::Create(30);
  Wma wma = *Wma::Create(20);
  Rsi rsi = *Rsi::Create(14);
  Macd macd = *Macd::Create(12, 26, 9);
  Atr atr = *Atr::Create(14);
  Stochastic stoch = *Stochastic::Create(14, 3, 3);
  WilliamsR willr = *WilliamsR::Create(14);
  Cci cci = *Cci::Create(20);
  Adx adx = *Adx::Create(14);
  Obv obv;
  RateOfChange roc = *RateOfChange::Create(10);
  std::vector<std::vector<double>> got(std::size(kTaLib));
  for (const TestBar& b : bars) {
    const Ohlcv bar = ToOhlcv(b);
    ema.Update(b.close);
    dema.Update(b.close);
    tema.Update(b.close);
    wma.Update(b.close);
    rsi.Update(b.close);
    macd.Update(b.close);
    atr.Update(bar);
    stoch.Update(bar);
    willr.Update(bar);
    cci.Update(bar);
    adx.Update(bar);
    obv.Update(b.close, b.volume);
    roc.Update(b.close);
    const double values[] = {ema.value(),
                             dema.value(),
                             tema.value(),
                             wma.value(),
                             rsi.value(),
                             macd.Ready() ? macd.line() : kNaN,
                             macd.signal(),
                             macd.Ready() ? macd.histogram() : kNaN,
                             atr.value(),
                             stoch.k(),
                             stoch.d(),
                             willr.value(),
                             cci.value(),
                             adx.adx(),
                             adx.DiReady() ? adx.plus_di() : kNaN,
                             adx.DiReady() ? adx.minus_di() : kNaN,
                             obv.value(),
                             roc.value()};
    for (size_t i = 0; i < std::size(kTaLib); ++i) got[i].push_back(values[i]);
  }
  for (size_t i = 0; i < std::size(kTaLib); ++i) {
    const Golden& g = kTaLib[i];
    INFO(g.name);
    const Series& series = got[i];
    CHECK(FirstDefined(series) == g.first_bar);
    CHECK(std::fabs(series[g.first_bar] - g.first) <= 1e-12 * std::max(1.0, std::fabs(g.first)));
    CHECK(std::fabs(series.back() - g.last) <= 1e-12 * std::max(1.0, std::fabs(g.last)));
  }
}

}  // namespace
}  // namespace tradeplane::strategy
