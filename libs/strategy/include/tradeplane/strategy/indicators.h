// Every streaming indicator, for callers that want them all.
//
// Common shape: `static absl::StatusOr<T> Create(params)` validates the
// parameters; `bool Update(input)` returns false and changes nothing when an
// input is NaN or infinite; `Ready()` says the warm-up is over; `Valid()`
// says Ready() and every output finite; outputs are NaN until Ready();
// `lookback()` is TA-Lib's lookback (inputs consumed before the first output).
// Formulas and warm-up rules: docs/reference/indicators.md.
#ifndef TRADEPLANE_STRATEGY_INDICATORS_H_
#define TRADEPLANE_STRATEGY_INDICATORS_H_

#include "tradeplane/strategy/adx.h"
#include "tradeplane/strategy/atr.h"
#include "tradeplane/strategy/bollinger_bands.h"
#include "tradeplane/strategy/cci.h"
#include "tradeplane/strategy/dema.h"
#include "tradeplane/strategy/donchian_channel.h"
#include "tradeplane/strategy/ema.h"
#include "tradeplane/strategy/keltner_channel.h"
#include "tradeplane/strategy/macd.h"
#include "tradeplane/strategy/momentum.h"
#include "tradeplane/strategy/obv.h"
#include "tradeplane/strategy/rate_of_change.h"
#include "tradeplane/strategy/rsi.h"
#include "tradeplane/strategy/sma.h"
#include "tradeplane/strategy/standard_deviation.h"
#include "tradeplane/strategy/stochastic.h"
#include "tradeplane/strategy/tema.h"
#include "tradeplane/strategy/true_range.h"
#include "tradeplane/strategy/vwap.h"
#include "tradeplane/strategy/williams_r.h"
#include "tradeplane/strategy/wma.h"
#include "tradeplane/strategy/z_score.h"

#endif  // TRADEPLANE_STRATEGY_INDICATORS_H_
