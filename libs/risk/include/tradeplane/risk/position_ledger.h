// Positions and PnL from fills, per instrument and per strategy, valued in
// one currency.
//
// Accounting: the average-cost method of PositionAccount (position_account.h),
// applied to the instrument's net position (all strategies) and, apart, to
// each strategy's own position. The two differ in how PnL splits between
// realized and unrealized (strategies that trade against each other net out
// at the instrument level) but never in their sum.
//
// Arrival order: fills are applied in (exchange time, fill_id) order whatever
// order they arrive in. A fill older than the newest one applied to a
// position replays that position from its restored seed (O(fills of the
// position), rare); so the same set of fills always gives the same positions
// and the same realized PnL. A fill_id seen before is ignored and reported
// (kDuplicate); the same id with different content is an error.
//
// Fees: a fee in the instrument's quote asset reduces PnL as is; a fee in the
// base asset is valued at the fill's price (half-even) into the quote asset;
// a fee in any other asset (e.g. BNB) is kept per asset and converted into
// the valuation currency with the configured rates. Quantities are the traded
// quantities: a fee taken in the base asset is not deducted from the position
// (the account balance is the reconciler's business).
//
// Valuation: every quote-currency amount is converted with its rate into the
// valuation currency, each of realized, unrealized and fees rounded half-even
// per instrument; equity = starting equity + realized + unrealized - fees.
// Unrealized PnL is marked to the mid (SetMark). A position without a mark,
// or an amount in a currency without a rate, cannot be valued: Equity() and
// Revalue() return an error naming it (the caller refuses; nothing is guessed).
// Equity() is O(1): each instrument's valued parts are cached and re-summed on
// every fill and mark.
//
// Day: the trading day starts at 00:00 UTC plus `day_start_offset`. Daily PnL
// is equity now minus the equity of the last revaluation before the day
// began. High-water mark and drawdown (HWM - equity) move only in Revalue().
#ifndef TRADEPLANE_RISK_POSITION_LEDGER_H_
#define TRADEPLANE_RISK_POSITION_LEDGER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/position_account.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

enum class FillOutcome { kApplied, kDuplicate };

// Fills without a strategy (e.g. found by reconciliation) are kept under this id.
inline constexpr std::string_view kUnattributedStrategy = "(unattributed)";

struct LedgerOptions {
  Duration day_start_offset{0};  // the trading day starts at 00:00 UTC + offset
};

struct ValuationConfig {
  std::string currency;
  std::map<std::string, Price, std::less<>> rates;  // into `currency`
  // By InstrumentIndex; empty entries fall back to the table's quote asset.
  std::vector<std::string> quote_currencies;
};

class PositionLedger {
 public:
  PositionLedger(const InstrumentTable* instruments, LedgerOptions options = {});

  // Sets the valuation currency and rates (a limits swap); revalues everything.
  void SetValuation(ValuationConfig valuation);
  void SetStartingEquity(Amount equity);
  // Carries a position in, before any fill of it (error afterwards). An empty
  // strategy_id is the instrument level.
  absl::Status RestorePosition(const v1::Position& position);
  // Carries the high-water mark and the day's start in from the last summary.
  void RestorePnl(const v1::PnlSummary& last);

  absl::StatusOr<FillOutcome> ApplyFill(const Fill& fill);
  void SetMark(InstrumentIndex instrument, Price mark);

  size_t size() const { return books_.size(); }
  Quantity NetQty(InstrumentIndex instrument) const {
    return books_[instrument].total.account.qty();
  }
  const PositionAccount& InstrumentAccount(InstrumentIndex instrument) const {
    return books_[instrument].total.account;
  }
  // Null when the strategy never traded the instrument.
  const PositionAccount* StrategyAccount(InstrumentIndex instrument,
                                         std::string_view strategy) const;
  std::optional<Price> mark(InstrumentIndex instrument) const { return books_[instrument].mark; }
  const std::string& quote_currency(InstrumentIndex instrument) const {
    return books_[instrument].quote_currency;
  }
  // Fees paid in assets other than the quote and base assets, by asset.
  const std::map<std::string, Amount, std::less<>>& other_fees() const { return other_fees_; }
  uint64_t duplicate_fills() const { return duplicate_fills_; }
  const std::string& valuation_currency() const { return valuation_.currency; }

  // Equity in the valuation currency, O(1).
  absl::StatusOr<Amount> Equity() const;
  // The whole summary at `now`; moves the high-water mark and the day. On error
  // nothing moves.
  absl::StatusOr<v1::PnlSummary> Revalue(Timestamp now);
  // Realized, unrealized and fees per quote currency (equity fields unset).
  absl::StatusOr<std::vector<v1::PnlSummary>> ByQuoteCurrency() const;
  // Every non-empty position: per instrument, or per (instrument, strategy).
  std::vector<v1::Position> Positions(bool by_strategy) const;
  // The trading day of `t` (days since the epoch, shifted by the offset).
  int64_t TradingDay(Timestamp t) const;

 private:
  struct LedgerFill {
    Timestamp time;
    std::string fill_id;
    Side side = common::v1::SIDE_UNSPECIFIED;
    Price price;
    Quantity qty;
    Amount quote_fee;
  };
  struct PositionRecord {
    PositionAccount seed;
    PositionAccount account;
    std::vector<LedgerFill> fills;  // applied, in (time, fill_id) order
  };
  enum class ValueState { kOk, kNoMark, kNoRate, kOverflow };
  struct InstrumentBook {
    std::string quote_currency;
    PositionRecord total;
    std::map<std::string, PositionRecord, std::less<>> by_strategy;
    std::optional<Price> mark;
    ValueState value_state = ValueState::kOk;
    int64_t realized_value = 0;  // valuation currency, raw
    int64_t unrealized_value = 0;
    int64_t fees_value = 0;
  };
  struct FillFingerprint {
    InstrumentIndex instrument;
    Side side;
    int64_t price;
    int64_t qty;
    friend bool operator==(const FillFingerprint&, const FillFingerprint&) = default;
  };

  static absl::StatusOr<PositionAccount> WithFill(const PositionRecord& record,
                                                  const LedgerFill& fill, size_t* insert_at);
  void Revalue(InstrumentIndex instrument);
  void RevalueOtherFees();
  std::optional<Price> RateFor(std::string_view currency) const;
  absl::Status ValuationError() const;

  const InstrumentTable* instruments_;
  LedgerOptions options_;
  ValuationConfig valuation_;
  std::vector<InstrumentBook> books_;
  std::unordered_map<std::string, FillFingerprint> seen_fills_;
  uint64_t duplicate_fills_ = 0;
  std::map<std::string, Amount, std::less<>> other_fees_;
  Amount starting_equity_;

  // Sums over instruments whose value_state is kOk (128 bits: no overflow).
  fixed_point::Int128 realized_total_ = 0;
  fixed_point::Int128 unrealized_total_ = 0;
  fixed_point::Int128 fees_total_ = 0;
  size_t unvalued_count_ = 0;
  fixed_point::Int128 other_fees_value_ = 0;
  std::string other_fees_error_;  // empty when every other fee asset has a rate

  bool day_started_ = false;
  int64_t day_ = 0;
  Amount day_start_equity_;
  Amount high_water_mark_;
  Amount last_equity_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_POSITION_LEDGER_H_
