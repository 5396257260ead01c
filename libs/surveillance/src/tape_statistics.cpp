#include "tradeplane/surveillance/tape_statistics.h"

#include <cmath>

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 2> kSpecs = {{
    {"window_s", 3600, 1, 86'400 * 7, "s: one TapeStatistics per instrument per window"},
    {"round_size_unit", 100, 1e-9, 1e12,
     "quantity: sizes that are whole multiples of this are round (100 shares, 1 coin)"},
}};

}  // namespace

const std::array<double, 9>& BenfordFirstDigitShares() {
  static const std::array<double, 9> kShares = [] {
    std::array<double, 9> shares{};
    for (int d = 1; d <= 9; ++d) shares[d - 1] = std::log10(1.0 + 1.0 / d);
    return shares;
  }();
  return kShares;
}

int FirstSignificantDigit(Quantity qty) {
  int64_t raw = qty.raw();
  if (raw <= 0) return 0;
  // The raw value is the quantity times 10^9, which keeps the leading digit.
  while (raw >= 10) raw /= 10;
  return static_cast<int>(raw);
}

double BenfordChiSquare(const std::array<uint64_t, 9>& digit_counts) {
  uint64_t n = 0;
  for (uint64_t c : digit_counts) n += c;
  if (n == 0) return 0;
  const std::array<double, 9>& expected_share = BenfordFirstDigitShares();
  double chi = 0;
  for (size_t i = 0; i < 9; ++i) {
    double expected = static_cast<double>(n) * expected_share[i];
    double diff = static_cast<double>(digit_counts[i]) - expected;
    chi += diff * diff / expected;
  }
  return chi;
}

double ChiSquarePValue8(double chi_square) {
  if (!(chi_square > 0)) return 1;
  double y = chi_square / 2;
  return std::exp(-y) * (1 + y + y * y / 2 + y * y * y / 6);
}

std::span<const ParamSpec> TapeParams::Specs() { return kSpecs; }

absl::StatusOr<TapeParams> TapeParams::FromMap(const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("tape_statistics", kSpecs, params, v);
  if (!status.ok()) return status;
  TapeParams p;
  p.window = Duration(static_cast<int64_t>(std::llround(v[0] * 1e9)));
  absl::StatusOr<Quantity> unit = Quantity::FromDouble(v[1], Rounding::kHalfEven);
  if (!unit.ok() || !unit->is_positive()) {
    return absl::InvalidArgumentError(
        "detector 'tape_statistics': parameter 'round_size_unit' must be a positive quantity");
  }
  p.round_size_unit = *unit;
  return p;
}

double TapeStatisticsRecord::round_size_share() const {
  return trades == 0 ? 0 : static_cast<double>(round_size_trades) / static_cast<double>(trades);
}

void TapeStatisticsRecord::ToProto(const InstrumentTable* instruments,
                                   v1::TapeStatistics* out) const {
  out->Clear();
  if (instruments != nullptr && instrument < instruments->size()) {
    instruments->at(instrument).id.ToProto(out->mutable_instrument());
  }
  out->set_window_start_ns(window_start.nanos());
  out->set_window_end_ns(window_end.nanos());
  out->set_trades(trades);
  out->set_round_size_share(round_size_share());
  out->set_benford_chi_square(benford_chi_square());
  out->set_benford_p_value(benford_p_value());
  for (uint64_t count : first_digit_counts) {
    out->add_first_digit_share(
        trades == 0 ? 0 : static_cast<double>(count) / static_cast<double>(trades));
  }
}

Timestamp TapeMonitor::WindowStart(Timestamp t) const {
  int64_t w = params_.window.count();
  int64_t ns = t.nanos();
  return Timestamp::FromNanos((ns >= 0 ? ns / w : (ns - w + 1) / w) * w);
}

void TapeMonitor::OnEvent(const Event& event) {
  if (event.kind != EventKind::kPublicTrade) return;
  if (event.instrument >= open_.size()) open_.resize(event.instrument + 1);
  Open& open = open_[event.instrument];
  if (open.active && event.time >= open.record.window_end) {
    records_.push_back(open.record);
    open.active = false;
  }
  if (!open.active) {
    open.active = true;
    open.record = TapeStatisticsRecord{};
    open.record.instrument = event.instrument;
    open.record.window_start = WindowStart(event.time);
    open.record.window_end = open.record.window_start + params_.window;
  }
  TapeStatisticsRecord& r = open.record;
  ++r.trades;
  if (event.qty.IsMultipleOf(params_.round_size_unit)) ++r.round_size_trades;
  int digit = FirstSignificantDigit(event.qty);
  // A zero size has no first digit; it counts as a trade and nothing else.
  if (digit > 0) ++r.first_digit_counts[digit - 1];
}

void TapeMonitor::Finish(Timestamp end) {
  for (Open& open : open_) {
    if (!open.active) continue;
    if (end < open.record.window_end) open.record.window_end = end;
    records_.push_back(open.record);
    open.active = false;
  }
}

void TapeMonitor::Reset() {
  open_.clear();
  records_.clear();
}

}  // namespace tradeplane::surveillance
