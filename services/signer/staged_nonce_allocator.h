// The signer's EVM nonces: the signing engine asks for one while it signs,
// and the service commits the nonce together with the signature and its
// audit record in one database transaction (SignerStore::RecordSignature).
// Until that commit the allocation is staged: a failed commit rolls it back,
// so a signature that was never answered burns no nonce (a gap would stall
// every later transaction of the account). Committed allocations come back
// from the store (Reset) after a restart or a lost connection, so a nonce is
// never handed out twice.
//
// Not thread-safe: used on the service's main loop only.
#ifndef TRADEPLANE_SERVICES_SIGNER_STAGED_NONCE_ALLOCATOR_H_
#define TRADEPLANE_SERVICES_SIGNER_STAGED_NONCE_ALLOCATOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tradeplane/signing/nonce_allocator.h"
#include "tradeplane/store/signer_store.h"

namespace tradeplane::signer_service {

class StagedNonceAllocator final : public signing::NonceAllocator {
 public:
  // Replaces every account's state with the store's and makes the allocator
  // available. Drops anything staged.
  void Reset(const std::vector<store::EvmNonceState>& states);
  // Unavailable: Allocate and Observe fail (the engine refuses with
  // STORE_UNAVAILABLE) until the next Reset.
  void MarkUnavailable();
  bool available() const { return available_; }

  absl::StatusOr<uint64_t> Allocate(std::string_view account, uint64_t chain_id) override;
  absl::Status Observe(std::string_view account, uint64_t chain_id, uint64_t nonce) override;

  // The nonce the signature being made uses, if any: what to commit.
  const std::optional<store::EvmNonceUse>& staged() const { return staged_; }
  // The signature was recorded: keep the allocation.
  void Commit();
  // The signature was not recorded: undo the allocation.
  void Rollback();

  // The nonce Allocate would return (for tests and status).
  std::optional<uint64_t> Peek(std::string_view account, uint64_t chain_id) const;

 private:
  struct Next {
    uint64_t value = 0;
    bool exhausted = false;  // UINT64_MAX was used
  };
  using Key = std::pair<std::string, uint64_t>;
  // Stages a change of `key` to `next`, remembering what it was.
  absl::Status Stage(Key key, Next next, store::EvmNonceUse use);

  std::map<Key, Next, std::less<>> next_;
  std::optional<store::EvmNonceUse> staged_;
  std::optional<std::pair<Key, std::optional<Next>>> before_;  // for Rollback
  bool available_ = false;
};

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_STAGED_NONCE_ALLOCATOR_H_
