#include "tradeplane/risk/breakers.h"

#include <chrono>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::risk {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

int64_t SecondOf(Timestamp t) {
  int64_t s = t.nanos() / kNanosPerSecond;
  return t.nanos() % kNanosPerSecond < 0 ? s - 1 : s;
}

// Refusals that follow from our own choices, not from what strategies send.
bool CountsForRejectRate(RefusalCode code) {
  switch (code) {
    case v1::REFUSAL_CODE_MODE:
    case v1::REFUSAL_CODE_STRATEGY_BLOCKED:
    case v1::REFUSAL_CODE_INSTRUMENT_BLOCKED:
    case v1::REFUSAL_CODE_INSTRUMENT_DISABLED:
      return false;
    default:
      return true;
  }
}

std::string Seconds(Duration d) {
  return fixed_point::FormatRaw(d.count());  // ns are 1e-9 s: the fixed-point scale
}

}  // namespace

std::string_view BreakerName(Breaker breaker) {
  switch (breaker) {
    case Breaker::kDailyLoss:
      return "daily_loss";
    case Breaker::kDrawdown:
      return "drawdown";
    case Breaker::kRejectRate:
      return "reject_rate";
    case Breaker::kMarketDataStale:
      return "market_data_stale";
    case Breaker::kSurveillanceAlert:
      return "surveillance_alert";
    case Breaker::kReconciliationBreak:
      return "reconciliation_break";
    case Breaker::kStoreUnavailable:
      return "store_unavailable";
    case Breaker::kPnlUnavailable:
      return "pnl_unavailable";
  }
  return "unknown";
}

v1::TradingMode BreakerOptions::TargetOf(Breaker breaker) const {
  switch (breaker) {
    case Breaker::kDailyLoss:
      return daily_loss;
    case Breaker::kDrawdown:
      return drawdown;
    case Breaker::kRejectRate:
      return reject_rate;
    case Breaker::kMarketDataStale:
      return market_data_stale;
    case Breaker::kSurveillanceAlert:
      return surveillance_alert;
    case Breaker::kReconciliationBreak:
      return reconciliation_break;
    case Breaker::kStoreUnavailable:
      return store_unavailable;
    case Breaker::kPnlUnavailable:
      return pnl_unavailable;
  }
  return v1::TRADING_MODE_HALTED;
}

Breakers::Breakers(const BreakerThresholds& thresholds, BreakerOptions options, Timestamp armed_at)
    : options_(options), armed_at_(armed_at) {
  Reconfigure(thresholds);
}

void Breakers::Reconfigure(const BreakerThresholds& thresholds) {
  auto seconds = static_cast<size_t>(
      std::chrono::duration_cast<std::chrono::seconds>(thresholds.reject_window).count());
  if (seconds != window_.size()) window_.assign(seconds, SecondBucket{});
  thresholds_ = thresholds;
}

BreakerTrip Breakers::Trip(Breaker breaker, std::string reason) const {
  return BreakerTrip{breaker, options_.TargetOf(breaker), std::move(reason)};
}

void Breakers::Sum(Timestamp now, uint32_t* decisions, uint32_t* refusals) const {
  *decisions = *refusals = 0;
  int64_t current = SecondOf(now);
  auto n = static_cast<int64_t>(window_.size());
  for (const SecondBucket& b : window_) {
    if (b.second > current - n && b.second <= current) {
      *decisions += b.decisions;
      *refusals += b.refusals;
    }
  }
}

uint32_t Breakers::WindowDecisions(Timestamp now) const {
  uint32_t d, r;
  Sum(now, &d, &r);
  return d;
}

uint32_t Breakers::WindowRefusals(Timestamp now) const {
  uint32_t d, r;
  Sum(now, &d, &r);
  return r;
}

std::optional<BreakerTrip> Breakers::RecordDecision(RefusalCode code, Timestamp now) {
  if (window_.empty() || !CountsForRejectRate(code)) return std::nullopt;
  int64_t second = SecondOf(now);
  auto n = static_cast<int64_t>(window_.size());
  SecondBucket& bucket = window_[static_cast<size_t>(((second % n) + n) % n)];
  if (bucket.second != second) bucket = SecondBucket{second, 0, 0};
  ++bucket.decisions;
  if (code != v1::REFUSAL_CODE_UNSPECIFIED) ++bucket.refusals;

  if (!thresholds_.max_reject_ratio.is_positive()) return std::nullopt;
  uint32_t decisions, refusals;
  Sum(now, &decisions, &refusals);
  if (decisions < options_.min_reject_decisions) return std::nullopt;
  // refusals / decisions > ratio, in integers: refusals * 1e9 > ratio_raw * decisions.
  __extension__ typedef __int128 Wide;
  if (static_cast<Wide>(refusals) * kFixedPointScale <=
      static_cast<Wide>(thresholds_.max_reject_ratio.raw()) * decisions) {
    return std::nullopt;
  }
  window_.assign(window_.size(), SecondBucket{});  // fresh evidence needed to trip again
  return Trip(Breaker::kRejectRate, StrCat(refusals, " of the last ", decisions, " decisions in ",
                                           window_.size(), " s were refusals, above the limit of ",
                                           thresholds_.max_reject_ratio.ToString()));
}

