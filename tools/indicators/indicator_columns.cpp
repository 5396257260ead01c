#include "indicator_columns.h"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/indicators.h"

namespace tradeplane::indicators_tool {
namespace {

using strategy::Ohlcv;

// Each output: whether it has a value yet, and the value.
template <typename Indicator>
struct Output {
  bool (*ready)(const Indicator&);
  double (*value)(const Indicator&);
};

template <typename Indicator>
class Columns final : public IndicatorColumns {
 public:
  using Feed = void (*)(Indicator&, const InputBar&);

  Columns(Indicator indicator, std::vector<std::string> names, Feed feed,
          std::vector<Output<Indicator>> outputs)
      : IndicatorColumns(std::move(names)),
        indicator_(std::move(indicator)),
        feed_(feed),
        outputs_(std::move(outputs)) {}

  void Update(const InputBar& bar) override { feed_(indicator_, bar); }

  void AppendCells(std::string* out) const override {
    for (const Output<Indicator>& output : outputs_) {
      out->push_back(',');
      if (output.ready(indicator_)) AppendNumber(output.value(indicator_), out);
    }
  }

 private:
  Indicator indicator_;
  Feed feed_;
  std::vector<Output<Indicator>> outputs_;
};

template <typename Indicator>
bool IsReady(const Indicator& i) {
  return i.Ready();
}
template <typename Indicator>
double ValueOf(const Indicator& i) {
  return i.value();
}
template <typename Indicator>
void FeedClose(Indicator& i, const InputBar& bar) {
  i.Update(bar.values.close);
}
template <typename Indicator>
void FeedBar(Indicator& i, const InputBar& bar) {
  i.Update(bar.values);
}

template <typename Indicator>
absl::StatusOr<std::unique_ptr<IndicatorColumns>> Make(absl::StatusOr<Indicator> made,
                                                       std::vector<std::string> names,
                                                       typename Columns<Indicator>::Feed feed,
                                                       std::vector<Output<Indicator>> outputs) {
  if (!made.ok()) return made.status();
  return std::unique_ptr<IndicatorColumns>(
      new Columns<Indicator>(*std::move(made), std::move(names), feed, std::move(outputs)));
}

// A single-output indicator over closes (kFromBars false) or whole bars.
template <bool kFromBars, typename Indicator>
absl::StatusOr<std::unique_ptr<IndicatorColumns>> Single(absl::StatusOr<Indicator> made,
                                                         std::string name) {
  typename Columns<Indicator>::Feed feed;
  if constexpr (kFromBars) {
    feed = &FeedBar<Indicator>;
  } else {
    feed = &FeedClose<Indicator>;
  }
  return Make<Indicator>(std::move(made), {std::move(name)}, feed,
                         {{&IsReady<Indicator>, &ValueOf<Indicator>}});
}

struct Spec {
  std::string name;
  std::vector<std::string_view> params;
};

Spec Split(std::string_view text) {
  Spec spec;
  size_t colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  while (colon != std::string_view::npos) {
    text.remove_prefix(colon + 1);
    colon = text.find(':');
    spec.params.push_back(text.substr(0, colon));
  }
  return spec;
}

absl::StatusOr<int> ParseWhole(std::string_view name, std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return absl::InvalidArgumentError(StrCat(name, " '", text, "' is not a whole number"));
  }
  return value;
}

absl::StatusOr<double> ParseReal(std::string_view name, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return absl::InvalidArgumentError(StrCat(name, " '", text, "' is not a finite number"));
  }
  return value;
}

std::string Text(double value) {
  std::string out;
  AppendNumber(value, &out);
  return out;
}

struct CatalogEntry {
  const char* name;
  const char* params;  // as users write them
  const char* columns;
};

constexpr std::array<CatalogEntry, 22> kCatalog{{
    {"sma", "N", "sma_N"},
    {"ema", "N", "ema_N"},
    {"wma", "N", "wma_N"},
    {"dema", "N", "dema_N"},
    {"tema", "N", "tema_N"},
    {"rsi", "N", "rsi_N"},
    {"macd", "F:S:G", "macd_F_S_G, macd_signal_F_S_G, macd_hist_F_S_G"},
    {"bbands", "N:K", "bb_upper_N_K, bb_middle_N_K, bb_lower_N_K"},
    {"trange", "", "trange"},
    {"atr", "N", "atr_N"},
    {"stddev", "N", "stddev_N"},
    {"zscore", "N", "zscore_N"},
    {"roc", "N", "roc_N"},
    {"mom", "N", "mom_N"},
    {"stoch", "K:SK:SD", "stoch_k_K_SK_SD, stoch_d_K_SK_SD"},
    {"willr", "N", "willr_N"},
    {"cci", "N", "cci_N"},
    {"obv", "", "obv"},
    {"vwap", "[M]", "vwap (UTC days), vwap_M (sessions from minute M of the UTC day)"},
    {"donchian", "N", "donchian_upper_N, donchian_middle_N, donchian_lower_N"},
    {"keltner", "N:M:K", "keltner_upper_N_M_K, keltner_middle_N_M_K, keltner_lower_N_M_K"},
    {"adx", "N", "adx_N, plus_di_N, minus_di_N"},
}};

