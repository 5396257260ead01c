#include "staged_nonce_allocator.h"

#include <limits>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::signer_service {

void StagedNonceAllocator::Reset(const std::vector<store::EvmNonceState>& states) {
  next_.clear();
  for (const store::EvmNonceState& s : states) {
    next_[{s.account, s.chain_id}] = Next{s.next_nonce, s.exhausted};
  }
  staged_.reset();
  before_.reset();
  available_ = true;
}

void StagedNonceAllocator::MarkUnavailable() {
  available_ = false;
  staged_.reset();
  before_.reset();
}

absl::Status StagedNonceAllocator::Stage(Key key, Next next, store::EvmNonceUse use) {
  if (staged_.has_value()) {
    return absl::FailedPreconditionError(
        "a nonce is already staged: commit or roll back the previous signature first");
  }
  auto it = next_.find(key);
  before_.emplace(key, it == next_.end() ? std::nullopt : std::optional<Next>(it->second));
  next_[std::move(key)] = next;
  staged_ = std::move(use);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> StagedNonceAllocator::Allocate(std::string_view account,
                                                        uint64_t chain_id) {
  if (!available_) {
    return absl::UnavailableError("the nonce store is not loaded (database unavailable)");
  }
  Key key{std::string(account), chain_id};
  Next current;
  if (auto it = next_.find(key); it != next_.end()) current = it->second;
  if (current.exhausted) {
    return absl::ResourceExhaustedError(
        StrCat("account ", account, " has used every nonce on chain ", chain_id));
  }
  uint64_t nonce = current.value;
  Next after =
      nonce == std::numeric_limits<uint64_t>::max() ? Next{nonce, true} : Next{nonce + 1, false};
  absl::Status s = Stage(key, after, {std::string(account), chain_id, nonce, true});
  if (!s.ok()) return s;
  return nonce;
}

absl::Status StagedNonceAllocator::Observe(std::string_view account, uint64_t chain_id,
                                           uint64_t nonce) {
  if (!available_) {
    return absl::UnavailableError("the nonce store is not loaded (database unavailable)");
  }
  Key key{std::string(account), chain_id};
  Next current;
  if (auto it = next_.find(key); it != next_.end()) current = it->second;
  Next after = current;
  if (!current.exhausted) {
    if (nonce == std::numeric_limits<uint64_t>::max()) {
      after = Next{nonce, true};
    } else if (nonce >= current.value) {
      after = Next{nonce + 1, false};
    }
  }
  return Stage(key, after, {std::string(account), chain_id, nonce, false});
}

void StagedNonceAllocator::Commit() {
  staged_.reset();
  before_.reset();
}

void StagedNonceAllocator::Rollback() {
  if (before_.has_value()) {
    if (before_->second.has_value()) {
      next_[before_->first] = *before_->second;
    } else {
      next_.erase(before_->first);
    }
  }
  staged_.reset();
  before_.reset();
}

std::optional<uint64_t> StagedNonceAllocator::Peek(std::string_view account,
                                                   uint64_t chain_id) const {
  auto it = next_.find(std::make_pair(std::string(account), chain_id));
  if (it == next_.end()) return 0;
  if (it->second.exhausted) return std::nullopt;
  return it->second.value;
}

}  // namespace tradeplane::signer_service
