#include "tradeplane/core/fixed_point.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane {
namespace fixed_point {
namespace {

constexpr Int128 kScale128 = kFixedPointScale;

// Shown in error messages; long inputs are cut so a log line stays readable.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  if (text.size() <= kMaxShown) return StrCat("'", text, "'");
  return StrCat("'", text.substr(0, kMaxShown), "...' (", text.size(), " characters)");
}

absl::Status OutOfRange(std::string_view what) {
  return absl::OutOfRangeError(
      StrCat(what, " is outside the fixed-point range (|value| <= 9223372036.854775807)"));
}

// `describe` builds the error text only when the value is out of range, so
// the common path allocates nothing.
template <typename Describe>
absl::StatusOr<int64_t> Narrow(Int128 v, Describe describe) {
  if (v > kMaxRaw || v < kMinRaw) return OutOfRange(describe());
  return static_cast<int64_t>(v);
}

absl::StatusOr<int64_t> Narrow(Int128 v, const char* what) {
  return Narrow(v, [what] { return std::string(what); });
}

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

absl::StatusOr<int64_t> ParseRaw(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty string is not a decimal number");
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  Int128 integer = 0;
  int integer_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    integer = integer * 10 + (text[i] - '0');
    ++integer_digits;
    if (integer > kMaxRaw / kFixedPointScale + 1) {
      return OutOfRange(StrCat("decimal ", Quote(text)));
    }
  }
  Int128 fraction = 0;
  int fraction_digits = 0;
  bool dropped_nonzero = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (fraction_digits < kFixedPointDecimals) {
        fraction = fraction * 10 + (text[i] - '0');
      } else if (text[i] != '0') {
        dropped_nonzero = true;
      }
      ++fraction_digits;
    }
    if (fraction_digits == 0 && integer_digits == 0) {
      return absl::InvalidArgumentError(StrCat("not a decimal number: ", Quote(text)));
    }
  }
  if (i != text.size()) {
    char c = text[i];
    std::string why = (c == 'e' || c == 'E')    ? " (exponents are not accepted)"
                      : (c == ' ' || c == '\t') ? " (whitespace is not accepted)"
                      : (c == ',')              ? " (use '.' as the decimal point, no separators)"
                                                : "";
    return absl::InvalidArgumentError(StrCat("not a decimal number: ", Quote(text),
                                             ": unexpected '", std::string(1, c), "' at position ",
                                             i, why));
  }
  if (integer_digits == 0 && fraction_digits == 0) {
    return absl::InvalidArgumentError(StrCat("not a decimal number: ", Quote(text)));
  }
  if (dropped_nonzero) {
    return absl::InvalidArgumentError(StrCat("decimal ", Quote(text), " has more than ",
                                             kFixedPointDecimals, " significant decimal places"));
  }
  int used = fraction_digits < kFixedPointDecimals ? fraction_digits : kFixedPointDecimals;
  Int128 value = integer * kScale128 + fraction * Pow10(kFixedPointDecimals - used);
  if (negative) value = -value;
  return Narrow(value, [&] { return StrCat("decimal ", Quote(text)); });
}

void AppendRaw(int64_t raw, std::string* out) {
  // INT64_MIN is outside the range but must still print without overflow.
  UInt128 magnitude = raw < 0 ? static_cast<UInt128>(-static_cast<Int128>(raw)) : raw;
  if (raw < 0) out->push_back('-');
  uint64_t whole = static_cast<uint64_t>(magnitude / kFixedPointScale);
  uint64_t frac = static_cast<uint64_t>(magnitude % kFixedPointScale);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), whole);
  out->append(buf, end);
  if (frac == 0) return;
  char digits[kFixedPointDecimals];
  for (int d = kFixedPointDecimals - 1; d >= 0; --d) {
    digits[d] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int len = kFixedPointDecimals;
  while (len > 0 && digits[len - 1] == '0') --len;
  out->push_back('.');
  out->append(digits, len);
}

std::string FormatRaw(int64_t raw) {
  // Built in a string that starts in its small buffer: short values ("10",
  // "0.5") then allocate nothing.
  std::string out;
  AppendRaw(raw, &out);
  return out;
}

std::string FormatRawWithDecimals(int64_t raw, int min_decimals) {
  std::string out = FormatRaw(raw);
  if (min_decimals <= 0) return out;
  if (min_decimals > kFixedPointDecimals) min_decimals = kFixedPointDecimals;
  size_t dot = out.find('.');
  int have = dot == std::string::npos ? 0 : static_cast<int>(out.size() - dot - 1);
  if (dot == std::string::npos) out.push_back('.');
  out.append(static_cast<size_t>(min_decimals > have ? min_decimals - have : 0), '0');
  return out;
}

