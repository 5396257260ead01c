// Trend following: an EMA crossover on bars, with stop and take-profit levels
// set from the ATR at entry.
//
// On each bar of the configured interval: a fast EMA crossing above the slow
// EMA buys (flat only); crossing below sells the long (and, with
// allow_short, opens a short when flat). At entry the stop is
// close - stop_atr * ATR and the take-profit close + take_profit_atr * ATR
// (mirrored for shorts), rounded outward to the tick. Exits (stop,
// take-profit or the opposite crossover) are checked on every bar close and
// on every usable quote (bid for longs, ask for shorts). Orders are market
// IOC; exits are reduce-only. A reversal waits for the exit's fill and the
// next crossover. While an order of the strategy is open on the instrument,
// it waits.
// Bad input: a bar out of order is ignored; a gap of missing bars decides
// nothing on that bar and, beyond max_missing_bars, restarts the indicators'
// warm-up; a non-finite indicator emits nothing; each says why.
#ifndef TRADEPLANE_STRATEGY_TREND_STRATEGY_H_
#define TRADEPLANE_STRATEGY_TREND_STRATEGY_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tradeplane/strategy/atr.h"
#include "tradeplane/strategy/ema.h"
#include "tradeplane/strategy/sizing.h"
#include "tradeplane/strategy/strategy.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

struct TrendParams {
  int fast = 12;                 // fast EMA period, [1, 10000]
  int slow = 26;                 // slow EMA period, [2, 10000], above fast
  int atr_period = 14;           // [1, 10000]
  double stop_atr = 2.0;         // (0, 100]
  double take_profit_atr = 3.0;  // (0, 100]
  int bar_seconds = 60;          // the bar interval traded, [1, 86400]; others ignored
  bool allow_short = false;
  double win_probability = 0.5;  // Kelly sizing: p; b is take_profit_atr / stop_atr
  int stale_ms = 5000;           // quotes older than this are not used, [1, 3600000]
  // Gaps of up to this many bars are intervals without trades (the market-data
  // bar builder emits no bar for them): the indicators go on. Longer gaps
  // restart the warm-up. [0, 1000]
  int max_missing_bars = 0;

  // Names as the fields; unknown names and out-of-range values are refused.
  static absl::StatusOr<TrendParams> FromMap(const std::map<std::string, double>& params);
};

class TrendStrategy final : public Strategy {
 public:
  static absl::StatusOr<std::unique_ptr<TrendStrategy>> Create(
      std::string id, std::vector<InstrumentIndex> instruments, const TrendParams& params,
      SizingPolicy sizing);

  std::string_view kind() const override { return "trend"; }

 protected:
  void HandleBar(const marketdata::Bar& bar, StrategyContext& ctx) override;
  void HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) override;
  void HandleFill(const Fill& fill, Quantity position_before, StrategyContext& ctx) override;

 private:
  struct State {
    Ema fast;
    Ema slow;
    Atr atr;
    bool has_bar = false;
    Timestamp last_open;
    bool has_difference = false;
    double previous_difference = 0;  // fast - slow at the previous bar
    bool has_levels = false;
    Price stop;
    Price take_profit;
    // Quote-triggered exits: not tried again before this time, so an exit
    // that risk refuses is not sent again on every quote.
    Timestamp next_quote_exit;
  };
  static constexpr Duration kQuoteExitRetry = std::chrono::seconds(1);

  TrendStrategy(std::string id, std::vector<InstrumentIndex> instruments, const TrendParams& params,
                SizingPolicy sizing, std::vector<State> states);

  void Enter(InstrumentIndex instrument, Side side, const marketdata::Bar& bar, State& state,
             StrategyContext& ctx);
  void Exit(InstrumentIndex instrument, Quantity position, const std::string& why,
            StrategyContext& ctx);

  TrendParams params_;
  SizingPolicy sizing_;
  std::vector<State> states_;  // by slot
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_TREND_STRATEGY_H_
