// ReconcilerService: one run, on the main loop. The venue is asked first and
// the journal read second (recon_input.h says why); the diff and the plan are
// the library's; the corrections go to execution one by one, in the plan's
// order; the run, its breaks and the next trade checkpoints are recorded in
// one transaction; then recon.run / recon.break, risk's PAUSE when a break
// needs a person, and ReconciliationClean when the run is CLEAN.
#include <chrono>
#include <map>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/reconciliation/balance_effects.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/recon_run.h"
#include "tradeplane/telemetry/log.h"

#include "reconciler_service.h"
#include "risk_pause.h"

namespace tradeplane::reconciler {
namespace {

namespace rc = reconciliation;
namespace rv1 = reconciliation::v1;
namespace ov1 = orders::v1;

constexpr size_t kRecentKept = 200;
constexpr auto kStartupRetry = std::chrono::seconds(5);

bool IsOpen(OrderStatus s) {
  return s == ov1::ORDER_STATUS_PENDING_NEW || s == ov1::ORDER_STATUS_NEW ||
         s == ov1::ORDER_STATUS_PARTIALLY_FILLED || s == ov1::ORDER_STATUS_PENDING_CANCEL;
}

template <typename T>
void Keep(std::deque<T>& list, T item) {
  list.push_back(std::move(item));
  while (list.size() > kRecentKept) list.pop_front();
}

// What risk is told when the run pauses trading: the unresolved breaks by
// type, as the plan states them before any correction is tried, then what
// went wrong with the corrections that failed. The plan's own reason says
// only the latter when every break had a correction planned, and a person
// reading the PAUSE needs to know which breaks wait for them.
std::string PauseReason(const rc::DiffResult& diff, const rc::ResolutionPlan& plan) {
  if (diff.failed) return plan.pause_reason;
  std::map<rv1::BreakType, int> unresolved;
  int total = 0;
  for (const rc::BreakPlan& p : plan.plans) {
    if (!p.pause_trading || p.break_index >= diff.breaks.size()) continue;
    ++unresolved[diff.breaks[p.break_index].type];
    ++total;
  }
  std::string reason = StrCat(total, total == 1 ? " unresolved break: " : " unresolved breaks: ");
  bool first = true;
  for (const auto& [type, count] : unresolved) {
    StrAppend(&reason, first ? "" : ", ", count, " ", ShortEnumName(type));
    first = false;
  }
  // The failed corrections: "plan <i>: <ACTION> failed: <why>" parts.
  if (size_t failures = plan.pause_reason.find("plan "); failures != std::string::npos) {
    StrAppend(&reason, "; ", plan.pause_reason.substr(failures));
  }
  return reason;
}

}  // namespace

void ReconcilerService::Compare(rc::ReconInput& input, rc::DiffResult& diff) {
  Timestamp as_of = runtime_.clock().Now();
  auto fail = [&](std::string reason) {
    diff = rc::DiffResult{};
    diff.failed = true;
    diff.failure_reason = std::move(reason);
    diff.as_of = as_of;
  };
  if (!checkpoints_loaded_) {
    absl::StatusOr<std::vector<store::ReconCheckpoint>> stored = store_->Checkpoints();
    if (!stored.ok()) {
      return fail(StrCat("trade checkpoints: ", ToStd(stored.status().message())));
    }
    for (const store::ReconCheckpoint& c : *stored) {
      Venue venue;
      if (!ParseEnum(c.venue, &venue)) continue;
      if (auto i = instruments_.Find(venue, c.symbol)) checkpoints_[*i] = c;
    }
    absl::StatusOr<std::vector<store::BalanceOpening>> openings = store_->BalanceOpenings();
    if (!openings.ok()) {
      return fail(StrCat("opening balances: ", ToStd(openings.status().message())));
    }
    for (const store::BalanceOpening& o : *openings) {
      if (o.venue == ShortEnumName(config_.venue().venue())) {
        openings_[o.asset] = Amount::FromRaw(o.opening_raw);
      }
    }
    checkpoints_loaded_ = true;
  }
  new_openings_.clear();
  absl::StatusOr<std::set<InstrumentIndex>> active = journal_reader_->ActiveInstruments();
  if (!active.ok()) {
    return fail(StrCat("execution's journal: ", ToStd(active.status().message())));
  }
  std::map<InstrumentIndex, uint64_t> after_trade_id;
  for (InstrumentIndex i : *active) after_trade_id[i] = 0;
  for (const auto& [i, c] : checkpoints_) after_trade_id[i] = c.after_trade_id;

  uint64_t requests_before = venue_reader_->requests();
  input.venue = venue_reader_->Read(as_of, std::move(after_trade_id), ReconcilesBalances());
  auto count_requests = [&] {
    venue_requests_->Increment(static_cast<double>(venue_reader_->requests() - requests_before));
    requests_before = venue_reader_->requests();
  };
  count_requests();
  if (venue_reader_->retry_after_ms() > 0) {
    venue_backoff_until_ = as_of + std::chrono::milliseconds(venue_reader_->retry_after_ms());
  }
  if (!input.venue.complete) {
    return fail(StrCat("the venue's answer is incomplete: ", input.venue.incomplete_reason));
  }
  absl::StatusOr<JournalBook> journal = journal_reader_->Read();
  if (!journal.ok()) {
    return fail(StrCat("execution's journal: ", ToStd(journal.status().message())));
  }
  if (!journal->not_comparable.empty()) {
    telemetry::LogWarn("journal entries on instruments the venue does not list",
                       {{"count", static_cast<uint64_t>(journal->not_comparable.size())},
                        {"first", journal->not_comparable.front()}});
  }
  input.ours = std::move(journal->book);
  if (absl::Status s = ExpectBalances(input); !s.ok()) {
    return fail(StrCat("balances: ", ToStd(s.message())));
  }
  std::vector<rc::OurOrder> to_look_up;
  for (const rc::OurOrder& o : input.ours.orders) {
    if (!IsOpen(o.status)) continue;
    bool listed = false;
    for (const rc::VenueOrder& v : input.venue.open_orders) {
      if (v.client_order_id == o.client_order_id) listed = true;
    }
    if (!listed) to_look_up.push_back(o);
  }
  venue_reader_->LookUp(to_look_up, input.venue);
  count_requests();
  if (!input.venue.complete) {
    return fail(StrCat("the venue's answer is incomplete: ", input.venue.incomplete_reason));
  }
  for (const rc::VenueTradeWindow& w : input.venue.trade_windows) {
    rc::PositionReference ref;
    ref.instrument = w.instrument;
    ref.basis = rc::PositionBasis::kVenueTrades;
    if (auto c = checkpoints_.find(w.instrument); c != checkpoints_.end()) {
      ref.position_at_checkpoint = Quantity::FromRaw(c->second.position_raw);
    }
    input.positions.push_back(ref);
  }
  absl::StatusOr<rc::DiffResult> result = rc::DiffBooks(input, instruments_, settings_.diff);
  if (!result.ok()) {
    return fail(StrCat("the diff refused its input: ", ToStd(result.status().message())));
  }
  diff = std::move(*result);
}

bool ReconcilerService::ReconcilesBalances() const {
  return !settings_.diff.balance_tolerance.empty();
}

absl::Status ReconcilerService::ExpectBalances(rc::ReconInput& input) {
  if (!ReconcilesBalances()) return absl::OkStatus();
  absl::StatusOr<rc::AssetAmounts> effects = rc::FillEffects(input.ours.fills, instruments_);
  if (!effects.ok()) return effects.status();
  std::map<std::string, Amount, std::less<>> openings;
  for (const auto& [asset, tolerance] : settings_.diff.balance_tolerance) {
    if (auto it = openings_.find(asset); it != openings_.end()) {
      openings.emplace(asset, it->second);
      continue;
    }
    // No opening yet: this asset is not compared; the opening is taken from
    // this run if it settles with nothing in flight.
    Amount at_venue = Amount::Zero();
    for (const rc::VenueBalance& b : input.venue.balances) {
      if (b.asset != asset) continue;
      absl::StatusOr<Amount> total = b.free.Add(b.locked);
      if (!total.ok()) return total.status();
      at_venue = *total;
    }
    absl::StatusOr<Amount> opening = rc::OpeningBalance(asset, at_venue, *effects);
    if (!opening.ok()) return opening.status();
    new_openings_.push_back({.venue = std::string(ShortEnumName(config_.venue().venue())),
                             .asset = asset,
                             .opening_raw = opening->raw()});
  }
  absl::StatusOr<std::vector<rc::OurBalance>> expected = rc::ExpectedBalances(openings, *effects);
  if (!expected.ok()) return expected.status();
  input.ours.balances = std::move(*expected);
  return absl::OkStatus();
}

void ReconcilerService::Resolve(const rc::DiffResult& diff, rc::ResolutionPlan& plan) {
  if (diff.failed) return;  // nothing is resolved from half the facts
  for (size_t index : plan.ExecutionOrder()) {
    const rc::BreakPlan& p = plan.plans[index];
    if (p.action.kind == rc::ActionKind::kNone || p.state != rc::ActionState::kPlanned) continue;
    ov1::ExecutionRequest request = p.action.ToExecutionRequest("reconciler");
    ov1::ExecutionReply reply;
    absl::Status sent = SendToExecution(request, &reply);
    const rc::Break& b = diff.breaks[p.break_index];
    if (sent.ok() && reply.accepted()) {
      (void)rc::MarkActionDone(plan, index, runtime_.clock().Now());
      actions_done_->Increment();
      telemetry::LogInfo("correction accepted by execution",
                         {{"action", rc::ActionKindName(p.action.kind)},
                          {"break", b.Key()},
                          {"duplicate", reply.duplicate()}});
    } else {
      std::string why = sent.ok() ? StrCat("execution refused it (", ShortEnumName(reply.refusal()),
                                           "): ", reply.reason())
                                  : StrCat("execution did not answer: ", ToStd(sent.message()));
      (void)rc::MarkActionFailed(plan, index, why);
      actions_failed_->Increment();
      telemetry::LogWarn(
          "correction not carried out",
          {{"action", rc::ActionKindName(p.action.kind)}, {"break", b.Key()}, {"error", why}});
    }
  }
}

rv1::ReconRun ReconcilerService::RunOnce(const std::string& trigger) {
  auto wall_start = std::chrono::steady_clock::now();
  rc::RunInfo info;
  info.run_id = ids_->Next();
  info.trigger = trigger;
  info.started = runtime_.clock().Now();
  rc::ReconInput input;
  rc::DiffResult diff;
  Compare(input, diff);
  rc::ResolutionPlan plan = rc::PlanResolutions(diff, settings_.policy);
  Resolve(diff, plan);
  info.finished = runtime_.clock().Now();

  rv1::ReconRun run = rc::BuildReconRun(info, diff, plan);
  std::vector<rv1::Break> breaks;
  for (size_t i = 0; i < diff.breaks.size() && i < plan.plans.size(); ++i) {
    breaks.push_back(
        rc::BreakToProto(diff.breaks[i], plan.plans[i], info.run_id, ids_->Next(), info.started));
  }
  Record(run, breaks, diff, plan);
  PauseIfNeeded(diff, plan);
  if (run.outcome() == rv1::RUN_OUTCOME_CLEAN) {
    ov1::ExecutionRequest clean;
    clean.mutable_reconciliation_clean()->set_run_id(run.run_id());
    clean.mutable_reconciliation_clean()->set_finished_ns(run.finished_ns());
    ov1::ExecutionReply reply;
    absl::Status s = SendToExecution(clean, &reply);
    if (!s.ok()) {
      telemetry::LogWarn("execution not told of the clean run", {{"error", s}});
    }
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  UpdateMetrics(run, breaks, seconds);

  bool all_resolved = run.outcome() == rv1::RUN_OUTCOME_BREAKS &&
                      run.breaks_resolved() == run.breaks_found() && !plan.pause_trading;
  follow_up_ = all_resolved;  // confirm with a clean run, which execution may wait for
  startup_run_done_ = true;
  if (run.outcome() == rv1::RUN_OUTCOME_CLEAN) execution_awaits_clean_ = false;
  next_startup_retry_ = info.finished + kStartupRetry;
  next_run_ = info.finished + std::chrono::seconds(config_.interval_s());
  if (run.outcome() == rv1::RUN_OUTCOME_FAILED) {
    telemetry::LogWarn(
        "reconciliation run failed",
        {{"run_id", run.run_id()}, {"trigger", trigger}, {"reason", run.failure_reason()}});
  } else {
    telemetry::LogInfo("reconciliation run", {{"run_id", run.run_id()},
                                              {"trigger", trigger},
                                              {"outcome", ShortEnumName(run.outcome())},
                                              {"orders_compared", run.orders_compared()},
                                              {"fills_compared", run.fills_compared()},
                                              {"breaks_found", run.breaks_found()},
                                              {"breaks_resolved", run.breaks_resolved()}});
  }
  for (const rv1::Break& b : breaks) {
    if (b.state() == rv1::BREAK_STATE_RESOLVED) continue;
    telemetry::LogWarn("reconciliation break", {{"break_id", b.break_id()},
                                                {"type", ShortEnumName(b.type())},
                                                {"state", ShortEnumName(b.state())},
                                                {"explanation", b.explanation()},
                                                {"resolution", b.resolution()}});
  }
  return run;
}

void ReconcilerService::Record(const rv1::ReconRun& run, const std::vector<rv1::Break>& breaks,
                               const rc::DiffResult& diff, const rc::ResolutionPlan& plan) {
  // The window moves on only past what this run settled completely.
  bool settled = !diff.failed && !plan.pause_trading;
  for (const rc::BreakPlan& p : plan.plans) {
    if (p.state == rc::ActionState::kPlanned || p.state == rc::ActionState::kFailed) {
      settled = false;
    }
  }
  std::vector<store::ReconCheckpoint> next;
  if (settled) {
    for (const rc::NextCheckpoint& c : diff.next_checkpoints) {
      const InstrumentSpec& spec = instruments_.at(c.instrument);
      store::ReconCheckpoint stored{.venue = std::string(ShortEnumName(spec.id.venue)),
                                    .symbol = spec.id.symbol,
                                    .after_trade_id = c.checkpoint.after_trade_id.value_or(0),
                                    .position_raw = c.has_position ? c.position.raw() : 0};
      next.push_back(stored);
    }
  }
  // An opening is taken only from a run that settled with nothing in flight:
  // then the venue's balance and our fills describe the same moment.
  std::vector<store::BalanceOpening> openings;
  if (settled && diff.deferred.empty()) openings = new_openings_;
  absl::Status s = store_->RecordRun(run, breaks, next, openings);
  if (s.ok()) {
    for (const store::BalanceOpening& o : openings) {
      openings_[o.asset] = Amount::FromRaw(o.opening_raw);
      telemetry::LogInfo("opening balance taken: the asset is reconciled from now on",
                         {{"asset", o.asset},
                          {"opening", fixed_point::FormatRaw(o.opening_raw)},
                          {"run_id", run.run_id()}});
    }
    for (const rc::NextCheckpoint& c : diff.next_checkpoints) {
      if (!settled) break;
      for (const store::ReconCheckpoint& stored : next) {
        if (stored.symbol == instruments_.at(c.instrument).id.symbol) {
          checkpoints_[c.instrument] = stored;
        }
      }
    }
  } else {
    telemetry::LogError("reconciliation run not stored", {{"run_id", run.run_id()}, {"error", s}});
  }
  (void)publisher_->Publish("recon.run", run);
  for (const rv1::Break& b : breaks) (void)publisher_->Publish("recon.break", b);
  std::lock_guard<std::mutex> lock(status_mu_);
  Keep(recent_runs_, run);
  if (!diff.failed) last_breaks_ = breaks;
  for (const rv1::Break& b : breaks) Keep(recent_breaks_, b);
  last_outcome_ = StrCat(ShortEnumName(run.outcome()), " ", run.run_id(),
                         run.failure_reason().empty() ? "" : ": ", run.failure_reason());
}

void ReconcilerService::UpdateMetrics(const rv1::ReconRun& run,
                                      const std::vector<rv1::Break>& breaks, double seconds) {
  run_duration_->Observe(seconds);
  switch (run.outcome()) {
    case rv1::RUN_OUTCOME_CLEAN:
      runs_clean_->Increment();
      last_clean_ = Timestamp::FromNanos(run.finished_ns());
      since_clean_->Set(0);
      break;
    case rv1::RUN_OUTCOME_BREAKS:
      runs_breaks_->Increment();
      break;
    default:
      runs_failed_->Increment();
      return;  // a failed run compared nothing: the open breaks stand
  }
  int open = 0;
  for (const rv1::Break& b : breaks) {
    if (auto it = breaks_by_type_.find(b.type()); it != breaks_by_type_.end()) {
      it->second->Increment();
    }
    if (b.state() != rv1::BREAK_STATE_RESOLVED) ++open;
  }
  open_breaks_->Set(open);
}

void ReconcilerService::PauseIfNeeded(const rc::DiffResult& diff, const rc::ResolutionPlan& plan) {
  if (!plan.pause_trading) {
    pause_requested_ = false;
    return;
  }
  if (pause_requested_) return;  // risk holds our PAUSE for these breaks already
  pause_requests_->Increment();
  std::string reason = PauseReason(diff, plan);
  absl::Status s = AskRiskToPause(risk_admin_, reason);
  if (!s.ok()) {
    telemetry::LogError("risk did not take the PAUSE; asking again next run",
                        {{"reason", reason}, {"error", s}});
    return;
  }
  pause_requested_ = true;
  telemetry::LogWarn("risk asked to PAUSE trading", {{"reason", reason}});
}

}  // namespace tradeplane::reconciler
