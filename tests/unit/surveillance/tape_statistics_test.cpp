#include "tradeplane/surveillance/tape_statistics.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "test_values.h"

namespace tradeplane::surveillance {
namespace {

using testing::kBuy;
using testing::P;
using testing::Q;
using testing::T;

TEST_CASE("Benford's first-digit shares sum to one and start at 30.1 %", "[surveillance][tape]") {
  const std::array<double, 9>& shares = BenfordFirstDigitShares();
  double sum = 0;
  for (double s : shares) sum += s;
  CHECK(sum == Approx(1.0));
  CHECK(shares[0] == Approx(0.30103).epsilon(1e-4));
  CHECK(shares[8] == Approx(0.045757).epsilon(1e-4));
}

TEST_CASE("the first significant digit ignores scale and decimals", "[surveillance][tape]") {
  CHECK(FirstSignificantDigit(Q("100")) == 1);
  CHECK(FirstSignificantDigit(Q("0.00372")) == 3);
  CHECK(FirstSignificantDigit(Q("9")) == 9);
  CHECK(FirstSignificantDigit(Q("45725")) == 4);
  CHECK(FirstSignificantDigit(Quantity()) == 0);
}

TEST_CASE("the chi-square p-value with 8 degrees of freedom matches the tables",
          "[surveillance][tape]") {
  // Critical values of the chi-square distribution with 8 degrees of freedom.
  CHECK(ChiSquarePValue8(15.507) == Approx(0.05).epsilon(1e-3));
  CHECK(ChiSquarePValue8(20.090) == Approx(0.01).epsilon(1e-3));
  CHECK(ChiSquarePValue8(7.344) == Approx(0.50).epsilon(1e-3));
  CHECK(ChiSquarePValue8(0) == 1);
}

TEST_CASE("sizes that follow Benford's law pass and uniform digits fail", "[surveillance][tape]") {
  std::array<uint64_t, 9> benford{};
  std::array<uint64_t, 9> uniform{};
  for (size_t d = 0; d < 9; ++d) {
    benford[d] = static_cast<uint64_t>(std::lround(BenfordFirstDigitShares()[d] * 10000));
    uniform[d] = 1000;
  }
  CHECK(BenfordChiSquare(benford) < 0.01);
  CHECK(ChiSquarePValue8(BenfordChiSquare(benford)) > 0.99);
  CHECK(BenfordChiSquare(uniform) > 1000);
  CHECK(ChiSquarePValue8(BenfordChiSquare(uniform)) < 1e-6);
}

TEST_CASE("the tape monitor closes one record per instrument and window", "[surveillance][tape]") {
  absl::StatusOr<TapeParams> params = TapeParams::FromMap({{"window_s", 60}});
  REQUIRE(params.ok());
  TapeMonitor monitor(*params);
  // T(0) is on a minute boundary.
  monitor.OnEvent(PublicTrade(T(1'000), 0, 1, kBuy, P("10"), Q("100")));
  monitor.OnEvent(PublicTrade(T(2'000), 0, 2, kBuy, P("10"), Q("25")));
  monitor.OnEvent(PublicTrade(T(3'000), 1, 3, kBuy, P("10"), Q("300")));
  monitor.OnEvent(PublicTrade(T(61'000), 0, 4, kBuy, P("10"), Q("7")));
  REQUIRE(monitor.records().size() == 1);
  const TapeStatisticsRecord& first = monitor.records()[0];
  CHECK(first.instrument == 0);
  CHECK(first.window_start == T(0));
  CHECK(first.window_end == T(60'000));
  CHECK(first.trades == 2);
  CHECK(first.round_size_share() == Approx(0.5));
  CHECK(first.first_digit_counts[0] == 1);
  CHECK(first.first_digit_counts[1] == 1);
  monitor.Finish(T(90'000));
  REQUIRE(monitor.records().size() == 3);
  // Closed by instrument: instrument 0's partial last window, then instrument 1's.
  CHECK(monitor.records()[1].instrument == 0);
  CHECK(monitor.records()[1].window_start == T(60'000));
  CHECK(monitor.records()[1].window_end == T(90'000));
  CHECK(monitor.records()[2].instrument == 1);
  CHECK(monitor.records()[2].trades == 1);

  v1::TapeStatistics proto;
  monitor.records()[0].ToProto(nullptr, &proto);
  CHECK(proto.trades() == 2);
  CHECK(proto.first_digit_share_size() == 9);
  CHECK(proto.first_digit_share(0) == Approx(0.5));
  CHECK(proto.benford_p_value() == Approx(monitor.records()[0].benford_p_value()));
}

}  // namespace
}  // namespace tradeplane::surveillance
