// Fixed-point decimal money for the whole suite.
//
// Prices, quantities and amounts are int64 counts of 1e-9 units (one scale
// everywhere, on the wire and in the database). Arithmetic that can overflow
// is checked and returns absl::StatusOr; products and quotients are computed
// with 128-bit intermediates and rounded by an explicit mode. Decimal strings
// are parsed and printed exactly: "0.00000637" is 6370 units, never a double.
#ifndef TRADEPLANE_CORE_FIXED_POINT_H_
#define TRADEPLANE_CORE_FIXED_POINT_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane {

inline constexpr int kFixedPointDecimals = 9;
inline constexpr int64_t kFixedPointScale = 1'000'000'000;

// How a result that falls between two representable values is rounded.
enum class Rounding {
  kTowardZero,  // truncate
  kAwayFromZero,
  kFloor,            // toward -infinity
  kCeiling,          // toward +infinity
  kHalfEven,         // to nearest, ties to even (banker's rounding)
  kHalfAwayFromZero  // to nearest, ties away from zero
};

// Operations on raw fixed-point integers; the typed wrappers below call these.
// The representable range is symmetric, [-INT64_MAX, INT64_MAX] units, so that
// negation never overflows; INT64_MIN is treated as out of range.
namespace fixed_point {

// GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

inline constexpr int64_t kMaxRaw = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kMinRaw = -kMaxRaw;

// Parses an exponent-free decimal string: optional sign, digits, optional
// fraction. More than 9 fractional digits are accepted only when the extra
// digits are zero (the value must be exact).
absl::StatusOr<int64_t> ParseRaw(std::string_view text);

// Exact decimal text: no trailing fractional zeros, no point for integers.
std::string FormatRaw(int64_t raw);
// Appends the same text; allocation-free when `out` has the capacity.
void AppendRaw(int64_t raw, std::string* out);
// As FormatRaw but with at least `min_decimals` fractional digits (padded).
std::string FormatRawWithDecimals(int64_t raw, int min_decimals);

// a * b / scale, rounded.
absl::StatusOr<int64_t> MulRaw(int64_t a, int64_t b, Rounding rounding);
// a * scale / b, rounded. b == 0 is an error.
absl::StatusOr<int64_t> DivRaw(int64_t a, int64_t b, Rounding rounding);
// numerator / denominator for 128-bit values, rounded, checked to fit.
absl::StatusOr<int64_t> DivideRounded(Int128 numerator, Int128 denominator, Rounding rounding);
// The decimal a person would read for `value` (its shortest round-trip form),
// rounded to the scale. NaN and infinities are errors.
absl::StatusOr<int64_t> FromDouble(double value, Rounding rounding);
// value rounded to a multiple of increment (> 0).
absl::StatusOr<int64_t> RoundToMultiple(int64_t value, int64_t increment, Rounding rounding);
absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b);
absl::StatusOr<int64_t> CheckedSub(int64_t a, int64_t b);
// a * n for a plain integer n.
absl::StatusOr<int64_t> CheckedMulInt(int64_t a, int64_t n);

}  // namespace fixed_point

// A fixed-point decimal of one kind (Tag keeps prices, quantities and amounts
// from being mixed by accident). Trivially copyable, 8 bytes.
template <typename Tag>
class FixedPoint {
 public:
  constexpr FixedPoint() = default;

  static constexpr FixedPoint FromRaw(int64_t raw) { return FixedPoint(raw); }
  static constexpr FixedPoint Zero() { return FixedPoint(0); }
  static constexpr FixedPoint Max() { return FixedPoint(fixed_point::kMaxRaw); }
  static constexpr FixedPoint Min() { return FixedPoint(fixed_point::kMinRaw); }

