// Where key generation, salts and nonces get their randomness.
//
// Pure code takes an EntropySource& so tests can repeat themselves; the
// service passes SystemEntropy. Not core's RandomSource: that one is a fast
// PRNG for ids, not a cryptographic source.
#ifndef TRADEPLANE_SIGNING_ENTROPY_SOURCE_H_
#define TRADEPLANE_SIGNING_ENTROPY_SOURCE_H_

#include <cstdint>
#include <span>

namespace tradeplane::signing {

class EntropySource {
 public:
  virtual ~EntropySource() = default;
  // Fills `out` with unpredictable bytes. Never fails.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// The kernel's CSPRNG through libsodium (getrandom). Thread-safe.
class SystemEntropy final : public EntropySource {
 public:
  void Fill(std::span<uint8_t> out) override;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_ENTROPY_SOURCE_H_
