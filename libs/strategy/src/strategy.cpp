#include "tradeplane/strategy/strategy.h"

#include <algorithm>
#include <utility>

namespace tradeplane::strategy {

Strategy::Strategy(std::string id, std::vector<InstrumentIndex> instruments)
    : id_(std::move(id)), instruments_(std::move(instruments)) {
  InstrumentIndex largest = 0;
  for (InstrumentIndex index : instruments_) largest = std::max(largest, index);
  slot_by_index_.assign(instruments_.empty() ? 0 : largest + 1, -1);
  for (size_t slot = 0; slot < instruments_.size(); ++slot) {
    slot_by_index_[instruments_[slot]] = static_cast<int>(slot);
  }
}

void Strategy::OnFill(const Fill& fill, StrategyContext& ctx) {
  ctx.BeginEvent();
  const Quantity before = ctx.position(fill.instrument);
  if (absl::Status s = ctx.ApplyFill(fill); !s.ok()) {
    ctx.NoAction(fill.instrument, "fill refused: ", ToStd(s.message()));
    return;
  }
  if (Trades(fill.instrument)) HandleFill(fill, before, ctx);
}

}  // namespace tradeplane::strategy
