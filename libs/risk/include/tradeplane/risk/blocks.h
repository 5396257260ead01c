// Blocks of one strategy or one instrument, beside the global trading mode.
// A blocked scope gets no new orders (cancels still pass). Each block and
// unblock names who and why, and yields a record for the service to persist
// and publish. Lookups on the check path allocate nothing.
#ifndef TRADEPLANE_RISK_BLOCKS_H_
#define TRADEPLANE_RISK_BLOCKS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

struct BlockChange {
  bool blocked = false;  // true: a block was placed; false: one was lifted
  // For a block: the block. For an unblock: scope and id, with the actor and
  // reason of the unblock and its time in since_ns.
  v1::Block block;
};

class Blocks {
 public:
  explicit Blocks(const InstrumentTable* instruments);

  // `id` is a strategy id, or "<VENUE>.<SYMBOL>" of an instrument in the
  // table. Errors: unspecified scope, empty id/actor/reason, unknown
  // instrument, already blocked (or, for Unblock, not blocked).
  absl::StatusOr<BlockChange> Block(v1::BlockScope scope, std::string_view id,
                                    std::string_view actor, std::string_view reason, Timestamp now);
  absl::StatusOr<BlockChange> Unblock(v1::BlockScope scope, std::string_view id,
                                      std::string_view actor, std::string_view reason,
                                      Timestamp now);
  // Takes a stored block as is (at start).
  absl::Status Restore(const v1::Block& block);

  const v1::Block* FindStrategy(std::string_view strategy_id) const {
    if (strategies_.empty()) return nullptr;
    auto it = strategies_.find(strategy_id);
    return it == strategies_.end() ? nullptr : &it->second;
  }
  const v1::Block* FindInstrument(InstrumentIndex instrument) const {
    return instrument < instruments_blocked_.size() && instruments_blocked_[instrument].has_value()
               ? &*instruments_blocked_[instrument]
               : nullptr;
  }
  // Every block in force: strategies by id, then instruments by index.
  std::vector<v1::Block> List() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  absl::StatusOr<InstrumentIndex> ResolveInstrument(std::string_view id) const;

  const InstrumentTable* instruments_;
  std::unordered_map<std::string, v1::Block, Hash, std::equal_to<>> strategies_;
  std::vector<std::optional<v1::Block>> instruments_blocked_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_BLOCKS_H_
