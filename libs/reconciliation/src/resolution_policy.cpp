#include "tradeplane/reconciliation/resolution_policy.h"

#include <algorithm>
#include <map>
#include <set>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciliation {
namespace {

BreakPlan Unresolved(size_t index, std::string reason) {
  BreakPlan p;
  p.break_index = index;
  p.pause_trading = true;
  p.reason = std::move(reason);
  return p;
}

BreakPlan WithAction(size_t index, PlannedAction action, std::string reason) {
  BreakPlan p;
  p.break_index = index;
  p.action = std::move(action);
  p.state = ActionState::kPlanned;
  p.reason = std::move(reason);
  return p;
}

PlannedAction VenueOrderAction(ActionKind kind, const Break& b) {
  PlannedAction a;
  a.kind = kind;
  a.instrument = b.instrument_id;
  a.venue_order_id = b.venue_order_id;
  a.client_order_id = b.client_order_id;
  return a;
}

BreakPlan PlanUnknownOrder(size_t index, const Break& b, UnknownOrderPolicy policy) {
  if (!b.venue_order) return Unresolved(index, b.not_correctable_reason);
  const bool filled = b.venue_order->filled_qty.is_positive();
  switch (policy) {
    case config::v1::UNKNOWN_ORDER_POLICY_CANCEL: {
      BreakPlan p = WithAction(index, VenueOrderAction(ActionKind::kCancelVenueOrder, b),
                               "policy CANCEL: an order we do not know is canceled");
      if (filled) {
        p.pause_trading = true;
        p.reason = StrCat("policy CANCEL: canceled, but it already filled ",
                          b.venue_order->filled_qty.ToString(),
                          ": our position moved without us, a person accounts for it");
      }
      return p;
    }
    case config::v1::UNKNOWN_ORDER_POLICY_ADOPT:
      if (filled) {
        return Unresolved(index, StrCat("policy ADOPT, but it already filled ",
                                        b.venue_order->filled_qty.ToString(),
                                        ": adopting it would need fills we never saw"));
      }
      return WithAction(index, VenueOrderAction(ActionKind::kAdoptVenueOrder, b),
                        "policy ADOPT: execution takes the order into its journal");
    case config::v1::UNKNOWN_ORDER_POLICY_PAUSE:
      return Unresolved(index, "policy PAUSE: an order we do not know waits for a person");
    default:
      return Unresolved(index, "no unknown-order policy is set: a person decides");
  }
}

}  // namespace

std::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kNone:
      return "NONE";
    case ActionKind::kIngestFill:
      return "INGEST_FILL";
    case ActionKind::kCorrectStatus:
      return "CORRECT_STATUS";
    case ActionKind::kCancelVenueOrder:
      return "CANCEL_VENUE_ORDER";
    case ActionKind::kAdoptVenueOrder:
      return "ADOPT_VENUE_ORDER";
  }
  return "NONE";
}

orders::v1::ExecutionRequest PlannedAction::ToExecutionRequest(
    std::string_view requested_by) const {
  orders::v1::ExecutionRequest request;
  switch (kind) {
    case ActionKind::kNone:
      break;
    case ActionKind::kIngestFill:
      *request.mutable_ingest_fill() = fill;
      break;
    case ActionKind::kCorrectStatus:
      *request.mutable_correct_status() = order;
      break;
    case ActionKind::kCancelVenueOrder: {
      orders::v1::CancelOrder* cancel = request.mutable_cancel();
      cancel->set_client_order_id(client_order_id);
      cancel->set_reason(StrCat("reconciliation: venue order ", venue_order_id, " on ",
                                instrument.ToString(), " is unknown to us"));
      cancel->set_requested_by(std::string(requested_by));
      break;
    }
    case ActionKind::kAdoptVenueOrder:
      request.set_adopt_venue_order_id(venue_order_id);
      break;
  }
  return request;
}

std::vector<size_t> ResolutionPlan::ExecutionOrder() const {
  auto rank = [](ActionKind kind) {
    switch (kind) {
      case ActionKind::kIngestFill:
        return 0;
      case ActionKind::kCorrectStatus:
        return 1;
      case ActionKind::kAdoptVenueOrder:
        return 2;
      case ActionKind::kCancelVenueOrder:
        return 3;
      case ActionKind::kNone:
        break;
    }
    return 4;
  };
  std::vector<size_t> order;
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].action.kind != ActionKind::kNone) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return rank(plans[a].action.kind) < rank(plans[b].action.kind);
  });
  return order;
}

