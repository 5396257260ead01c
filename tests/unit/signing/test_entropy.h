// A repeatable EntropySource for tests: a ChaCha20 stream from a fixed seed
// (libsodium's randombytes_buf_deterministic), advanced on every call.
#ifndef TRADEPLANE_TESTS_UNIT_SIGNING_TEST_ENTROPY_H_
#define TRADEPLANE_TESTS_UNIT_SIGNING_TEST_ENTROPY_H_

#include <array>
#include <cstdint>

#include <sodium.h>

#include "tradeplane/signing/entropy_source.h"

namespace tradeplane::signing::testing {

class SeededEntropy final : public EntropySource {
 public:
  explicit SeededEntropy(uint8_t seed) { seed_.fill(seed); }
  void Fill(std::span<uint8_t> out) override {
    // Fold the call count into the seed so each call gives new bytes.
    std::array<uint8_t, randombytes_SEEDBYTES> seed = seed_;
    for (size_t i = 0; i < 8; ++i) seed[i] ^= static_cast<uint8_t>(calls_ >> (8 * i));
    ++calls_;
    randombytes_buf_deterministic(out.data(), out.size(), seed.data());
  }

 private:
  std::array<uint8_t, randombytes_SEEDBYTES> seed_{};
  uint64_t calls_ = 0;
};

}  // namespace tradeplane::signing::testing

#endif  // TRADEPLANE_TESTS_UNIT_SIGNING_TEST_ENTROPY_H_
