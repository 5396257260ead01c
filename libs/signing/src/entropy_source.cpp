#include "tradeplane/signing/entropy_source.h"

#include <cstdlib>

#include <sodium.h>

#include "sodium_init.h"

namespace tradeplane::signing {

void SystemEntropy::Fill(std::span<uint8_t> out) {
  // Without an initialised libsodium there is no safe randomness to give;
  // carrying on would hand out predictable keys, so stop.
  if (!EnsureSodiumInitialized().ok()) std::abort();
  randombytes_buf(out.data(), out.size());
}

}  // namespace tradeplane::signing
