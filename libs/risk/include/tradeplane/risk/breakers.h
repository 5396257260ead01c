// Circuit breakers: conditions that tighten the trading mode on their own.
//
// | breaker              | trips when                                              | default target
// | | daily_loss           | daily PnL <= -daily_loss_limit                          | HALTED | |
// drawdown             | high-water mark - equity >= max_drawdown                | HALTED | |
// reject_rate          | refusals / decisions > max_reject_ratio over the window | PAUSED | |
// market_data_stale    | an enabled instrument has had no update for that long   | PAUSED | |
// surveillance_alert   | a CRITICAL, unacknowledged market-abuse alert arrives   | PAUSED | |
// reconciliation_break | a break is UNRESOLVED (needs a person)                  | PAUSED | |
// store_unavailable    | the database is lost                                    | PAUSED | |
// pnl_unavailable      | PnL cannot be valued (missing rate or mark)             | PAUSED |
// Breakers only tighten (TradingModeController::Tighten ignores a trip to a
// mode no stricter than the current one). Conditions that persist trip again
// at each evaluation, so loosening the mode while one holds is undone at once;
// the reject-rate window is the exception: it is cleared when it trips, so it
// needs a fresh window of evidence to trip again.
//
// The reject rate counts the decisions of the pre-trade check except refusals
// that are our own choice (MODE, STRATEGY_BLOCKED, INSTRUMENT_BLOCKED,
// INSTRUMENT_DISABLED): otherwise a PAUSED period would trip it on resumption.
// It needs at least `min_reject_decisions` in the window. The window is a ring
// of one-second buckets: O(window seconds) per decision, no allocation.
#ifndef TRADEPLANE_RISK_BREAKERS_H_
#define TRADEPLANE_RISK_BREAKERS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/v1/reconciliation.pb.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/trading_mode.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"

namespace tradeplane::risk {

enum class Breaker {
  kDailyLoss,
  kDrawdown,
  kRejectRate,
  kMarketDataStale,
  kSurveillanceAlert,
  kReconciliationBreak,
  kStoreUnavailable,
  kPnlUnavailable,
};

// "daily_loss", "drawdown", ... (the actor is "breaker:<name>").
std::string_view BreakerName(Breaker breaker);

struct BreakerOptions {
  v1::TradingMode daily_loss = v1::TRADING_MODE_HALTED;
  v1::TradingMode drawdown = v1::TRADING_MODE_HALTED;
  v1::TradingMode reject_rate = v1::TRADING_MODE_PAUSED;
  v1::TradingMode market_data_stale = v1::TRADING_MODE_PAUSED;
  v1::TradingMode surveillance_alert = v1::TRADING_MODE_PAUSED;
  v1::TradingMode reconciliation_break = v1::TRADING_MODE_PAUSED;
  v1::TradingMode store_unavailable = v1::TRADING_MODE_PAUSED;
  v1::TradingMode pnl_unavailable = v1::TRADING_MODE_PAUSED;
  uint32_t min_reject_decisions = 20;

  v1::TradingMode TargetOf(Breaker breaker) const;
};

struct BreakerTrip {
  Breaker breaker;
  v1::TradingMode target;
  std::string reason;  // one sentence with the figures
};

// What the periodic evaluation looks at.
struct BreakerInputs {
  // From PositionLedger::Revalue; null with `pnl_error` set when it failed.
  const v1::PnlSummary* pnl = nullptr;
  std::string_view pnl_error;
  // The enabled instrument whose market data is oldest, and its last update
  // (zero = never): RiskState::StalestMarketData().
  std::string_view stalest_instrument;
  Timestamp stalest_update;
};

class Breakers {
 public:
  // `armed_at`: data that never arrived counts as stale from here.
  Breakers(const BreakerThresholds& thresholds, BreakerOptions options, Timestamp armed_at);

  // A limits swap. The reject window restarts only if its length changed.
  void Reconfigure(const BreakerThresholds& thresholds);

  // One decision of the pre-trade check (UNSPECIFIED = approved).
  std::optional<BreakerTrip> RecordDecision(RefusalCode code, Timestamp now);
  std::optional<BreakerTrip> OnMarketAbuseAlert(const surveillance::v1::MarketAbuseAlert& alert);
  std::optional<BreakerTrip> OnReconciliationBreak(const reconciliation::v1::Break& brk);
  std::optional<BreakerTrip> OnStoreAvailability(bool available, Timestamp now);
  // The level-triggered breakers, in the order of the table above.
  std::vector<BreakerTrip> Evaluate(const BreakerInputs& inputs, Timestamp now) const;

  // Decisions and counted refusals in the window ending at `now`.
  uint32_t WindowDecisions(Timestamp now) const;
  uint32_t WindowRefusals(Timestamp now) const;
  size_t unresolved_breaks() const { return unresolved_breaks_.size(); }
  bool store_available() const { return store_available_; }

 private:
  struct SecondBucket {
    int64_t second = -1;
    uint32_t decisions = 0;
    uint32_t refusals = 0;
  };
  void Sum(Timestamp now, uint32_t* decisions, uint32_t* refusals) const;
  BreakerTrip Trip(Breaker breaker, std::string reason) const;

  BreakerThresholds thresholds_;
  BreakerOptions options_;
  Timestamp armed_at_;
  std::vector<SecondBucket> window_;  // one bucket per second of the window
  std::set<std::string> unresolved_breaks_;
  bool store_available_ = true;
};

// Applies trips to the mode; returns the changes made (trips that would not
// tighten make none).
std::vector<v1::ModeChange> ApplyTrips(const std::vector<BreakerTrip>& trips,
                                       TradingModeController* modes, Timestamp now);

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_BREAKERS_H_
