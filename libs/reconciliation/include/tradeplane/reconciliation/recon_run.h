// The run summary (recon.run) and the breaks (recon.break) as the contract's
// messages, from a diff and its plan after the actions were executed.
#ifndef TRADEPLANE_RECONCILIATION_RECON_RUN_H_
#define TRADEPLANE_RECONCILIATION_RECON_RUN_H_

#include <string>
#include <string_view>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/recon_break.h"
#include "tradeplane/reconciliation/resolution_policy.h"
#include "tradeplane/reconciliation/v1/reconciliation.pb.h"

namespace tradeplane::reconciliation {

struct RunInfo {
  std::string run_id;
  std::string trigger;  // "startup", "schedule", "operator:<name>"
  Timestamp started;
  Timestamp finished;
};

// Outcome FAILED (with the reason) for a failed diff, CLEAN when there is no
// break, else BREAKS; breaks_resolved counts the actions execution accepted
// (MarkActionDone) that resolve their break.
v1::ReconRun BuildReconRun(const RunInfo& run, const DiffResult& diff, const ResolutionPlan& plan);

// The break as published. State: UNRESOLVED when it pauses trading (or its
// action failed), RESOLVED once its resolving action is done (resolved_ns =
// done_at), else OPEN. `fill_id` is the first of our fills involved, or the
// fill to ingest; `resolution` is the plan's action and reason.
v1::Break BreakToProto(const Break& b, const BreakPlan& plan, std::string_view run_id,
                       std::string_view break_id, Timestamp detected);

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_RECON_RUN_H_