std::optional<BreakerTrip> Breakers::OnMarketAbuseAlert(
    const surveillance::v1::MarketAbuseAlert& alert) {
  if (alert.severity() != surveillance::v1::SEVERITY_CRITICAL || alert.acknowledged()) {
    return std::nullopt;
  }
  return Trip(
      Breaker::kSurveillanceAlert,
      StrCat("critical surveillance alert ", alert.alert_id(), " (", ShortEnumName(alert.type()),
             ") on ", InstrumentId::FromProto(alert.instrument()).ToString(), ": ",
             alert.explanation()));
}

std::optional<BreakerTrip> Breakers::OnReconciliationBreak(const reconciliation::v1::Break& brk) {
  if (brk.state() != reconciliation::v1::BREAK_STATE_UNRESOLVED) {
    unresolved_breaks_.erase(brk.break_id());
    return std::nullopt;
  }
  unresolved_breaks_.insert(brk.break_id());
  return Trip(Breaker::kReconciliationBreak,
              StrCat("reconciliation break ", brk.break_id(), " (", ShortEnumName(brk.type()),
                     ") is unresolved: ", brk.explanation()));
}

std::optional<BreakerTrip> Breakers::OnStoreAvailability(bool available, Timestamp now) {
  bool was = store_available_;
  store_available_ = available;
  if (available || !was) return std::nullopt;
  return Trip(Breaker::kStoreUnavailable,
              StrCat("the database became unavailable at ", FormatRfc3339(now)));
}

std::vector<BreakerTrip> Breakers::Evaluate(const BreakerInputs& inputs, Timestamp now) const {
  std::vector<BreakerTrip> trips;
  if (inputs.pnl != nullptr) {
    const v1::PnlSummary& pnl = *inputs.pnl;
    const std::string& ccy = pnl.currency();
    int64_t limit = thresholds_.daily_loss_limit.raw();
    if (limit > 0 && pnl.daily_pnl() <= -limit) {
      trips.push_back(
          Trip(Breaker::kDailyLoss, StrCat("daily PnL ", fixed_point::FormatRaw(pnl.daily_pnl()),
                                           " ", ccy, " is at or below the loss limit -",
                                           thresholds_.daily_loss_limit.ToString(), " ", ccy)));
    }
    int64_t max_dd = thresholds_.max_drawdown.raw();
    if (max_dd > 0 && pnl.drawdown() >= max_dd) {
      trips.push_back(Trip(
          Breaker::kDrawdown,
          StrCat("drawdown ", fixed_point::FormatRaw(pnl.drawdown()), " ", ccy,
                 " from the high-water mark ", fixed_point::FormatRaw(pnl.high_water_mark()),
                 " is at or above the limit ", thresholds_.max_drawdown.ToString(), " ", ccy)));
    }
  } else if (!inputs.pnl_error.empty()) {
    trips.push_back(
        Trip(Breaker::kPnlUnavailable, StrCat("PnL cannot be valued: ", inputs.pnl_error)));
  }
  if (thresholds_.market_data_stale.count() > 0 && !inputs.stalest_instrument.empty()) {
    Timestamp since = inputs.stalest_update > armed_at_ ? inputs.stalest_update : armed_at_;
    Duration age = now - since;
    if (age > thresholds_.market_data_stale) {
      trips.push_back(
          Trip(Breaker::kMarketDataStale,
               StrCat("market data for ", inputs.stalest_instrument, " is ", Seconds(age),
                      " s old (", inputs.stalest_update.is_zero() ? "none received" : "last update",
                      "), above the limit of ", Seconds(thresholds_.market_data_stale), " s")));
    }
  }
  if (!unresolved_breaks_.empty()) {
    trips.push_back(
        Trip(Breaker::kReconciliationBreak,
             StrCat(unresolved_breaks_.size(), " reconciliation break(s) unresolved, first ",
                    *unresolved_breaks_.begin())));
  }
  if (!store_available_) {
    trips.push_back(Trip(Breaker::kStoreUnavailable, "the database is unavailable"));
  }
  return trips;
}

std::vector<v1::ModeChange> ApplyTrips(const std::vector<BreakerTrip>& trips,
                                       TradingModeController* modes, Timestamp now) {
  std::vector<v1::ModeChange> changes;
  for (const BreakerTrip& trip : trips) {
    std::optional<v1::ModeChange> change =
        modes->Tighten(trip.target, BreakerName(trip.breaker), trip.reason, now);
    if (change.has_value()) changes.push_back(std::move(*change));
  }
  return changes;
}

}  // namespace tradeplane::risk
