// The main() every service shares: command line and config, runtime, the
// service shell, the admin server, the loop. A service provides
//   static absl::StatusOr<std::unique_ptr<S>> S::Create(const Config&, ServiceRuntime&);
//   std::vector<grpc::Service*> S::AdminServices();
//   void S::FillStatus(admin::v1::ServiceStatus*);   // any thread
// and decides its own readiness (ServiceRuntime::SetReady). With
// common.leader_election enabled, the service is created only once this
// instance leads its role (ServiceRuntime::AwaitLeadership).
#ifndef TRADEPLANE_SERVICE_SERVICE_MAIN_H_
#define TRADEPLANE_SERVICE_SERVICE_MAIN_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/service/config_main.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::service {

template <typename Service, typename Config>
int ServiceMain(int argc, char** argv, ServiceId id, std::string_view description,
                void (*apply_defaults)(Config*)) {
  std::string binary = StrCat("tradeplane-", ServiceName(id));
  Config config;
  LoadConfigOrExit(argc, argv, binary, description, &config);
  apply_defaults(&config);
  ServiceRuntime runtime(id, config.common());
  absl::Status s = runtime.Start();
  std::unique_ptr<Service> svc;
  if (s.ok() && runtime.leader_election_enabled()) {
    // A standby serves health (NOT_SERVING) and status only; the service is
    // built, and recovers its state from the store, once this instance leads.
    s = runtime.StartAdmin({}, nullptr);
    if (s.ok()) {
      runtime.SetReady(false, StrCat("standby: another instance leads ", ServiceName(id)));
      if (runtime.AwaitLeadership() == 0) return 0;  // asked to stop while waiting
      runtime.StopAdmin();
    }
  }
  if (s.ok()) {
    absl::StatusOr<std::unique_ptr<Service>> created = Service::Create(config, runtime);
    if (created.ok()) {
      svc = std::move(*created);
    } else {
      s = created.status();
    }
  }
  if (s.ok()) {
    Service* raw = svc.get();
    s = runtime.StartAdmin(raw->AdminServices(),
                           [raw](admin::v1::ServiceStatus* status) { raw->FillStatus(status); });
  }
  if (!s.ok()) {
    telemetry::LogError("cannot start", {{"error", s}});
    telemetry::FlushLogs();
    std::fprintf(stderr, "%s: %s\n", binary.c_str(), std::string(ToStd(s.message())).c_str());
    return 1;
  }
  int code = runtime.Run();
  svc.reset();  // before the runtime: sockets close before the bus context
  return code;
}

}  // namespace tradeplane::service

#endif  // TRADEPLANE_SERVICE_SERVICE_MAIN_H_
