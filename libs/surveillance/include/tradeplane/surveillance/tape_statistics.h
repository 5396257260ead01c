// Market-wide statistics of the public tape (no identities), after the
// literature on wash trading in crypto exchanges (Cong, Li, Tang and Yang,
// "Crypto Wash Trading", 2021): genuine trade sizes follow Benford's law in
// their first significant digit and cluster at round sizes; fabricated volume
// tends not to. They describe a venue and a period, not a person, so they are
// reported as TapeStatistics, never as alerts.
//
// Per instrument and per window of window_s (aligned to multiples of it since
// the epoch): the trade count, the share of trades whose size is a whole
// multiple of round_size_unit, the first-digit shares of the sizes (1..9),
// and Pearson's chi-square statistic of those digits against Benford's law
// with its p-value (8 degrees of freedom). A small p-value says the sizes do
// not look like Benford's; with a few trades the test says little.
#ifndef TRADEPLANE_SURVEILLANCE_TAPE_STATISTICS_H_
#define TRADEPLANE_SURVEILLANCE_TAPE_STATISTICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

// log10(1 + 1/d) for d = 1..9 (index 0 is digit 1).
const std::array<double, 9>& BenfordFirstDigitShares();

// The first significant decimal digit of a positive quantity (1..9); 0 for
// zero or negative.
int FirstSignificantDigit(Quantity qty);

// Pearson's chi-square of observed first-digit counts (index 0 = digit 1)
// against Benford's law; 0 when there are no observations.
double BenfordChiSquare(const std::array<uint64_t, 9>& digit_counts);

// P(X >= chi_square) for a chi-square distribution with 8 degrees of
// freedom: exp(-x/2) (1 + x/2 + (x/2)^2/2 + (x/2)^3/6), exact for even
// degrees of freedom.
double ChiSquarePValue8(double chi_square);

struct TapeParams {
  Duration window{std::chrono::seconds(3600)};
  Quantity round_size_unit = Quantity::FromRaw(100 * kFixedPointScale);

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<TapeParams> FromMap(const std::map<std::string, double>& params);
};

struct TapeStatisticsRecord {
  InstrumentIndex instrument = 0;
  Timestamp window_start;
  Timestamp window_end;
  uint64_t trades = 0;
  uint64_t round_size_trades = 0;
  std::array<uint64_t, 9> first_digit_counts{};

  double round_size_share() const;
  double benford_chi_square() const { return BenfordChiSquare(first_digit_counts); }
  double benford_p_value() const { return ChiSquarePValue8(benford_chi_square()); }
  // Instrument ids come from `instruments` when given.
  void ToProto(const InstrumentTable* instruments, v1::TapeStatistics* out) const;
};

// Accumulates public trades; O(1) per trade, allocation only when a window
// closes (one record).
class TapeMonitor {
 public:
  explicit TapeMonitor(const TapeParams& params) : params_(params) {}

  void OnEvent(const Event& event);
  // Closes every open window (the partial last one ends at `end`).
  void Finish(Timestamp end);
  void Reset();

  // Closed windows, in the order they closed.
  const std::vector<TapeStatisticsRecord>& records() const { return records_; }

 private:
  struct Open {
    bool active = false;
    TapeStatisticsRecord record;
  };
  Timestamp WindowStart(Timestamp t) const;

  TapeParams params_;
  std::vector<Open> open_;  // by instrument
  std::vector<TapeStatisticsRecord> records_;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_TAPE_STATISTICS_H_
