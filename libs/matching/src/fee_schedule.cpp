#include "tradeplane/matching/fee_schedule.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::matching {
namespace {

constexpr int64_t kMaxBpsRaw = 10'000 * kFixedPointScale;  // 100 %

}  // namespace

absl::Status FeeSchedule::Validate() const {
  if (taker_bps.raw() < 0 || taker_bps.raw() > kMaxBpsRaw) {
    return absl::InvalidArgumentError(
        absl::StrCat("taker fee ", taker_bps.ToString(), " bps: must be within [0, 10000]"));
  }
  if (maker_bps.raw() < -kMaxBpsRaw || maker_bps.raw() > kMaxBpsRaw) {
    return absl::InvalidArgumentError(
        absl::StrCat("maker fee ", maker_bps.ToString(), " bps: must be within [-10000, 10000]"));
  }
  return absl::OkStatus();
}

FeeBps FeeSchedule::Max() const {
  int64_t m = maker_bps.raw() > taker_bps.raw() ? maker_bps.raw() : taker_bps.raw();
  return FeeBps::FromRaw(m > 0 ? m : 0);
}

Amount FeeSchedule::FeeOn(Amount notional, FeeBps bps) {
  // C++ integer division truncates toward zero, which is the rounding we want.
  fixed_point::Int128 fee = static_cast<fixed_point::Int128>(notional.raw()) * bps.raw() /
                            static_cast<fixed_point::Int128>(kMaxBpsRaw);
  return Amount::FromRaw(static_cast<int64_t>(fee));
}

}  // namespace tradeplane::matching
