#include "tradeplane/core/fixed_point.h"

#include <random>

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

int64_t Raw(std::string_view text) {
  absl::StatusOr<int64_t> v = fixed_point::ParseRaw(text);
  REQUIRE(v.ok());
  return *v;
}

std::string Error(std::string_view text) {
  absl::StatusOr<int64_t> v = fixed_point::ParseRaw(text);
  REQUIRE_FALSE(v.ok());
  return std::string(v.status().message());
}

TEST_CASE("decimal strings parse exactly at the 1e-9 scale", "[core][money]") {
  CHECK(Raw("0") == 0);
  CHECK(Raw("1") == 1'000'000'000);
  CHECK(Raw("-1") == -1'000'000'000);
  CHECK(Raw("+2.5") == 2'500'000'000);
  CHECK(Raw("0.00000637") == 6370);  // a Binance price, exponent-free
  CHECK(Raw("0.000000001") == 1);
  CHECK(Raw(".5") == 500'000'000);
  CHECK(Raw("5.") == 5'000'000'000);
  CHECK(Raw("3355.21") == 3'355'210'000'000);
  CHECK(Raw("0001.10") == 1'100'000'000);
  CHECK(Raw("1.000000000000") == 1'000'000'000);  // extra zeros are exact
  CHECK(Raw("9223372036.854775807") == INT64_MAX);
  CHECK(Raw("-9223372036.854775807") == -INT64_MAX);
}

TEST_CASE("malformed decimal strings are refused with a reason", "[core][money]") {
  CHECK_THAT(Error(""), Catch::Contains("empty"));
  CHECK_THAT(Error("1e5"), Catch::Contains("exponents are not accepted"));
  CHECK_THAT(Error("6.37E-6"), Catch::Contains("exponents"));
  CHECK_THAT(Error(" 1"), Catch::Contains("whitespace"));
  CHECK_THAT(Error("1,000.5"), Catch::Contains("separators"));
  CHECK_THAT(Error("."), Catch::Contains("not a decimal"));
  CHECK_THAT(Error("-"), Catch::Contains("not a decimal"));
  CHECK_THAT(Error("--1"), Catch::Contains("position 1"));
  CHECK_THAT(Error("1.2.3"), Catch::Contains("position 3"));
  CHECK_THAT(Error("abc"), Catch::Contains("'abc'"));
  CHECK_THAT(Error("NaN"), Catch::Contains("not a decimal"));
  CHECK_THAT(Error("0.0000000001"), Catch::Contains("more than 9"));
  CHECK_THAT(Error("9223372036.854775808"), Catch::Contains("outside the fixed-point range"));
  CHECK_THAT(Error("99999999999999999999999"), Catch::Contains("outside"));
  CHECK_THAT(Error(std::string(200, '7')), Catch::Contains("200 characters"));
}

TEST_CASE("formatting is exact and minimal", "[core][money]") {
  CHECK(fixed_point::FormatRaw(0) == "0");
  CHECK(fixed_point::FormatRaw(6370) == "0.00000637");
  CHECK(fixed_point::FormatRaw(-1'500'000'000) == "-1.5");
  CHECK(fixed_point::FormatRaw(3'355'210'000'000) == "3355.21");
  CHECK(fixed_point::FormatRaw(INT64_MAX) == "9223372036.854775807");
  CHECK(fixed_point::FormatRaw(INT64_MIN) == "-9223372036.854775808");
  CHECK(fixed_point::FormatRawWithDecimals(3'355'210'000'000, 4) == "3355.2100");
  CHECK(fixed_point::FormatRawWithDecimals(5'000'000'000, 2) == "5.00");
  CHECK(Price::FromRaw(1).ToString() == "0.000000001");
}

TEST_CASE("random values survive format then parse", "[core][money][property]") {
  std::mt19937_64 rng(20261121);
  std::uniform_int_distribution<int64_t> any(-INT64_MAX, INT64_MAX);
  std::uniform_int_distribution<int64_t> small(-1'000'000'000'000, 1'000'000'000'000);
  for (int i = 0; i < 100'000; ++i) {
    int64_t v = (i % 2 == 0) ? any(rng) : small(rng);
    std::string text = fixed_point::FormatRaw(v);
    absl::StatusOr<int64_t> back = fixed_point::ParseRaw(text);
    REQUIRE(back.ok());
    REQUIRE(*back == v);
  }
}

TEST_CASE("checked arithmetic reports overflow instead of wrapping", "[core][money]") {
  Quantity big = Quantity::Max();
  CHECK_FALSE(big.Add(Quantity::FromRaw(1)).ok());
  CHECK_FALSE(Quantity::Min().Sub(Quantity::FromRaw(1)).ok());
  CHECK(big.Negate() == Quantity::Min());
  CHECK(big.Sub(Quantity::FromRaw(1))->raw() == INT64_MAX - 1);
  CHECK_FALSE(Quantity::FromRaw(INT64_MAX / 2 + 1).Times(2).ok());
  CHECK(Quantity::FromUnits(9'223'372'036).ok());
  CHECK_FALSE(Quantity::FromUnits(9'223'372'037).ok());

  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(-INT64_MAX, INT64_MAX);
  for (int i = 0; i < 10'000; ++i) {
    int64_t a = any(rng), b = any(rng);
    fixed_point::Int128 exact = static_cast<fixed_point::Int128>(a) + b;
    absl::StatusOr<int64_t> sum = fixed_point::CheckedAdd(a, b);
    REQUIRE(sum.ok() == (exact <= INT64_MAX && exact >= -INT64_MAX));
    if (sum.ok()) REQUIRE(*sum == exact);
  }
}

TEST_CASE("notional uses 128-bit intermediates and explicit rounding", "[core][money]") {
  Price px = *Price::Parse("3355.21");
  Quantity qty = *Quantity::Parse("45725");
  absl::StatusOr<Amount> n = Notional(px, qty);
  REQUIRE(n.ok());
  CHECK(n->ToString() == "153416977.25");  // the AMZN opening cross
  // A product whose raw intermediate (1e9 * 1e9 * 1e9) overflows int64 but not int128.
  CHECK(Notional(*Price::Parse("1000"), *Quantity::Parse("1000000"))->ToString() == "1000000000");
  CHECK_FALSE(Notional(*Price::Parse("100000"), *Quantity::Parse("1000000")).ok());

  // 0.000000001 * 0.5 = 0.0000000005: halfway between 0 and 1 unit.
  Price tiny = Price::FromRaw(1);
  Quantity half = *Quantity::Parse("0.5");
  CHECK(Notional(tiny, half, Rounding::kHalfEven)->raw() == 0);
  CHECK(Notional(tiny, half, Rounding::kHalfAwayFromZero)->raw() == 1);
  CHECK(Notional(tiny, half, Rounding::kTowardZero)->raw() == 0);
  CHECK(Notional(tiny, half, Rounding::kCeiling)->raw() == 1);
  CHECK(Notional(tiny, half.Negate(), Rounding::kFloor)->raw() == -1);
  CHECK(Notional(tiny, half.Negate(), Rounding::kCeiling)->raw() == 0);
  CHECK(Notional(Price::FromRaw(3), half, Rounding::kHalfEven)->raw() == 2);  // 1.5 -> 2
}

TEST_CASE("rounding modes agree with their definitions on every remainder", "[core][money]") {
  // n / 4 for n in [-9, 9]: exact quarters exercise ties and non-ties.
  for (int n = -9; n <= 9; ++n) {
    double exact = n / 4.0;
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kFloor) == std::floor(exact));
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kCeiling) == std::ceil(exact));
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kTowardZero) == std::trunc(exact));
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kHalfAwayFromZero) == std::round(exact));
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kHalfEven) == std::nearbyint(exact));
    CHECK(*fixed_point::DivideRounded(n, 4, Rounding::kAwayFromZero) ==
          (exact < 0 ? std::floor(exact) : std::ceil(exact)));
  }
  CHECK_FALSE(fixed_point::DivideRounded(1, 0, Rounding::kFloor).ok());
}

TEST_CASE("prices and quantities round to ticks and lots", "[core][money]") {
  Price tick = *Price::Parse("0.01");
  Price px = *Price::Parse("3355.215");
  CHECK_FALSE(px.IsMultipleOf(tick));
  CHECK(px.RoundToMultiple(tick, Rounding::kFloor)->ToString() == "3355.21");
  CHECK(px.RoundToMultiple(tick, Rounding::kCeiling)->ToString() == "3355.22");
  CHECK(px.RoundToMultiple(tick, Rounding::kHalfEven)->ToString() == "3355.22");
  CHECK(Price::Parse("3355.21")->IsMultipleOf(tick));
  CHECK_FALSE(px.RoundToMultiple(Price::Zero(), Rounding::kFloor).ok());
  CHECK(
      QuantityFor(*Amount::Parse("1000"), *Price::Parse("3"), Rounding::kTowardZero)->ToString() ==
      "333.333333333");
  CHECK(PricePerUnit(*Amount::Parse("10"), *Quantity::Parse("4"))->ToString() == "2.5");
  CHECK_FALSE(PricePerUnit(*Amount::Parse("10"), Quantity::Zero()).ok());
}

TEST_CASE("doubles convert through their shortest decimal form", "[core][money]") {
  CHECK(*fixed_point::FromDouble(0.1, Rounding::kHalfEven) == 100'000'000);
  CHECK(*fixed_point::FromDouble(3355.21, Rounding::kHalfEven) == 3'355'210'000'000);
  CHECK(*fixed_point::FromDouble(-2.5e-9, Rounding::kHalfEven) == -2);
  CHECK(*fixed_point::FromDouble(-2.5e-9, Rounding::kHalfAwayFromZero) == -3);
  CHECK(*fixed_point::FromDouble(1e-300, Rounding::kCeiling) == 1);
  CHECK(*fixed_point::FromDouble(1e-300, Rounding::kHalfEven) == 0);
  CHECK(*fixed_point::FromDouble(0.0, Rounding::kCeiling) == 0);
  CHECK(*fixed_point::FromDouble(123456789.123456789, Rounding::kHalfEven) ==
        123'456'789'123'456'790);
  CHECK_FALSE(fixed_point::FromDouble(std::nan(""), Rounding::kHalfEven).ok());
  CHECK_FALSE(fixed_point::FromDouble(1e10, Rounding::kHalfEven).ok());
  CHECK_FALSE(fixed_point::FromDouble(INFINITY, Rounding::kHalfEven).ok());
}

}  // namespace
}  // namespace tradeplane
