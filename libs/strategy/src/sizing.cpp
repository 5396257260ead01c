#include "tradeplane/strategy/sizing.h"

#include <algorithm>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "absl/strings/str_format.h"

namespace tradeplane::strategy {
namespace {

absl::Status CheckMaxQty(Quantity max_qty) {
  if (max_qty.is_negative()) {
    return absl::InvalidArgumentError(
        StrCat("sizing: max_qty ", max_qty.ToString(), " is negative"));
  }
  return absl::OkStatus();
}

std::string Number(double value) { return absl::StrFormat("%.6g", value); }

}  // namespace

absl::StatusOr<SizingPolicy> SizingPolicy::FixedQuantity(Quantity qty, Quantity max_qty) {
  if (!qty.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("sizing: fixed quantity ", qty.ToString(), " must be above 0"));
  }
  if (absl::Status s = CheckMaxQty(max_qty); !s.ok()) return s;
  return SizingPolicy(SizingKind::kFixedQuantity, qty, Amount::Zero(), 0, max_qty);
}

absl::StatusOr<SizingPolicy> SizingPolicy::FixedNotional(Amount notional, Quantity max_qty) {
  if (!notional.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("sizing: fixed notional ", notional.ToString(), " must be above 0"));
  }
  if (absl::Status s = CheckMaxQty(max_qty); !s.ok()) return s;
  return SizingPolicy(SizingKind::kFixedNotional, Quantity::Zero(), notional, 0, max_qty);
}

absl::StatusOr<SizingPolicy> SizingPolicy::VolatilityTarget(Amount capital,
                                                            double target_volatility,
                                                            Quantity max_qty) {
  if (!capital.is_positive()) {
    return absl::InvalidArgumentError(StrCat(
        "sizing: volatility target needs a capital (notional) above 0, got ", capital.ToString()));
  }
  if (!std::isfinite(target_volatility) || target_volatility <= 0 || target_volatility > 1) {
    return absl::InvalidArgumentError(
        StrCat("sizing: target_volatility ", target_volatility, " is out of range (0, 1]"));
  }
  if (absl::Status s = CheckMaxQty(max_qty); !s.ok()) return s;
  return SizingPolicy(SizingKind::kVolatilityTarget, Quantity::Zero(), capital, target_volatility,
                      max_qty);
}

absl::StatusOr<SizingPolicy> SizingPolicy::Kelly(Amount capital, double fraction,
                                                 Quantity max_qty) {
  if (!capital.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("sizing: Kelly needs a capital (notional) above 0, got ", capital.ToString()));
  }
  if (!std::isfinite(fraction) || fraction <= 0 || fraction > 1) {
    return absl::InvalidArgumentError(
        StrCat("sizing: kelly_fraction ", fraction, " is out of range (0, 1]"));
  }
  if (!max_qty.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("sizing: Kelly needs a cap (max_qty above 0), got ", max_qty.ToString()));
  }
  return SizingPolicy(SizingKind::kKelly, Quantity::Zero(), capital, fraction, max_qty);
}

absl::StatusOr<SizingPolicy> SizingPolicy::FromConfig(const config::v1::SizingConfig& config) {
  const Quantity max_qty = Quantity::FromRaw(config.max_qty());
  switch (config.kind()) {
    case config::v1::SIZING_KIND_FIXED_QTY:
      return FixedQuantity(Quantity::FromRaw(config.qty()), max_qty);
    case config::v1::SIZING_KIND_FIXED_NOTIONAL:
      return FixedNotional(Amount::FromRaw(config.notional()), max_qty);
    case config::v1::SIZING_KIND_VOLATILITY_TARGET:
      return VolatilityTarget(Amount::FromRaw(config.notional()), config.target_volatility(),
                              max_qty);
    case config::v1::SIZING_KIND_KELLY:
      return Kelly(Amount::FromRaw(config.notional()), config.kelly_fraction(), max_qty);
    default:
      return absl::InvalidArgumentError(
          StrCat("sizing: kind ", static_cast<int>(config.kind()),
                 " is not one of FIXED_QTY, FIXED_NOTIONAL, VOLATILITY_TARGET, KELLY"));
  }
}

std::string SizingPolicy::Describe() const {
  std::string text;
  switch (kind_) {
    case SizingKind::kFixedQuantity:
      text = StrCat("fixed quantity ", qty_.ToString());
      break;
    case SizingKind::kFixedNotional:
      text = StrCat("fixed notional ", amount_.ToString());
      break;
    case SizingKind::kVolatilityTarget:
      text = StrCat("volatility target ", Number(factor_), " of capital ", amount_.ToString());
      break;
    case SizingKind::kKelly:
      text = StrCat("Kelly ", Number(factor_), " of capital ", amount_.ToString());
      break;
  }
  if (max_qty_.is_positive()) StrAppend(&text, ", cap ", max_qty_.ToString());
  return text;
}

SizeDecision SizingPolicy::Size(const SizingInput& input, const InstrumentSpec& spec) const {
  return Compute(input, spec, /*explain=*/true);
}

Quantity SizingPolicy::SizeQuantity(const SizingInput& input, const InstrumentSpec& spec) const {
  return Compute(input, spec, /*explain=*/false).qty;
}

