// Identifiers: client order ids, request ids, intent ids.
//
// Ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter
// that keeps ids from one generator strictly increasing within a millisecond,
// and 62 random bits, which make ids from different processes, instances and
// restarts collide with negligible probability. The text form is 36
// characters, Binance's limit for newClientOrderId.
#ifndef TRADEPLANE_CORE_IDS_H_
#define TRADEPLANE_CORE_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/core/clock.h"

#include "absl/status/status.h"

namespace tradeplane {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t Next() = 0;
};

// Deterministic (SplitMix64); for the backtest and tests, which must repeat.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() override;

 private:
  uint64_t state_;
};

// Seeded from the kernel (getrandom), then xoshiro256**. Not thread-safe:
// one per thread.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  uint64_t Next() override;

 private:
  uint64_t s_[4];
};

// Not thread-safe: one generator per thread.
class UuidV7Generator {
 public:
  UuidV7Generator(const Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}
  // "0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60"
  std::string Next();

 private:
  const Clock& clock_;
  RandomSource& random_;
  int64_t last_ms_ = -1;
  uint32_t counter_ = 0;
};

inline constexpr size_t kMaxClientOrderIdLength = 36;

// 1 to 36 characters of [A-Za-z0-9._:/-] (Binance's newClientOrderId rule).
absl::Status ValidateClientOrderId(std::string_view id);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_IDS_H_
