#include "tradeplane/signing/nonce_allocator.h"

#include <limits>

#include "tradeplane/core/str_cat.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::signing {

absl::StatusOr<uint64_t> InMemoryNonceAllocator::Allocate(std::string_view account,
                                                          uint64_t chain_id) {
  Next& next = next_[{std::string(account), chain_id}];
  if (next.exhausted) {
    return absl::ResourceExhaustedError(
        StrCat("account ", account, " has used every nonce on chain ", chain_id));
  }
  uint64_t nonce = next.value;
  if (nonce == std::numeric_limits<uint64_t>::max()) {
    next.exhausted = true;
  } else {
    next.value = nonce + 1;
  }
  return nonce;
}

absl::Status InMemoryNonceAllocator::Observe(std::string_view account, uint64_t chain_id,
                                             uint64_t nonce) {
  Next& next = next_[{std::string(account), chain_id}];
  if (next.exhausted) return absl::OkStatus();
  if (nonce == std::numeric_limits<uint64_t>::max()) {
    next.exhausted = true;
  } else if (nonce >= next.value) {
    next.value = nonce + 1;
  }
  return absl::OkStatus();
}

void InMemoryNonceAllocator::Seed(std::string_view account, uint64_t chain_id,
                                  uint64_t next_nonce) {
  Next& next = next_[{std::string(account), chain_id}];
  if (!next.exhausted && next_nonce > next.value) next.value = next_nonce;
}

std::optional<uint64_t> InMemoryNonceAllocator::Peek(std::string_view account,
                                                     uint64_t chain_id) const {
  auto it = next_.find(std::make_pair(std::string(account), chain_id));
  if (it == next_.end() || it->second.exhausted) return std::nullopt;
  return it->second.value;
}

}  // namespace tradeplane::signing