absl::StatusOr<int64_t> DivideRounded(Int128 numerator, Int128 denominator, Rounding rounding) {
  if (denominator == 0) return absl::InvalidArgumentError("division by zero");
  Int128 q = numerator / denominator;
  Int128 r = numerator % denominator;
  if (r != 0) {
    bool negative = (numerator < 0) != (denominator < 0);
    Int128 away = negative ? -1 : 1;
    Int128 abs_r2 = (r < 0 ? -r : r) * 2;
    Int128 abs_d = denominator < 0 ? -denominator : denominator;
    switch (rounding) {
      case Rounding::kTowardZero:
        break;
      case Rounding::kAwayFromZero:
        q += away;
        break;
      case Rounding::kFloor:
        if (negative) q -= 1;
        break;
      case Rounding::kCeiling:
        if (!negative) q += 1;
        break;
      case Rounding::kHalfEven:
        if (abs_r2 > abs_d || (abs_r2 == abs_d && (q % 2) != 0)) q += away;
        break;
      case Rounding::kHalfAwayFromZero:
        if (abs_r2 >= abs_d) q += away;
        break;
    }
  }
  return Narrow(q, "result");
}

absl::StatusOr<int64_t> MulRaw(int64_t a, int64_t b, Rounding rounding) {
  return DivideRounded(static_cast<Int128>(a) * b, kScale128, rounding);
}

absl::StatusOr<int64_t> DivRaw(int64_t a, int64_t b, Rounding rounding) {
  if (b == 0) return absl::InvalidArgumentError("division by zero");
  return DivideRounded(static_cast<Int128>(a) * kScale128, b, rounding);
}

absl::StatusOr<int64_t> FromDouble(double value, Rounding rounding) {
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(StrCat("not a finite number: ", value));
  }
  if (std::fabs(value) >= 1e10) return OutOfRange(StrCat("value ", value));
  // The shortest text that reads back as `value`, e.g. 0.1 -> "1e-01": its
  // digits are what a person means, where value * 1e9 would carry binary noise.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  if (ec != std::errc()) return absl::InternalError("cannot format double");
  std::string_view text(buf, static_cast<size_t>(end - buf));
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t e = text.find('e');
  Int128 digits = 0;
  int digit_count = 0;
  for (char c : text.substr(0, e)) {
    if (c == '.') continue;
    digits = digits * 10 + (c - '0');
    ++digit_count;
  }
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  // value = digits * 10^(exponent - digit_count + 1); raw = value * 10^9.
  int shift = exponent - digit_count + 1 + kFixedPointDecimals;
  if (negative) digits = -digits;
  if (shift >= 0) return Narrow(digits * Pow10(shift), [&] { return StrCat("value ", value); });
  if (-shift > 30) {
    // Far below one unit: only the direction of rounding matters.
    return DivideRounded(digits == 0 ? 0 : (negative ? -1 : 1), Pow10(30), rounding);
  }
  return DivideRounded(digits, Pow10(-shift), rounding);
}

absl::StatusOr<int64_t> RoundToMultiple(int64_t value, int64_t increment, Rounding rounding) {
  if (increment <= 0) {
    return absl::InvalidArgumentError(
        StrCat("increment must be positive, got ", FormatRaw(increment)));
  }
  absl::StatusOr<int64_t> n = DivideRounded(value, increment, rounding);
  if (!n.ok()) return n.status();
  return Narrow(static_cast<Int128>(*n) * increment, "rounded value");
}

absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b) {
  return Narrow(static_cast<Int128>(a) + b,
                [&] { return StrCat("sum ", FormatRaw(a), " + ", FormatRaw(b)); });
}

absl::StatusOr<int64_t> CheckedSub(int64_t a, int64_t b) {
  return Narrow(static_cast<Int128>(a) - b,
                [&] { return StrCat("difference ", FormatRaw(a), " - ", FormatRaw(b)); });
}

absl::StatusOr<int64_t> CheckedMulInt(int64_t a, int64_t n) {
  return Narrow(static_cast<Int128>(a) * n, "product");
}

}  // namespace fixed_point

absl::StatusOr<Amount> Notional(Price price, Quantity qty, Rounding rounding) {
  absl::StatusOr<int64_t> raw = fixed_point::MulRaw(price.raw(), qty.raw(), rounding);
  if (!raw.ok()) return raw.status();
  return Amount::FromRaw(*raw);
}

absl::StatusOr<Price> PricePerUnit(Amount amount, Quantity qty, Rounding rounding) {
  absl::StatusOr<int64_t> raw = fixed_point::DivRaw(amount.raw(), qty.raw(), rounding);
  if (!raw.ok()) return raw.status();
  return Price::FromRaw(*raw);
}

absl::StatusOr<Quantity> QuantityFor(Amount amount, Price price, Rounding rounding) {
  absl::StatusOr<int64_t> raw = fixed_point::DivRaw(amount.raw(), price.raw(), rounding);
  if (!raw.ok()) return raw.status();
  return Quantity::FromRaw(*raw);
}

}  // namespace tradeplane
