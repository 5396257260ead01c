// Position sizing: how much to trade when a strategy decides to trade.
//
// Four policies (SizingConfig.kind): a fixed quantity, a fixed notional, a
// volatility target, and fractional Kelly with a cap. Every result is rounded
// DOWN to the instrument's lot size through the money types
// (Quantity::RoundToMultiple) and capped by the policy's and the
// instrument's maximum; a result that is zero, below the instrument's minimum
// quantity or below its minimum notional means no order, with the reason in
// the explanation. Doubles (volatility, Kelly fractions) become money only
// through Amount::FromDouble rounded toward zero.
#ifndef TRADEPLANE_STRATEGY_SIZING_H_
#define TRADEPLANE_STRATEGY_SIZING_H_

#include <string>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

enum class SizingKind { kFixedQuantity, kFixedNotional, kVolatilityTarget, kKelly };

// What the strategy knows when it asks for a size.
struct SizingInput {
  Price price;                 // where the order is expected to trade; > 0
  double volatility = 0;       // volatility target: fractional, per the strategy's period
  double win_probability = 0;  // Kelly: p, the chance the trade wins
  double win_loss_ratio = 0;   // Kelly: b, average win / average loss
};

struct SizeDecision {
  Quantity qty;             // zero = no order
  std::string explanation;  // how the size came about, or why there is none

  bool has_order() const { return qty.is_positive(); }
};

class SizingPolicy {
 public:
  // `max_qty` zero = no cap of the policy's own.
  static absl::StatusOr<SizingPolicy> FixedQuantity(Quantity qty, Quantity max_qty = {});
  static absl::StatusOr<SizingPolicy> FixedNotional(Amount notional, Quantity max_qty = {});
  // notional = capital * target_volatility / volatility; both volatilities are
  // fractions over the same period (e.g. ATR / price per bar).
  static absl::StatusOr<SizingPolicy> VolatilityTarget(Amount capital, double target_volatility,
                                                       Quantity max_qty = {});
  // f* = p - (1 - p) / b; notional = capital * min(fraction * f*, 1); no
  // order when f* <= 0. The cap `max_qty` is required (> 0).
  static absl::StatusOr<SizingPolicy> Kelly(Amount capital, double fraction, Quantity max_qty);
  // From the config contract: FIXED_QTY uses qty; FIXED_NOTIONAL notional;
  // VOLATILITY_TARGET notional (the capital) and target_volatility; KELLY
  // notional (the capital), kelly_fraction and max_qty (the cap).
  static absl::StatusOr<SizingPolicy> FromConfig(const config::v1::SizingConfig& config);

  SizeDecision Size(const SizingInput& input, const InstrumentSpec& spec) const;
  // The same quantity without the explanation: allocation-free, for callers
  // that size on every quote.
  Quantity SizeQuantity(const SizingInput& input, const InstrumentSpec& spec) const;

  SizingKind kind() const { return kind_; }
  // "fixed quantity 10", "Kelly 0.25 of capital 100000, cap 50", ...
  std::string Describe() const;

 private:
  SizeDecision Compute(const SizingInput& input, const InstrumentSpec& spec, bool explain) const;

  SizingPolicy(SizingKind kind, Quantity qty, Amount amount, double factor, Quantity max_qty)
      : kind_(kind), qty_(qty), amount_(amount), factor_(factor), max_qty_(max_qty) {}

  SizingKind kind_;
  Quantity qty_;   // fixed quantity
  Amount amount_;  // fixed notional, or capital
  double factor_;  // target volatility, or Kelly fraction
  Quantity max_qty_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_SIZING_H_
