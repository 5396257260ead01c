#include "diff_context.h"

#include <algorithm>
#include <charconv>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/reconciliation/balance_effects.h"

namespace tradeplane::reconciliation::internal {

bool DiffContext::OpenListCovers(InstrumentIndex instrument) const {
  const std::vector<InstrumentIndex>& scope = input.venue.open_orders_scope;
  return scope.empty() || std::find(scope.begin(), scope.end(), instrument) != scope.end();
}

void DiffContext::MarkInFlight(InstrumentIndex instrument, std::string_view fee_asset) {
  instruments_in_flight.insert(instrument);
  const InstrumentSpec& spec = Spec(instrument);
  if (!spec.base_asset.empty()) assets_in_flight.insert(spec.base_asset);
  if (!spec.quote_asset.empty()) assets_in_flight.insert(spec.quote_asset);
  if (!fee_asset.empty()) assets_in_flight.emplace(fee_asset);
}

absl::Status DiffContext::AddExecutionEffect(InstrumentIndex instrument, Side side, Price price,
                                             Quantity qty, Amount fee, std::string_view fee_asset,
                                             int sign) {
  position_explained[instrument] += static_cast<Int128>(sign * SideSign(side)) * qty.raw();
  return AddBalanceEffect(Spec(instrument), side, price, qty, fee, fee_asset, sign,
                          balance_explained);
}

void DiffContext::Defer(std::string subject, std::string reason) {
  result.deferred.push_back(DeferredCheck{std::move(subject), std::move(reason)});
}

size_t DiffContext::AddBreak(v1::BreakType type, std::optional<InstrumentIndex> instrument) {
  Break b;
  b.type = type;
  b.instrument = instrument;
  if (instrument) b.instrument_id = Spec(*instrument).id;
  result.breaks.push_back(std::move(b));
  return result.breaks.size() - 1;
}

std::optional<uint64_t> ParseTradeId(std::string_view id) {
  uint64_t value = 0;
  const char* end = id.data() + id.size();
  auto [ptr, ec] = std::from_chars(id.data(), end, value);
  if (id.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool InWindow(const TradeCheckpoint& checkpoint, Timestamp time, uint64_t numeric_id) {
  if (checkpoint.after_trade_id) return numeric_id > *checkpoint.after_trade_id;
  return time >= checkpoint.since;
}

absl::Status Narrow(Int128 value, std::string_view what, int64_t* out) {
  if (value > fixed_point::kMaxRaw || value < fixed_point::kMinRaw) {
    return absl::OutOfRangeError(
        StrCat(what, ": the sum is outside the fixed-point range (+-9223372036.854775807)"));
  }
  *out = static_cast<int64_t>(value);
  return absl::OkStatus();
}

std::string Decimal(Int128 raw) {
  if (raw > fixed_point::kMaxRaw || raw < fixed_point::kMinRaw) return "(out of range)";
  return fixed_point::FormatRaw(static_cast<int64_t>(raw));
}

std::string_view SideName(Side side) { return ShortEnumName(side); }
std::string_view StatusName(OrderStatus status) { return ShortEnumName(status); }

bool IsOpenStatus(OrderStatus status) {
  switch (status) {
    case orders::v1::ORDER_STATUS_PENDING_NEW:
    case orders::v1::ORDER_STATUS_NEW:
    case orders::v1::ORDER_STATUS_PARTIALLY_FILLED:
    case orders::v1::ORDER_STATUS_PENDING_CANCEL:
      return true;
    default:
      return false;
  }
}

}  // namespace tradeplane::reconciliation::internal