ResolutionPlan PlanResolutions(const DiffResult& diff, const ResolutionPolicy& policy) {
  ResolutionPlan plan;
  if (diff.failed) {
    plan.outcome = v1::RUN_OUTCOME_FAILED;
    plan.failure_reason = diff.failure_reason;
    if (policy.pause_on_failed_run) {
      plan.pause_trading = true;
      plan.pause_reason = StrCat("reconciliation failed: ", diff.failure_reason);
    }
    return plan;
  }
  plan.outcome = diff.breaks.empty() ? v1::RUN_OUTCOME_CLEAN : v1::RUN_OUTCOME_BREAKS;

  // A status correction sets the filled quantity; the order's missed fills
  // must be ingested first, so one left unresolved holds the correction back.
  std::set<std::string_view> orders_with_unresolved_fills;
  for (const Break& b : diff.breaks) {
    if (b.type == v1::BREAK_TYPE_MISSED_FILL && (!b.correctable || !policy.ingest_missed_fills)) {
      orders_with_unresolved_fills.insert(b.client_order_id);
    }
  }

  for (size_t i = 0; i < diff.breaks.size(); ++i) {
    const Break& b = diff.breaks[i];
    switch (b.type) {
      case v1::BREAK_TYPE_MISSED_FILL:
        if (!b.correctable) {
          plan.plans.push_back(Unresolved(i, b.not_correctable_reason));
        } else if (!policy.ingest_missed_fills) {
          plan.plans.push_back(Unresolved(i, "ingesting missed fills is off: a person decides"));
        } else {
          PlannedAction a;
          a.kind = ActionKind::kIngestFill;
          a.fill = b.fill_to_ingest;
          plan.plans.push_back(
              WithAction(i, std::move(a),
                         StrCat("ingest venue trade ", b.venue_trade_id, " as fill ",
                                b.fill_to_ingest.fill_id(), " (source RECONCILIATION)")));
        }
        break;
      case v1::BREAK_TYPE_STATUS_MISMATCH:
        if (!b.correctable) {
          plan.plans.push_back(Unresolved(i, b.not_correctable_reason));
        } else if (orders_with_unresolved_fills.contains(b.client_order_id)) {
          plan.plans.push_back(
              Unresolved(i, "a missed fill of this order stays unresolved, so its status waits"));
        } else {
          PlannedAction a;
          a.kind = ActionKind::kCorrectStatus;
          a.order = b.corrected_order;
          plan.plans.push_back(
              WithAction(i, std::move(a),
                         StrCat("correct the status to the venue's ", ShortEnumName(b.venue_status),
                                b.venue_status_deduced ? " (deduced)" : "")));
        }
        break;
      case v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER:
        plan.plans.push_back(PlanUnknownOrder(i, b, policy.unknown_order_policy));
        break;
      default:
        plan.plans.push_back(Unresolved(
            i, b.not_correctable_reason.empty() ? "needs a person" : b.not_correctable_reason));
        break;
    }
  }

  std::map<v1::BreakType, int> unresolved;
  int total = 0;
  for (const BreakPlan& p : plan.plans) {
    if (!p.pause_trading) continue;
    ++unresolved[diff.breaks[p.break_index].type];
    ++total;
  }
  if (total > 0) {
    plan.pause_trading = true;
    plan.pause_reason = StrCat(total, total == 1 ? " unresolved break: " : " unresolved breaks: ");
    bool first = true;
    for (const auto& [type, count] : unresolved) {
      StrAppend(&plan.pause_reason, first ? "" : ", ", count, " ", ShortEnumName(type));
      first = false;
    }
  }
  return plan;
}

namespace {

absl::Status CheckPlanned(const ResolutionPlan& plan, size_t plan_index) {
  if (plan_index >= plan.plans.size()) {
    return absl::OutOfRangeError(
        StrCat("plan index ", plan_index, " is outside the plan (", plan.plans.size(), " plans)"));
  }
  if (plan.plans[plan_index].state != ActionState::kPlanned) {
    return absl::FailedPreconditionError(StrCat("plan ", plan_index, ": its action (",
                                                ActionKindName(plan.plans[plan_index].action.kind),
                                                ") is not waiting to be done"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MarkActionDone(ResolutionPlan& plan, size_t plan_index, Timestamp when) {
  if (absl::Status s = CheckPlanned(plan, plan_index); !s.ok()) return s;
  plan.plans[plan_index].state = ActionState::kDone;
  plan.plans[plan_index].done_at = when;
  return absl::OkStatus();
}

absl::Status MarkActionFailed(ResolutionPlan& plan, size_t plan_index, std::string_view why) {
  if (absl::Status s = CheckPlanned(plan, plan_index); !s.ok()) return s;
  BreakPlan& p = plan.plans[plan_index];
  p.state = ActionState::kFailed;
  const std::string what = StrCat(ActionKindName(p.action.kind), " failed: ", why);
  p.reason = StrCat(p.reason, "; ", what);
  p.pause_trading = true;
  plan.pause_trading = true;
  StrAppend(&plan.pause_reason, plan.pause_reason.empty() ? "" : "; ", "plan ", plan_index, ": ",
            what);
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciliation
