#include "risk_pause.h"

#include <cstdlib>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciler {

absl::Status AskRiskToPause(const std::string& target, std::string_view reason, int timeout_ms) {
  admin::AdminClientOptions o;
  o.target = target;
  o.timeout_ms = timeout_ms;
  if (const char* token = std::getenv("TRADEPLANE_ADMIN_TOKEN"); token != nullptr) o.token = token;
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
        StrCat("RiskAdmin.SetMode(PAUSED) at ", target, ": ", s.error_message()));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::reconciler
