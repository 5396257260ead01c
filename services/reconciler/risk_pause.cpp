#include "risk_pause.h"

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciler {

absl::Status AskRiskToPause(const admin::AdminClientOptions& o, std::string_view reason) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = admin::MakeAdminChannel(o);
  if (!channel.ok()) return channel.status();
  admin::v1::SetModeRequest request;
  request.set_mode(risk::v1::TRADING_MODE_PAUSED);
  request.set_reason(StrCat("reconciler: ", reason));
  grpc::ClientContext context;
  admin::PrepareContext(&context, o);
  admin::v1::ModeState state;
  grpc::Status s = admin::v1::RiskAdmin::NewStub(*channel)->SetMode(&context, request, &state);
  if (!s.ok()) {
    return absl::UnavailableError(
        StrCat("RiskAdmin.SetMode(PAUSED) at ", o.target, ": ", s.error_message()));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciler
