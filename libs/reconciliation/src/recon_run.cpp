#include "tradeplane/reconciliation/recon_run.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciliation {

v1::ReconRun BuildReconRun(const RunInfo& run, const DiffResult& diff, const ResolutionPlan& plan) {
  v1::ReconRun out;
  out.set_run_id(run.run_id);
  out.set_trigger(run.trigger);
  out.set_started_ns(run.started.nanos());
  out.set_finished_ns(run.finished.nanos());
  if (diff.failed) {
    out.set_outcome(v1::RUN_OUTCOME_FAILED);
    out.set_failure_reason(diff.failure_reason);
    return out;
  }
  out.set_outcome(diff.breaks.empty() ? v1::RUN_OUTCOME_CLEAN : v1::RUN_OUTCOME_BREAKS);
  out.set_orders_compared(diff.orders_compared);
  out.set_fills_compared(diff.fills_compared);
  out.set_breaks_found(static_cast<uint32_t>(diff.breaks.size()));
  uint32_t resolved = 0;
  for (const BreakPlan& p : plan.plans) {
    if (p.resolves() && p.state == ActionState::kDone) ++resolved;
  }
  out.set_breaks_resolved(resolved);
  return out;
}

v1::Break BreakToProto(const Break& b, const BreakPlan& plan, std::string_view run_id,
                       std::string_view break_id, Timestamp detected) {
  v1::Break out;
  out.set_break_id(std::string(break_id));
  out.set_run_id(std::string(run_id));
  out.set_type(b.type);
  if (plan.pause_trading || plan.state == ActionState::kFailed) {
    out.set_state(v1::BREAK_STATE_UNRESOLVED);
  } else if (plan.resolves() && plan.state == ActionState::kDone) {
    out.set_state(v1::BREAK_STATE_RESOLVED);
    out.set_resolved_ns(plan.done_at.nanos());
  } else {
    out.set_state(v1::BREAK_STATE_OPEN);
  }
  if (b.instrument) b.instrument_id.ToProto(out.mutable_instrument());
  out.set_asset(b.asset);
  out.set_client_order_id(b.client_order_id);
  out.set_venue_order_id(b.venue_order_id);
  if (!b.fill_ids.empty()) {
    out.set_fill_id(b.fill_ids.front());
  } else if (!b.fill_to_ingest.fill_id().empty()) {
    out.set_fill_id(b.fill_to_ingest.fill_id());
  }
  out.set_ours(b.ours);
  out.set_venue(b.venue);
  out.set_explanation(b.explanation);
  out.set_resolution(StrCat(ActionKindName(plan.action.kind), ": ", plan.reason));
  out.set_detected_ns(detected.nanos());
  return out;
}

}  // namespace tradeplane::reconciliation
