#include "tradeplane/reconciliation/diff.h"

#include <algorithm>
#include <tuple>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "diff_context.h"

namespace tradeplane::reconciliation {
namespace {

// The total order of breaks: by type, then what it is about, then its ids.
auto SortKey(const Break& b) {
  return std::tie(b.type, b.instrument_id, b.asset, b.client_order_id, b.venue_order_id,
                  b.venue_trade_id, b.fill_ids, b.explanation);
}

void SortResult(DiffResult& result) {
  std::sort(result.breaks.begin(), result.breaks.end(),
            [](const Break& a, const Break& b) { return SortKey(a) < SortKey(b); });
  std::sort(result.deferred.begin(), result.deferred.end(),
            [](const DeferredCheck& a, const DeferredCheck& b) {
              return std::tie(a.subject, a.reason) < std::tie(b.subject, b.reason);
            });
}

DiffResult Failed(Timestamp as_of, std::string reason) {
  DiffResult result;
  result.failed = true;
  result.failure_reason = std::move(reason);
  result.as_of = as_of;
  return result;
}

}  // namespace

Amount DiffOptions::ToleranceFor(std::string_view asset) const {
  auto it = balance_tolerance.find(asset);
  return it == balance_tolerance.end() ? default_balance_tolerance : it->second;
}

std::string Break::Key() const {
  return StrCat(ShortEnumName(type), "|", instrument ? instrument_id.ToString() : "", "|", asset,
                "|", client_order_id, "|", venue_order_id, "|", venue_trade_id);
}

absl::StatusOr<DiffResult> DiffBooks(const ReconInput& input, const InstrumentTable& instruments,
                                     const DiffOptions& options) {
  if (absl::Status s = internal::ValidateInput(input, instruments, options); !s.ok()) return s;
  internal::DiffContext ctx(input, instruments, options);
  ctx.result.as_of = input.venue.as_of;

  if (absl::Status s = internal::IndexVenueAnswer(ctx); !s.ok()) return s;
  if (!ctx.failure.empty()) return Failed(input.venue.as_of, ctx.failure);
  if (absl::Status s = internal::ValidatePositionReferences(ctx); !s.ok()) return s;
  if (absl::Status s = internal::LinkBooks(ctx); !s.ok()) return s;
  if (!ctx.failure.empty()) return Failed(input.venue.as_of, ctx.failure);

  if (absl::Status s = internal::DiffFills(ctx); !s.ok()) return s;
  if (absl::Status s = internal::DiffOrders(ctx); !s.ok()) return s;
  if (absl::Status s = internal::DiffHoldings(ctx); !s.ok()) return s;
  internal::NoteNextCheckpoints(ctx);
  SortResult(ctx.result);
  return std::move(ctx.result);
}

}  // namespace tradeplane::reconciliation
