// Balances per account and asset: free (spendable) and locked (reserved by
// resting orders). One BalanceBook can be shared by the matching engines of
// several instruments, so that a quote asset (USDT) funds orders in all of them.
//
// Amounts are kept in 128-bit raw units, so sums of many credits never
// overflow; they are handed out as Amount (checked: a balance beyond
// +-9.2e9 units is an error when read). Without balance checks (see
// MatchingConfig) a free balance may go negative, which then reads as a debt.
// Thread-compatible.
#ifndef TRADEPLANE_MATCHING_BALANCE_BOOK_H_
#define TRADEPLANE_MATCHING_BALANCE_BOOK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/matching/matching_ids.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::matching {

using AssetIndex = uint32_t;

struct Balance {
  Amount free;
  Amount locked;
};

struct AssetBalance {
  std::string asset;
  Amount free;
  Amount locked;
};

class BalanceBook {
 public:
  using Raw = fixed_point::Int128;

  // The index of an asset name ("USDT"), adding it on first sight. Names are
  // compared exactly (case-sensitive).
  AssetIndex InternAsset(std::string_view asset);
  std::optional<AssetIndex> FindAsset(std::string_view asset) const;
  std::string_view asset_name(AssetIndex asset) const { return names_[asset]; }

  // Sets the free balance (deposit or correction); locked amounts stay.
  // A negative amount is refused.
  absl::Status SetFree(AccountId account, std::string_view asset, Amount free);

  // Zero for an account or asset never seen.
  absl::StatusOr<Balance> Get(AccountId account, std::string_view asset) const;
  // Every asset the account has touched, in asset index order.
  absl::StatusOr<std::vector<AssetBalance>> All(AccountId account) const;

  // The engine's operations, in raw units (1e-9 of the asset). They never
  // fail: the callers check affordability first where checks are enabled.
  Raw free_raw(AccountId account, AssetIndex asset) const;
  Raw locked_raw(AccountId account, AssetIndex asset) const;
  void Lock(AccountId account, AssetIndex asset, Raw amount);     // free -> locked
  void Unlock(AccountId account, AssetIndex asset, Raw amount);   // locked -> free
  void AddFree(AccountId account, AssetIndex asset, Raw amount);  // negative = debit

 private:
  struct Entry {
    Raw free = 0;
    Raw locked = 0;
  };
  static uint64_t Key(AccountId account, AssetIndex asset) {
    return (static_cast<uint64_t>(account) << 32) | asset;
  }
  Entry& At(AccountId account, AssetIndex asset) { return entries_[Key(account, asset)]; }
  const Entry* Find(AccountId account, AssetIndex asset) const;

  std::vector<std::string> names_;
  absl::flat_hash_map<uint64_t, Entry> entries_;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_BALANCE_BOOK_H_