size_t ParamCount(const char* params) {
  const std::string_view p(params);
  if (p.empty()) return 0;
  size_t count = 1;
  for (char c : p) count += c == ':' ? 1 : 0;
  return count;
}

absl::StatusOr<std::unique_ptr<IndicatorColumns>> Build(const Spec& s) {
  const auto& p = s.params;
  // Periods, in order; the last parameter of bbands and keltner is a width.
  std::vector<int> periods;
  const bool has_width = s.name == "bbands" || s.name == "keltner";
  for (size_t i = 0; i < p.size(); ++i) {
    if (has_width && i + 1 == p.size()) break;
    absl::StatusOr<int> period = ParseWhole("period", p[i]);
    if (!period.ok()) return period.status();
    periods.push_back(*period);
  }
  double width = 0;
  if (has_width && !p.empty()) {
    absl::StatusOr<double> w = ParseReal("width", p.back());
    if (!w.ok()) return w.status();
    width = *w;
  }
  const auto n = [&](size_t i) { return periods.at(i); };
  const std::string suffix = [&] {
    std::string text;
    for (int period : periods) StrAppend(&text, "_", period);
    if (has_width && !p.empty()) StrAppend(&text, "_", Text(width));
    return text;
  }();
  using namespace strategy;
  if (s.name == "sma") return Single<false>(Sma::Create(n(0)), "sma" + suffix);
  if (s.name == "ema") return Single<false>(Ema::Create(n(0)), "ema" + suffix);
  if (s.name == "wma") return Single<false>(Wma::Create(n(0)), "wma" + suffix);
  if (s.name == "dema") return Single<false>(Dema::Create(n(0)), "dema" + suffix);
  if (s.name == "tema") return Single<false>(Tema::Create(n(0)), "tema" + suffix);
  if (s.name == "rsi") return Single<false>(Rsi::Create(n(0)), "rsi" + suffix);
  if (s.name == "atr") return Single<true>(Atr::Create(n(0)), "atr" + suffix);
  if (s.name == "stddev") {
    return Single<false>(StandardDeviation::Create(n(0)), "stddev" + suffix);
  }
  if (s.name == "zscore") return Single<false>(ZScore::Create(n(0)), "zscore" + suffix);
  if (s.name == "roc") return Single<false>(RateOfChange::Create(n(0)), "roc" + suffix);
  if (s.name == "mom") return Single<false>(Momentum::Create(n(0)), "mom" + suffix);
  if (s.name == "willr") return Single<true>(WilliamsR::Create(n(0)), "willr" + suffix);
  if (s.name == "cci") return Single<true>(Cci::Create(n(0)), "cci" + suffix);
  if (s.name == "trange") return Single<true>(absl::StatusOr<TrueRange>(TrueRange()), "trange");
  if (s.name == "obv") {
    return Make<Obv>(Obv(), {"obv"},
                     [](Obv& i, const InputBar& b) { i.Update(b.values.close, b.values.volume); },
                     {{&IsReady<Obv>, &ValueOf<Obv>}});
  }
  if (s.name == "vwap") {
    const int minute = periods.empty() ? 0 : n(0);
    return Make<SessionVwap>(SessionVwap::Create(minute), {"vwap" + suffix},
                             [](SessionVwap& i, const InputBar& b) {
                               // The typical price stands in for the bar's unseen trades.
                               i.Update(b.time, (b.values.high + b.values.low + b.values.close) / 3,
                                        b.values.volume);
                             },
                             {{&IsReady<SessionVwap>, &ValueOf<SessionVwap>}});
  }
  if (s.name == "macd") {
    return Make<Macd>(Macd::Create(n(0), n(1), n(2)),
                      {"macd" + suffix, "macd_signal" + suffix, "macd_hist" + suffix},
                      &FeedClose<Macd>,
                      {{&IsReady<Macd>, [](const Macd& m) { return m.line(); }},
                       {&IsReady<Macd>, [](const Macd& m) { return m.signal(); }},
                       {&IsReady<Macd>, [](const Macd& m) { return m.histogram(); }}});
  }
  if (s.name == "bbands") {
    using B = BollingerBands;
    return Make<B>(B::Create(n(0), width),
                   {"bb_upper" + suffix, "bb_middle" + suffix, "bb_lower" + suffix}, &FeedClose<B>,
                   {{&IsReady<B>, [](const B& b) { return b.upper(); }},
                    {&IsReady<B>, [](const B& b) { return b.middle(); }},
                    {&IsReady<B>, [](const B& b) { return b.lower(); }}});
  }
  if (s.name == "stoch") {
    return Make<Stochastic>(Stochastic::Create(n(0), n(1), n(2)),
                            {"stoch_k" + suffix, "stoch_d" + suffix}, &FeedBar<Stochastic>,
                            {{&IsReady<Stochastic>, [](const Stochastic& x) { return x.k(); }},
                             {&IsReady<Stochastic>, [](const Stochastic& x) { return x.d(); }}});
  }
  if (s.name == "donchian") {
    using D = DonchianChannel;
    return Make<D>(
        D::Create(n(0)),
        {"donchian_upper" + suffix, "donchian_middle" + suffix, "donchian_lower" + suffix},
        &FeedBar<D>,
        {{&IsReady<D>, [](const D& d) { return d.upper(); }},
         {&IsReady<D>, [](const D& d) { return d.middle(); }},
         {&IsReady<D>, [](const D& d) { return d.lower(); }}});
  }
  if (s.name == "keltner") {
    using K = KeltnerChannel;
    return Make<K>(K::Create(n(0), n(1), width),
                   {"keltner_upper" + suffix, "keltner_middle" + suffix, "keltner_lower" + suffix},
                   &FeedBar<K>,
                   {{&IsReady<K>, [](const K& k) { return k.upper(); }},
                    {&IsReady<K>, [](const K& k) { return k.middle(); }},
                    {&IsReady<K>, [](const K& k) { return k.lower(); }}});
  }
  if (s.name == "adx") {
    return Make<Adx>(
        Adx::Create(n(0)), {"adx" + suffix, "plus_di" + suffix, "minus_di" + suffix}, &FeedBar<Adx>,
        {{&IsReady<Adx>, [](const Adx& a) { return a.adx(); }},
         {[](const Adx& a) { return a.DiReady(); }, [](const Adx& a) { return a.plus_di(); }},
         {[](const Adx& a) { return a.DiReady(); }, [](const Adx& a) { return a.minus_di(); }}});
  }
  return absl::InternalError(StrCat("no builder for '", s.name, "'"));
}

}  // namespace