  static absl::StatusOr<FixedPoint> Parse(std::string_view text) {
    absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(text);
    if (!raw.ok()) return raw.status();
    return FixedPoint(*raw);
  }
  // Whole units, e.g. FromUnits(5) == 5.0.
  static absl::StatusOr<FixedPoint> FromUnits(int64_t units) {
    return Wrap(fixed_point::CheckedMulInt(units, kFixedPointScale));
  }
  // The explicit, rounded step from an indicator's double back into money.
  static absl::StatusOr<FixedPoint> FromDouble(double value, Rounding rounding) {
    absl::StatusOr<int64_t> raw = fixed_point::FromDouble(value, rounding);
    if (!raw.ok()) return raw.status();
    return FixedPoint(*raw);
  }

  constexpr int64_t raw() const { return raw_; }
  // Approximate; for indicators and display only, never for money arithmetic.
  double ToDouble() const { return static_cast<double>(raw_) / kFixedPointScale; }
  std::string ToString() const { return fixed_point::FormatRaw(raw_); }
  std::string ToString(int min_decimals) const {
    return fixed_point::FormatRawWithDecimals(raw_, min_decimals);
  }

  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_positive() const { return raw_ > 0; }
  constexpr bool is_negative() const { return raw_ < 0; }

  absl::StatusOr<FixedPoint> Add(FixedPoint other) const {
    return Wrap(fixed_point::CheckedAdd(raw_, other.raw_));
  }
  absl::StatusOr<FixedPoint> Sub(FixedPoint other) const {
    return Wrap(fixed_point::CheckedSub(raw_, other.raw_));
  }
  // Never overflows: the range is symmetric.
  constexpr FixedPoint Negate() const { return FixedPoint(-raw_); }
  constexpr FixedPoint Abs() const { return raw_ < 0 ? Negate() : *this; }
  // Multiplies by a plain integer count (e.g. a number of lots).
  absl::StatusOr<FixedPoint> Times(int64_t n) const {
    return Wrap(fixed_point::CheckedMulInt(raw_, n));
  }
  // Multiplies by another decimal of any kind, keeping this kind
  // (e.g. a quantity times a fraction).
  template <typename OtherTag>
  absl::StatusOr<FixedPoint> MulBy(FixedPoint<OtherTag> factor, Rounding rounding) const {
    return Wrap(fixed_point::MulRaw(raw_, factor.raw(), rounding));
  }

  // Whether this is a whole multiple of `increment` (a tick or lot size > 0).
  constexpr bool IsMultipleOf(FixedPoint increment) const {
    return increment.raw_ > 0 && raw_ % increment.raw_ == 0;
  }
  absl::StatusOr<FixedPoint> RoundToMultiple(FixedPoint increment, Rounding rounding) const {
    return Wrap(fixed_point::RoundToMultiple(raw_, increment.raw_, rounding));
  }

  friend constexpr auto operator<=>(FixedPoint a, FixedPoint b) = default;
  friend constexpr bool operator==(FixedPoint a, FixedPoint b) = default;

 private:
  constexpr explicit FixedPoint(int64_t raw) : raw_(raw) {}
  static absl::StatusOr<FixedPoint> Wrap(absl::StatusOr<int64_t> raw) {
    if (!raw.ok()) return raw.status();
    return FixedPoint(*raw);
  }

  int64_t raw_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct AmountTag {};

using Price = FixedPoint<PriceTag>;        // per unit of the base asset, in the quote asset
using Quantity = FixedPoint<QuantityTag>;  // units of the base asset; signed for positions
using Amount = FixedPoint<AmountTag>;      // money: notional, PnL, fees, balances

// price * qty, rounded (half-even by default: unbiased over many fills).
absl::StatusOr<Amount> Notional(Price price, Quantity qty, Rounding rounding = Rounding::kHalfEven);
// amount / qty, e.g. an average price from a notional.
absl::StatusOr<Price> PricePerUnit(Amount amount, Quantity qty,
                                   Rounding rounding = Rounding::kHalfEven);
// amount / price, e.g. how much can be bought for a notional.
absl::StatusOr<Quantity> QuantityFor(Amount amount, Price price, Rounding rounding);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_FIXED_POINT_H_
