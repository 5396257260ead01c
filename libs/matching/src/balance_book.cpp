#include "tradeplane/matching/balance_book.h"

#include <limits>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::matching {
namespace {

absl::StatusOr<Amount> ToAmount(BalanceBook::Raw raw, std::string_view asset) {
  if (raw > fixed_point::kMaxRaw || raw < fixed_point::kMinRaw) {
    return absl::OutOfRangeError(
        StrCat("balance of ", asset, " is beyond the fixed-point range (+-9.2e9 units)"));
  }
  return Amount::FromRaw(static_cast<int64_t>(raw));
}

}  // namespace

AssetIndex BalanceBook::InternAsset(std::string_view asset) {
  std::optional<AssetIndex> found = FindAsset(asset);
  if (found.has_value()) return *found;
  names_.emplace_back(asset);
  return static_cast<AssetIndex>(names_.size() - 1);
}

std::optional<AssetIndex> BalanceBook::FindAsset(std::string_view asset) const {
  // A handful of assets: a linear scan beats hashing.
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == asset) return static_cast<AssetIndex>(i);
  }
  return std::nullopt;
}

absl::Status BalanceBook::SetFree(AccountId account, std::string_view asset, Amount free) {
  if (free.is_negative()) {
    return absl::InvalidArgumentError(StrCat("balance of ", asset, " for account ", account, ": ",
                                             free.ToString(), " is negative"));
  }
  At(account, InternAsset(asset)).free = free.raw();
  return absl::OkStatus();
}

const BalanceBook::Entry* BalanceBook::Find(AccountId account, AssetIndex asset) const {
  auto it = entries_.find(Key(account, asset));
  return it == entries_.end() ? nullptr : &it->second;
}

absl::StatusOr<Balance> BalanceBook::Get(AccountId account, std::string_view asset) const {
  std::optional<AssetIndex> index = FindAsset(asset);
  if (!index.has_value()) return Balance{};
  const Entry* entry = Find(account, *index);
  if (entry == nullptr) return Balance{};
  absl::StatusOr<Amount> free = ToAmount(entry->free, asset);
  if (!free.ok()) return free.status();
  absl::StatusOr<Amount> locked = ToAmount(entry->locked, asset);
  if (!locked.ok()) return locked.status();
  return Balance{*free, *locked};
}

absl::StatusOr<std::vector<AssetBalance>> BalanceBook::All(AccountId account) const {
  std::vector<AssetBalance> out;
  for (AssetIndex i = 0; i < names_.size(); ++i) {
    const Entry* entry = Find(account, i);
    if (entry == nullptr) continue;
    absl::StatusOr<Balance> balance = Get(account, names_[i]);
    if (!balance.ok()) return balance.status();
    out.push_back(AssetBalance{names_[i], balance->free, balance->locked});
  }
  return out;
}

BalanceBook::Raw BalanceBook::free_raw(AccountId account, AssetIndex asset) const {
  const Entry* entry = Find(account, asset);
  return entry == nullptr ? 0 : entry->free;
}

BalanceBook::Raw BalanceBook::locked_raw(AccountId account, AssetIndex asset) const {
  const Entry* entry = Find(account, asset);
  return entry == nullptr ? 0 : entry->locked;
}

void BalanceBook::Lock(AccountId account, AssetIndex asset, Raw amount) {
  if (amount == 0) return;
  Entry& entry = At(account, asset);
  entry.free -= amount;
  entry.locked += amount;
}

void BalanceBook::Unlock(AccountId account, AssetIndex asset, Raw amount) {
  if (amount == 0) return;
  Entry& entry = At(account, asset);
  entry.locked -= amount;
  entry.free += amount;
}

void BalanceBook::AddFree(AccountId account, AssetIndex asset, Raw amount) {
  if (amount == 0) return;
  At(account, asset).free += amount;
}

}  // namespace tradeplane::matching
