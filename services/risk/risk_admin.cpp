// The risk service's admin API: mode, kill, blocks, positions, PnL, limits and
// the end-of-day report. Every handler runs on the service loop (OnLoop), so
// it sees and changes the same state as the intent path without locks.

#include <chrono>

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/end_of_day_report.h"
#include "tradeplane/telemetry/log.h"

#include "risk_service.h"

namespace tradeplane::risk_service {
namespace {

namespace rv1 = risk::v1;

}  // namespace

admin::v1::ModeState RiskService::ModeStateNow() const {
  admin::v1::ModeState m;
  m.set_mode(state_->modes().mode());
  *m.mutable_last_change() = state_->modes().last_change();
  for (const rv1::Block& b : state_->blocks().List()) *m.add_blocks() = b;
  if (state_->modes().pending()) *m.mutable_pending() = *state_->modes().pending();
  return m;
}

template <typename T>
grpc::Status RiskService::OnLoop(std::function<absl::StatusOr<T>()> fn, T* out) {
  absl::StatusOr<T> r = runtime_.executor().Call<T>(std::move(fn), std::chrono::seconds(20));
  if (!r.ok()) return admin::ToGrpc(r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

grpc::Status RiskService::GetMode(grpc::ServerContext*, const admin::v1::GetModeRequest*,
                                  admin::v1::ModeState* out) {
  return OnLoop<admin::v1::ModeState>(
      [this]() -> absl::StatusOr<admin::v1::ModeState> { return ModeStateNow(); }, out);
}

grpc::Status RiskService::SetMode(grpc::ServerContext* context,
                                  const admin::v1::SetModeRequest* request,
                                  admin::v1::ModeState* out) {
  std::string actor = admin::CallerName(*context);
  if (request->reason().empty())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a reason is required");
  grpc::Status s = OnLoop<admin::v1::ModeState>(
      [&]() -> absl::StatusOr<admin::v1::ModeState> {
        absl::StatusOr<risk::ModeRequestResult> r = state_->modes().Request(
            request->mode(), actor, request->reason(), runtime_.clock().Now());
        if (!r.ok()) return r.status();
        if (r->applied) ApplyModeChange(r->change);
        if (request->mode() == rv1::TRADING_MODE_HALTED && r->applied) {
          (void)CancelAllAtExecution(config_.flatten_on_halt(), actor, request->reason());
        }
        return ModeStateNow();
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "RiskAdmin.SetMode",
                           .target = std::string(ShortEnumName(request->mode())),
                           .reason = request->reason(),
                           .outcome = s.ok()
                                          ? (out->has_pending() ? "pending second operator" : "ok")
                                          : s.error_message()});
  return s;
}

grpc::Status RiskService::Kill(grpc::ServerContext* context, const admin::v1::KillRequest* request,
                               admin::v1::KillResponse* out) {
  std::string actor = admin::CallerName(*context);
  std::string reason = request->reason().empty() ? "kill switch" : request->reason();
  grpc::Status s = OnLoop<admin::v1::KillResponse>(
      [&]() -> absl::StatusOr<admin::v1::KillResponse> {
        Timestamp now = runtime_.clock().Now();
        if (state_->modes().mode() != rv1::TRADING_MODE_HALTED) {
          absl::StatusOr<risk::ModeRequestResult> r =
              state_->modes().Request(rv1::TRADING_MODE_HALTED, actor, reason, now);
          if (!r.ok()) return r.status();
          ApplyModeChange(r->change);
        }
        admin::v1::KillResponse resp;
        absl::StatusOr<uint32_t> canceled =
            CancelAllAtExecution(request->flatten() || config_.flatten_on_halt(), actor, reason);
        *resp.mutable_mode() = ModeStateNow();
        if (!canceled.ok()) return canceled.status();
        resp.set_orders_canceled(*canceled);
        return resp;
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "RiskAdmin.Kill",
                           .target = "HALTED",
                           .reason = reason,
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

grpc::Status RiskService::Block(grpc::ServerContext* context,
                                const admin::v1::BlockRequest* request, admin::v1::ModeState* out) {
  std::string actor = admin::CallerName(*context);
  grpc::Status s = OnLoop<admin::v1::ModeState>(
      [&]() -> absl::StatusOr<admin::v1::ModeState> {
        absl::StatusOr<risk::BlockChange> c = state_->blocks().Block(
            request->scope(), request->id(), actor, request->reason(), runtime_.clock().Now());
        if (!c.ok()) return c.status();
        if (store_ != nullptr) (void)store_->PutBlock(c->block);
        return ModeStateNow();
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "RiskAdmin.Block",
                           .target = StrCat(ShortEnumName(request->scope()), ":", request->id()),
                           .reason = request->reason(),
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

grpc::Status RiskService::Unblock(grpc::ServerContext* context,
                                  const admin::v1::BlockRequest* request,
                                  admin::v1::ModeState* out) {
  std::string actor = admin::CallerName(*context);
  grpc::Status s = OnLoop<admin::v1::ModeState>(
      [&]() -> absl::StatusOr<admin::v1::ModeState> {
        absl::StatusOr<risk::BlockChange> c = state_->blocks().Unblock(
            request->scope(), request->id(), actor, request->reason(), runtime_.clock().Now());
        if (!c.ok()) return c.status();
        if (store_ != nullptr) (void)store_->RemoveBlock(request->scope(), request->id());
        return ModeStateNow();
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "RiskAdmin.Unblock",
                           .target = StrCat(ShortEnumName(request->scope()), ":", request->id()),
                           .reason = request->reason(),
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

grpc::Status RiskService::GetPositions(grpc::ServerContext*,
                                       const admin::v1::GetPositionsRequest* request,
                                       admin::v1::PositionsResponse* out) {
  return OnLoop<admin::v1::PositionsResponse>(
      [&]() -> absl::StatusOr<admin::v1::PositionsResponse> {
        admin::v1::PositionsResponse r;
        for (rv1::Position& p : state_->Positions(request->by_strategy()))
          *r.add_positions() = std::move(p);
        return r;
      },
      out);
}

grpc::Status RiskService::GetPnl(grpc::ServerContext*, const admin::v1::GetPnlRequest*,
                                 rv1::PnlSummary* out) {
  return OnLoop<rv1::PnlSummary>([&]() { return state_->RevaluePnl(runtime_.clock().Now()); }, out);
}

grpc::Status RiskService::GetLimits(grpc::ServerContext*, const admin::v1::GetLimitsRequest*,
                                    rv1::Limits* out) {
  return OnLoop<rv1::Limits>(
      [&]() -> absl::StatusOr<rv1::Limits> { return state_->limits().proto(); }, out);
}

grpc::Status RiskService::SetLimits(grpc::ServerContext* context,
                                    const admin::v1::SetLimitsRequest* request, rv1::Limits* out) {
  std::string actor = admin::CallerName(*context);
  rv1::Limits limits;
  absl::Status parsed = ParseYamlConfig(request->yaml(), "limits", "", &limits);
  grpc::Status s;
  if (!parsed.ok()) {
    s = admin::ToGrpc(parsed);
  } else if (request->reason().empty()) {
    s = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a reason is required");
  } else {
    s = OnLoop<rv1::Limits>(
        [&]() -> absl::StatusOr<rv1::Limits> {
          absl::StatusOr<risk::RiskLimits> checked =
              risk::RiskLimits::FromProto(limits, instruments_);
          if (!checked.ok()) return checked.status();
          if (store_ != nullptr) {
            absl::Status saved =
                store_->AppendLimits(limits, request->yaml(), actor, request->reason());
            if (!saved.ok()) return saved;  // limits must survive a restart, or not change
          }
          auto shared = std::make_shared<const risk::RiskLimits>(std::move(*checked));
          breakers_->Reconfigure(shared->breakers());
          state_->ApplyLimits(shared);
          return limits;
        },
        out);
  }
  runtime_.audit().Record({.actor = actor,
                           .action = "RiskAdmin.SetLimits",
                           .target = "limits",
                           .reason = request->reason(),
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

grpc::Status RiskService::EndOfDayReport(grpc::ServerContext*,
                                         const admin::v1::EndOfDayRequest* request,
                                         admin::v1::EndOfDayReportResponse* out) {
  return OnLoop<admin::v1::EndOfDayReportResponse>(
      [&]() -> absl::StatusOr<admin::v1::EndOfDayReportResponse> {
        Timestamp now = runtime_.clock().Now();
        risk::EndOfDayInputs in;
        if (request->date().empty()) {
          in.date = CivilFromDays(
              (now.nanos() / 1'000'000'000 - config_.day_start_offset_minutes() * 60) / 86400);
        } else {
          absl::StatusOr<CivilDate> d = ParseDate(request->date());
          if (!d.ok()) return d.status();
          in.date = *d;
        }
        in.day_start_offset = std::chrono::minutes(config_.day_start_offset_minutes());
        in.fills = fills_;
        for (InstrumentIndex i = 0; i < instruments_.size(); ++i) {
          if (std::optional<Price> p = state_->ReferencePrice(i)) in.closing_marks[i] = *p;
        }
        absl::StatusOr<risk::EndOfDayReport> report = risk::BuildEndOfDayReport(in, instruments_);
        if (!report.ok()) return report.status();
        admin::v1::EndOfDayReportResponse resp;
        risk::ToProto(*report, instruments_, &resp);
        return resp;
      },
      out);
}

}  // namespace tradeplane::risk_service
