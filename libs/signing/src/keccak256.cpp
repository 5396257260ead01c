#include "tradeplane/signing/keccak256.h"

namespace tradeplane::signing {
namespace {

// Keccak-f[1600] constants (The Keccak reference, version 3.0, section 1.2).
constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// Rho rotation amounts and the Pi lane order, walked as one cycle from lane 1.
constexpr int kRotations[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPiLanes[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                              15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

constexpr uint64_t RotateLeft(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

uint64_t LoadLittleEndian(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void Keccak256::Permute() {
  uint64_t* st = state_;
  uint64_t bc[5];
  for (int round = 0; round < 24; ++round) {
    // Theta
    for (int i = 0; i < 5; ++i) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (int i = 0; i < 5; ++i) {
      uint64_t t = bc[(i + 4) % 5] ^ RotateLeft(bc[(i + 1) % 5], 1);
      for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    // Rho and Pi
    uint64_t carried = st[1];
    for (int i = 0; i < 24; ++i) {
      int lane = kPiLanes[i];
      uint64_t next = st[lane];
      st[lane] = RotateLeft(carried, kRotations[i]);
      carried = next;
    }
    // Chi
    for (int j = 0; j < 25; j += 5) {
      for (int i = 0; i < 5; ++i) bc[i] = st[j + i];
      for (int i = 0; i < 5; ++i) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    // Iota
    st[0] ^= kRoundConstants[round];
  }
}

Keccak256& Keccak256::Update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  while (n > 0) {
    if (offset_ % 8 == 0 && n >= 8) {
      // Whole lanes at a time while aligned to a lane.
      while (n >= 8 && offset_ < kRateBytes) {
        state_[offset_ / 8] ^= LoadLittleEndian(p);
        p += 8;
        n -= 8;
        offset_ += 8;
      }
    } else {
      state_[offset_ / 8] ^= static_cast<uint64_t>(*p) << (8 * (offset_ % 8));
      ++p;
      --n;
      ++offset_;
    }
    if (offset_ == kRateBytes) {
      Permute();
      offset_ = 0;
    }
  }
  return *this;
}

Keccak256Digest Keccak256::Finish() {
  // pad10*1 with the original Keccak domain bit: 0x01 ... 0x80 (the two may
  // land in the same byte, 0x81, when one byte of the block is left).
  state_[offset_ / 8] ^= 0x01ULL << (8 * (offset_ % 8));
  state_[(kRateBytes - 1) / 8] ^= 0x80ULL << (8 * ((kRateBytes - 1) % 8));
  Permute();
  Keccak256Digest digest;
  for (size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<uint8_t>(state_[i / 8] >> (8 * (i % 8)));
  }
  return digest;
}

Keccak256Digest Keccak256Hash(std::string_view bytes) { return Keccak256().Update(bytes).Finish(); }

}  // namespace tradeplane::signing
