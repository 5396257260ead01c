// A minimal process built on ServiceRuntime, for the admin-plane tests:
// Admin, Health and reflection, with readiness following the database.
//   admin_peer --config FILE.yaml   (the YAML is a ServiceCommon)
#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/service/config_main.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/telemetry/log.h"

int main(int argc, char** argv) {
  tradeplane::config::v1::ServiceCommon config;
  tradeplane::service::LoadConfigOrExit(argc, argv, "admin_peer", "A test process.", &config);
  tradeplane::service::ServiceRuntime runtime(tradeplane::ServiceId::kVenueSim, config);
  absl::Status s = runtime.Start();
  if (s.ok()) {
    s = runtime.StartAdmin({}, [](tradeplane::admin::v1::ServiceStatus* status) {
      auto* c = status->add_counters();
      c->set_name("answers");
      c->set_value(42);
    });
  }
  if (!s.ok()) {
    tradeplane::telemetry::LogError("cannot start", {{"error", s}});
    tradeplane::telemetry::FlushLogs();
    return 1;
  }
  bool with_db = runtime.database() != nullptr;
  runtime.SetReady(!with_db, "waiting for the database");
  runtime.OnDatabaseChange(
      [&](bool up) { runtime.SetReady(up, up ? "" : "database unavailable"); });
  return runtime.Run();
}