namespace {

// A double to print in an explanation, formatted only if it is printed.
struct Num {
  double value;
};

// Builds the explanation only when asked, so that sizing on every quote (the
// quoting strategy) allocates nothing: money and numbers are passed as
// values and turned into text only when the text is wanted.
class Explanation {
 public:
  explicit Explanation(bool on) : on_(on) {}
  template <typename... Parts>
  void Add(const Parts&... parts) {
    if (on_) StrAppend(&text_, Text(parts)...);
  }
  template <typename... Parts>
  SizeDecision NoOrder(const Parts&... parts) {
    SizeDecision decision{Quantity::Zero(), {}};
    if (on_) decision.explanation = StrCat("no order: ", Text(parts)...);
    return decision;
  }
  SizeDecision Order(Quantity qty) { return SizeDecision{qty, std::move(text_)}; }
  const std::string& text() const { return text_; }

 private:
  template <typename T>
  static const T& Text(const T& part) {
    return part;
  }
  template <typename Tag>
  static std::string Text(const FixedPoint<Tag>& value) {
    return value.ToString();
  }
  static std::string Text(Num number) { return Number(number.value); }
  static std::string Text(const InstrumentId& id) { return id.ToString(); }

  bool on_;
  std::string text_;
};

}  // namespace

SizeDecision SizingPolicy::Compute(const SizingInput& input, const InstrumentSpec& spec,
                                   bool explain) const {
  Explanation how(explain);
  if (!input.price.is_positive()) {
    return how.NoOrder("reference price ", input.price, " is not positive");
  }
  Quantity qty;
  switch (kind_) {
    case SizingKind::kFixedQuantity:
      qty = qty_;
      how.Add("fixed quantity ", qty_);
      break;
    case SizingKind::kFixedNotional: {
      absl::StatusOr<Quantity> q = QuantityFor(amount_, input.price, Rounding::kTowardZero);
      if (!q.ok()) return how.NoOrder(ToStd(q.status().message()));
      qty = *q;
      how.Add("fixed notional ", amount_, " at ", input.price);
      break;
    }
    case SizingKind::kVolatilityTarget:
    case SizingKind::kKelly: {
      double fraction_of_capital = 0;
      if (kind_ == SizingKind::kVolatilityTarget) {
        if (!std::isfinite(input.volatility) || input.volatility <= 0) {
          return how.NoOrder("volatility estimate ", Num{input.volatility},
                             " is not a positive number");
        }
        fraction_of_capital = factor_ / input.volatility;
        how.Add("volatility target ", Num{factor_}, " / volatility ", Num{input.volatility}, " = ",
                Num{fraction_of_capital}, " x capital ", amount_);
      } else {
        const double p = input.win_probability;
        const double b = input.win_loss_ratio;
        if (!std::isfinite(p) || p < 0 || p > 1 || !std::isfinite(b) || b <= 0) {
          return how.NoOrder(
              "Kelly needs a win probability in [0, 1] and a win/loss ratio above 0, got p ",
              Num{p}, ", b ", Num{b});
        }
        const double full_kelly = p - (1 - p) / b;
        if (full_kelly <= 0) {
          return how.NoOrder("no edge, Kelly f* = ", Num{full_kelly}, " (p ", Num{p}, ", b ",
                             Num{b}, ")");
        }
        fraction_of_capital = std::min(factor_ * full_kelly, 1.0);
        how.Add("Kelly ", Num{factor_}, " x f* ", Num{full_kelly}, " (p ", Num{p}, ", b ", Num{b},
                ") = ", Num{fraction_of_capital}, " x capital ", amount_);
      }
      absl::StatusOr<Amount> notional =
          Amount::FromDouble(amount_.ToDouble() * fraction_of_capital, Rounding::kTowardZero);
      if (!notional.ok()) return how.NoOrder(how.text(), ": ", ToStd(notional.status().message()));
      absl::StatusOr<Quantity> q = QuantityFor(*notional, input.price, Rounding::kTowardZero);
      if (!q.ok()) return how.NoOrder(how.text(), ": ", ToStd(q.status().message()));
      qty = *q;
      how.Add(" at ", input.price);
      break;
    }
  }
  how.Add(" -> ", qty);
  if (max_qty_.is_positive() && qty > max_qty_) {
    qty = max_qty_;
    how.Add(", capped at ", max_qty_);
  }
  if (spec.max_qty.is_positive() && qty > spec.max_qty) {
    qty = spec.max_qty;
    how.Add(", capped at the instrument's maximum ", spec.max_qty);
  }
  if (!spec.lot_size.is_positive()) {
    return how.NoOrder("instrument ", spec.id, " has no lot size");
  }
  absl::StatusOr<Quantity> lots = qty.RoundToMultiple(spec.lot_size, Rounding::kFloor);
  if (!lots.ok()) return how.NoOrder(how.text(), ": ", ToStd(lots.status().message()));
  if (*lots != qty) how.Add(", rounded down to lot ", spec.lot_size, ": ", *lots);
  qty = *lots;
  if (!qty.is_positive()) return how.NoOrder(how.text(), " (zero)");
  if (spec.min_qty.is_positive() && qty < spec.min_qty) {
    return how.NoOrder(how.text(), " is below the minimum quantity ", spec.min_qty);
  }
  if (spec.min_notional.is_positive()) {
    absl::StatusOr<Amount> notional = Notional(input.price, qty);
    if (!notional.ok()) return how.NoOrder(how.text(), ": ", ToStd(notional.status().message()));
    if (*notional < spec.min_notional) {
      return how.NoOrder(how.text(), " is a notional of ", *notional, ", below the minimum ",
                         spec.min_notional);
    }
  }
  return how.Order(qty);
}

}  // namespace tradeplane::strategy