void AppendNumber(double value, std::string* out) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (error == std::errc()) out->append(buffer, end);
}

std::string IndicatorCatalog() {
  std::string text;
  for (const CatalogEntry& entry : kCatalog) {
    std::string spec = entry.name;
    if (*entry.params != '\0') {
      spec += std::string_view(entry.params) == "[M]" ? "[:M]" : StrCat(":", entry.params);
    }
    StrAppend(&text, "      ", spec, std::string(spec.size() < 16 ? 16 - spec.size() : 1, ' '),
              "-> ", entry.columns, "\n");
  }
  return text;
}

absl::StatusOr<std::unique_ptr<IndicatorColumns>> ParseIndicator(std::string_view text) {
  const Spec spec = Split(text);
  const CatalogEntry* entry = nullptr;
  for (const CatalogEntry& e : kCatalog) {
    if (spec.name == e.name) entry = &e;
  }
  absl::StatusOr<std::unique_ptr<IndicatorColumns>> made;
  if (entry == nullptr) {
    std::string known;
    for (const CatalogEntry& e : kCatalog) {
      StrAppend(&known, known.empty() ? "" : ", ", e.name);
    }
    made = absl::InvalidArgumentError(
        StrCat("unknown indicator '", spec.name, "' (known: ", known, ")"));
  } else {
    const size_t want = ParamCount(entry->params);
    const bool optional = std::string_view(entry->params) == "[M]";
    if (optional ? spec.params.size() > 1 : spec.params.size() != want) {
      made = absl::InvalidArgumentError(
          StrCat("'", spec.name, "' takes ",
                 optional ? "an optional session start minute" : StrCat(want, " parameter(s)"),
                 want > 0 && !optional ? StrCat(" (", spec.name, ":", entry->params, ")") : "",
                 ", got ", spec.params.size()));
    } else {
      made = Build(spec);
    }
  }
  if (!made.ok()) {
    return absl::InvalidArgumentError(
        StrCat("--indicator '", text, "': ", ToStd(made.status().message())));
  }
  return made;
}

}  // namespace tradeplane::indicators_tool
