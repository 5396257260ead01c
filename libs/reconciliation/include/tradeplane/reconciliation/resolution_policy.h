// The resolution policy: for each break, what to do about it. A pure
// decision: the service executes the planned actions through execution's
// request/reply socket (ExecutionRequest), never writing the journal itself,
// and asks risk to PAUSE when anything is left unresolved.
//
//   MISSED_FILL          ingest the venue's trade as a fill (source RECONCILIATION)
//                        when ingest_missed_fills, else unresolved
//   STATUS_MISMATCH      correct the status to the venue's, unless a missed fill
//                        of the same order stays unresolved (the correction
//                        sets the filled quantity its fills must explain)
//   UNKNOWN_VENUE_ORDER  open at the venue: CANCEL, ADOPT or PAUSE by policy;
//                        one with fills also pauses (our position moved under
//                        us), and is never adopted; only traded: unresolved
//   everything else      unresolved (MISSING_VENUE_ORDER, FILLED_QTY_MISMATCH,
//                        DUPLICATE_FILL, POSITION_MISMATCH, BALANCE_MISMATCH)
//   not correctable      unresolved, whatever the type (the diff found it ambiguous)
//
// A failed diff plans nothing: the run is FAILED with the diff's reason.
#ifndef TRADEPLANE_RECONCILIATION_RESOLUTION_POLICY_H_
#define TRADEPLANE_RECONCILIATION_RESOLUTION_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/v1/reconciliation.pb.h"

#include "absl/status/status.h"

namespace tradeplane::reconciliation {

using UnknownOrderPolicy = config::v1::UnknownOrderPolicy;

struct ResolutionPolicy {
  UnknownOrderPolicy unknown_order_policy = config::v1::UNKNOWN_ORDER_POLICY_PAUSE;
  bool ingest_missed_fills = false;
  // Whether a failed run (the venue did not answer in full) asks risk to
  // pause. Off by default: a failure is no evidence of a break, and
  // execution already refuses to trade until a clean run after a start.
  bool pause_on_failed_run = false;
};

enum class ActionKind : uint8_t {
  kNone,              // nothing to execute
  kIngestFill,        // ExecutionRequest.ingest_fill
  kCorrectStatus,     // ExecutionRequest.correct_status
  kCancelVenueOrder,  // ExecutionRequest.cancel
  kAdoptVenueOrder,   // ExecutionRequest.adopt_venue_order_id
};
// "NONE", "INGEST_FILL", "CORRECT_STATUS", "CANCEL_VENUE_ORDER", "ADOPT_VENUE_ORDER".
std::string_view ActionKindName(ActionKind kind);

struct PlannedAction {
  ActionKind kind = ActionKind::kNone;
  orders::v1::Fill fill;    // kIngestFill
  orders::v1::Order order;  // kCorrectStatus
  // kCancelVenueOrder, kAdoptVenueOrder: the venue's order.
  InstrumentId instrument;
  std::string venue_order_id;
  std::string client_order_id;

  // The request for execution's order socket (kind must not be kNone).
  // `requested_by` names the caller in cancels (e.g. "reconciler").
  orders::v1::ExecutionRequest ToExecutionRequest(std::string_view requested_by) const;
};

enum class ActionState : uint8_t {
  kNotApplicable,  // no action (kNone)
  kPlanned,
  kDone,    // execution accepted it
  kFailed,  // execution refused it, or it could not be sent
};

struct BreakPlan {
  size_t break_index = 0;  // into DiffResult::breaks
  PlannedAction action;
  // Unresolved: the break needs a person and risk is asked to PAUSE. An
  // action may still be planned (e.g. cancel an unknown order that filled).
  bool pause_trading = false;
  std::string reason;  // one sentence: why this action, or why unresolved
  ActionState state = ActionState::kNotApplicable;
  Timestamp done_at;

  // The action, once done, resolves the break.
  bool resolves() const { return action.kind != ActionKind::kNone && !pause_trading; }
};

struct ResolutionPlan {
  v1::RunOutcome outcome = v1::RUN_OUTCOME_UNSPECIFIED;  // CLEAN, BREAKS or FAILED
  std::string failure_reason;
  std::vector<BreakPlan> plans;  // one per break, in the breaks' order
  bool pause_trading = false;
  // "2 unresolved breaks: 1 DUPLICATE_FILL, 1 POSITION_MISMATCH", or the
  // failure when a failed run pauses.
  std::string pause_reason;

  // Indices into `plans` in the order to execute them: every fill is ingested
  // before any status is corrected (a correction sets the filled quantity the
  // fills must already explain), then adoptions, then cancels; ties keep the
  // breaks' order.
  std::vector<size_t> ExecutionOrder() const;
};

ResolutionPlan PlanResolutions(const DiffResult& diff, const ResolutionPolicy& policy);

// Records execution's answer to a planned action. A failed action leaves its
// break unresolved and pauses trading. Errors: an index out of range, or a
// plan whose action is not kPlanned.
absl::Status MarkActionDone(ResolutionPlan& plan, size_t plan_index, Timestamp when);
absl::Status MarkActionFailed(ResolutionPlan& plan, size_t plan_index, std::string_view why);

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_RESOLUTION_POLICY_H_
