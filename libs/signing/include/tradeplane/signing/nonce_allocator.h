// EVM nonces the signer assigns when a transaction comes without one.
//
// Nonces are per (account, chain): an account's nonce sequence is separate on
// every chain, and one counter across chains would leave gaps that stall the
// account's later transactions. The signing engine names the account
// "key_id@version", since every version of a wallet key is its own address.
// Allocation is strictly increasing per (account, chain) and never repeats,
// including across restarts: the service implements this interface over its
// store (persist, then answer), seeded with the highest nonce it has signed;
// InMemoryNonceAllocator is the pure logic, for tests and the backtest.
#ifndef TRADEPLANE_SIGNING_NONCE_ALLOCATOR_H_
#define TRADEPLANE_SIGNING_NONCE_ALLOCATOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::signing {

class NonceAllocator {
 public:
  virtual ~NonceAllocator() = default;

  // A nonce greater than every nonce returned or observed for (account,
  // chain_id). An error means "unavailable" (the store is down): the signer
  // refuses with SIGN_REFUSAL_STORE_UNAVAILABLE rather than guess.
  virtual absl::StatusOr<uint64_t> Allocate(std::string_view account, uint64_t chain_id) = 0;

  // A transaction was signed with a nonce the caller chose (a replacement or
  // a cancel); later allocations stay above it.
  virtual absl::Status Observe(std::string_view account, uint64_t chain_id, uint64_t nonce) = 0;
};

class InMemoryNonceAllocator final : public NonceAllocator {
 public:
  absl::StatusOr<uint64_t> Allocate(std::string_view account, uint64_t chain_id) override;
  absl::Status Observe(std::string_view account, uint64_t chain_id, uint64_t nonce) override;

  // Starts (account, chain) at `next_nonce` unless it is already further on
  // (e.g. from the account's on-chain transaction count).
  void Seed(std::string_view account, uint64_t chain_id, uint64_t next_nonce);
  // The nonce Allocate would return, if any was seeded, allocated or observed.
  std::optional<uint64_t> Peek(std::string_view account, uint64_t chain_id) const;

 private:
  struct Next {
    uint64_t value = 0;
    bool exhausted = false;  // UINT64_MAX was handed out
  };
  std::map<std::pair<std::string, uint64_t>, Next, std::less<>> next_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_NONCE_ALLOCATOR_H_
