// Short ways to write prices, quantities and levels in the market-data tests.
#ifndef TRADEPLANE_TESTS_UNIT_MARKETDATA_BOOK_TEST_VALUES_H_
#define TRADEPLANE_TESTS_UNIT_MARKETDATA_BOOK_TEST_VALUES_H_

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/events.h"

namespace tradeplane::marketdata::testing {

inline Price P(std::string_view text) {
  absl::StatusOr<Price> v = Price::Parse(text);
  REQUIRE(v.ok());
  return *v;
}

inline Quantity Q(std::string_view text) {
  absl::StatusOr<Quantity> v = Quantity::Parse(text);
  REQUIRE(v.ok());
  return *v;
}

inline BookLevel L(std::string_view price, std::string_view qty) {
  return BookLevel{P(price), Q(qty)};
}

inline std::string Message(const absl::Status& status) {
  return std::string(ToStd(status.message()));
}

}  // namespace tradeplane::marketdata::testing

#endif  // TRADEPLANE_TESTS_UNIT_MARKETDATA_BOOK_TEST_VALUES_H_
