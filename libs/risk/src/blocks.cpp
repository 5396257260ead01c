#include "tradeplane/risk/blocks.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::risk {
namespace {

std::string_view ScopeWord(v1::BlockScope scope) {
  return scope == v1::BLOCK_SCOPE_STRATEGY ? "strategy" : "instrument";
}

absl::Status CheckRequest(v1::BlockScope scope, std::string_view id, std::string_view actor,
                          std::string_view reason) {
  if (scope != v1::BLOCK_SCOPE_STRATEGY && scope != v1::BLOCK_SCOPE_INSTRUMENT) {
    return absl::InvalidArgumentError("block scope must be STRATEGY or INSTRUMENT");
  }
  if (id.empty())
    return absl::InvalidArgumentError(StrCat("the ", ScopeWord(scope), " id is empty"));
  if (actor.empty()) return absl::InvalidArgumentError("a block change needs the actor's name");
  if (reason.empty()) return absl::InvalidArgumentError("a block change needs a reason");
  return absl::OkStatus();
}

v1::Block MakeBlock(v1::BlockScope scope, std::string_view id, std::string_view actor,
                    std::string_view reason, Timestamp now) {
  v1::Block block;
  block.set_scope(scope);
  block.set_id(std::string(id));
  block.set_actor(std::string(actor));
  block.set_reason(std::string(reason));
  block.set_since_ns(now.nanos());
  return block;
}

}  // namespace

Blocks::Blocks(const InstrumentTable* instruments)
    : instruments_(instruments), instruments_blocked_(instruments->size()) {}

absl::StatusOr<InstrumentIndex> Blocks::ResolveInstrument(std::string_view id) const {
  absl::StatusOr<InstrumentId> parsed = InstrumentId::Parse(id);
  if (!parsed.ok()) return parsed.status();
  std::optional<InstrumentIndex> index = instruments_->Find(*parsed);
  if (!index.has_value()) {
    return absl::NotFoundError(StrCat("instrument ", id, " is not in the instrument table"));
  }
  return *index;
}

absl::StatusOr<BlockChange> Blocks::Block(v1::BlockScope scope, std::string_view id,
                                          std::string_view actor, std::string_view reason,
                                          Timestamp now) {
  absl::Status valid = CheckRequest(scope, id, actor, reason);
  if (!valid.ok()) return valid;
  const v1::Block* existing = nullptr;
  std::optional<InstrumentIndex> index;
  if (scope == v1::BLOCK_SCOPE_STRATEGY) {
    existing = FindStrategy(id);
  } else {
    absl::StatusOr<InstrumentIndex> resolved = ResolveInstrument(id);
    if (!resolved.ok()) return resolved.status();
    index = *resolved;
    existing = FindInstrument(*index);
  }
  if (existing != nullptr) {
    return absl::FailedPreconditionError(StrCat(ScopeWord(scope), " ", id,
                                                " is already blocked by ", existing->actor(), ": ",
                                                existing->reason()));
  }
  BlockChange change{true, MakeBlock(scope, id, actor, reason, now)};
  if (index.has_value()) {
    // Stored under the table's spelling of the id.
    change.block.set_id(instruments_->at(*index).id.ToString());
    instruments_blocked_[*index] = change.block;
  } else {
    strategies_.emplace(std::string(id), change.block);
  }
  return change;
}

absl::StatusOr<BlockChange> Blocks::Unblock(v1::BlockScope scope, std::string_view id,
                                            std::string_view actor, std::string_view reason,
                                            Timestamp now) {
  absl::Status valid = CheckRequest(scope, id, actor, reason);
  if (!valid.ok()) return valid;
  BlockChange change{false, MakeBlock(scope, id, actor, reason, now)};
  if (scope == v1::BLOCK_SCOPE_STRATEGY) {
    auto it = strategies_.find(id);
    if (it == strategies_.end()) {
      return absl::FailedPreconditionError(StrCat("strategy ", id, " is not blocked"));
    }
    strategies_.erase(it);
    return change;
  }
  absl::StatusOr<InstrumentIndex> index = ResolveInstrument(id);
  if (!index.ok()) return index.status();
  if (!instruments_blocked_[*index].has_value()) {
    return absl::FailedPreconditionError(StrCat("instrument ", id, " is not blocked"));
  }
  instruments_blocked_[*index].reset();
  change.block.set_id(instruments_->at(*index).id.ToString());
  return change;
}

absl::Status Blocks::Restore(const v1::Block& block) {
  absl::Status valid = CheckRequest(block.scope(), block.id(), block.actor(), block.reason());
  if (!valid.ok()) return valid;
  if (block.scope() == v1::BLOCK_SCOPE_STRATEGY) {
    strategies_[block.id()] = block;
    return absl::OkStatus();
  }
  absl::StatusOr<InstrumentIndex> index = ResolveInstrument(block.id());
  if (!index.ok()) return index.status();
  instruments_blocked_[*index] = block;
  return absl::OkStatus();
}

std::vector<v1::Block> Blocks::List() const {
  std::vector<v1::Block> out;
  for (const auto& [id, block] : strategies_) out.push_back(block);
  std::sort(out.begin(), out.end(),
            [](const v1::Block& a, const v1::Block& b) { return a.id() < b.id(); });
  for (const std::optional<v1::Block>& block : instruments_blocked_) {
    if (block.has_value()) out.push_back(*block);
  }
  return out;
}

}  // namespace tradeplane::risk
