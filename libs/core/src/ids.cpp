#include "tradeplane/core/ids.h"

#include <cstring>

#include "tradeplane/core/str_cat.h"

#include <sys/random.h>

namespace tradeplane {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SeededRandom::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

SystemRandom::SystemRandom() {
  size_t got = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(s_);
  while (got < sizeof(s_)) {
    ssize_t n = getrandom(bytes + got, sizeof(s_) - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // xoshiro's one bad state
}

uint64_t SystemRandom::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

std::string UuidV7Generator::Next() {
  int64_t ms = clock_.Now().millis();
  if (ms > last_ms_) {
    last_ms_ = ms;
    // Start each millisecond low in the counter's range so it rarely overflows.
    counter_ = static_cast<uint32_t>(random_.Next() & 0x3ff);
  } else if (++counter_ > 0xfff) {
    // 4096 ids in one millisecond, or the clock went back: borrow the next
    // millisecond, which keeps ids increasing.
    ++last_ms_;
    counter_ = 0;
  }
  uint64_t hi = (static_cast<uint64_t>(last_ms_) << 16) | (0x7ULL << 12) | counter_;
  uint64_t lo = (random_.Next() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    uint64_t word = i < 16 ? hi : lo;
    int shift = (15 - (i % 16)) * 4;
    out[static_cast<size_t>(pos++)] = kHex[(word >> shift) & 0xf];
  }
  return out;
}

absl::Status ValidateClientOrderId(std::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError("client order id is empty");
  if (id.size() > kMaxClientOrderIdLength) {
    return absl::InvalidArgumentError(StrCat("client order id '", id.substr(0, 48), "' has ",
                                             id.size(), " characters (at most ",
                                             kMaxClientOrderIdLength, ")"));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(StrCat("client order id '", id,
                                               "' has a character outside [A-Za-z0-9._:/-] at ",
                                               "position ", i));
    }
  }
  return absl::OkStatus();
}

}  // namespace tradeplane
