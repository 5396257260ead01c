// A deterministic token bucket for order and cancel rates.
//
// Tokens are counted in nano-tokens (one token = 1e9) so that the refill over
// `elapsed` nanoseconds at `per_second` tokens a second is exactly
// elapsed_ns * per_second nano-tokens: integer arithmetic, no rounding, the
// same answer on every machine. The parameters are passed at each call rather
// than stored, so a limits swap takes effect at once while the bucket keeps
// its level (clamped to the new burst). A new bucket starts full.
#ifndef TRADEPLANE_RISK_TOKEN_BUCKET_H_
#define TRADEPLANE_RISK_TOKEN_BUCKET_H_

#include <cstdint>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/risk_limits.h"

namespace tradeplane::risk {

class TokenBucket {
 public:
  static constexpr int64_t kNanoTokensPerToken = 1'000'000'000;

  // Nano-tokens available at `now`, capped at the burst. Time that goes
  // backwards refills nothing.
  int64_t AvailableNanoTokens(const RateLimit& limit, Timestamp now) const {
    int64_t capacity = static_cast<int64_t>(limit.burst) * kNanoTokensPerToken;
    if (!started_ || !limit.limited()) return capacity;
    int64_t elapsed_ns = now > updated_ ? (now - updated_).count() : 0;
    // Past this much time the bucket is full whatever it held: keeps the
    // product below overflow.
    int64_t fill_ns = capacity / static_cast<int64_t>(limit.per_second) + 1;
    if (elapsed_ns >= fill_ns) return capacity;
    int64_t level = nano_tokens_ + elapsed_ns * static_cast<int64_t>(limit.per_second);
    return level < capacity ? level : capacity;
  }

  // Whether one token can be taken at `now`. Always true for an unlimited rate.
  bool CanTake(const RateLimit& limit, Timestamp now) const {
    return !limit.limited() || AvailableNanoTokens(limit, now) >= kNanoTokensPerToken;
  }

  // Takes one token at `now` (callers check CanTake first; the level never
  // goes below zero).
  void Take(const RateLimit& limit, Timestamp now) {
    if (!limit.limited()) return;
    int64_t level = AvailableNanoTokens(limit, now) - kNanoTokensPerToken;
    nano_tokens_ = level > 0 ? level : 0;
    if (!started_ || now > updated_) updated_ = now;
    started_ = true;
  }

 private:
  bool started_ = false;
  int64_t nano_tokens_ = 0;
  Timestamp updated_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_TOKEN_BUCKET_H_
