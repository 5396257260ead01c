// Session volume-weighted average price (no TA-Lib equivalent).
//
//   VWAP_t = sum(P_i * V_i) / sum(V_i)  over the bars (or trades) of the
//            current session up to t
//
// P is what the caller passes: a trade's price, a bar's own VWAP when it has
// one, or else the bar's typical price (H + L + C) / 3, the usual
// approximation when the trades are not seen (the tool uses it). Sessions
// are UTC days that start `session_start_minute` minutes after midnight UTC;
// the sums restart at the first input of a new session. Source: Berkowitz,
// Logue and Noser, "The Total Cost of Transactions on the NYSE" (1988), who
// defined VWAP as the benchmark; the session reset is the convention of
// exchange VWAP benchmarks.
// Warm-up: Ready once the session has a positive volume. O(1).
#ifndef TRADEPLANE_STRATEGY_VWAP_H_
#define TRADEPLANE_STRATEGY_VWAP_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class SessionVwap {
 public:
  static absl::StatusOr<SessionVwap> Create(int session_start_minute) {
    if (session_start_minute < 0 || session_start_minute >= 24 * 60) {
      return absl::InvalidArgumentError(StrCat("VWAP: session start minute ", session_start_minute,
                                               " is out of range [0, 1439]"));
    }
    return SessionVwap(session_start_minute);
  }

  // False for a non-finite or negative input (nothing changes).
  bool Update(Timestamp time, double price, double volume) {
    if (!std::isfinite(price) || !std::isfinite(volume) || volume < 0) return false;
    const int64_t session = SessionOf(time);
    if (!started_ || session != session_) {
      started_ = true;
      session_ = session;
      price_volume_ = 0;
      volume_ = 0;
    }
    price_volume_ += price * volume;
    volume_ += volume;
    if (volume_ > 0) value_ = price_volume_ / volume_;
    return true;
  }

  bool Ready() const { return started_ && volume_ > 0; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return Ready() ? value_ : std::numeric_limits<double>::quiet_NaN(); }
  double session_volume() const { return volume_; }
  int session_start_minute() const { return static_cast<int>(offset_ns_ / kMinuteNs); }
  // The session a time belongs to: whole days since the epoch, counted from
  // the session start.
  int64_t SessionOf(Timestamp time) const {
    const int64_t shifted = time.nanos() - offset_ns_;
    return shifted >= 0 ? shifted / kDayNs : -((-shifted + kDayNs - 1) / kDayNs);
  }

  void Reset() {
    started_ = false;
    price_volume_ = 0;
    volume_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  static constexpr int64_t kMinuteNs = 60'000'000'000;
  static constexpr int64_t kDayNs = 24 * 60 * kMinuteNs;

  explicit SessionVwap(int session_start_minute) : offset_ns_(session_start_minute * kMinuteNs) {}

  int64_t offset_ns_;
  bool started_ = false;
  int64_t session_ = 0;
  double price_volume_ = 0;
  double volume_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_VWAP_H_
