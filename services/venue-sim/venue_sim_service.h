// The venue simulator's shell: config to parts, the three ports (REST,
// WebSocket, control), the replay on the main loop, metrics and the admin
// status. The parts: Exchange (engines, accounts), Simulation (time,
// latency, lock-step), StreamHub (WebSocket), RestApi, ControlApi.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_VENUE_SIM_SERVICE_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_VENUE_SIM_SERVICE_H_

#include <memory>
#include <mutex>
#include <vector>

#include "tradeplane/admin/v1/admin.pb.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/net/http_server.h"
#include "tradeplane/service/service_runtime.h"

#include "absl/status/statusor.h"
#include "control_api.h"
#include "exchange.h"
#include "faults.h"
#include "rest_api.h"
#include "simulation.h"
#include "stream_hub.h"

namespace grpc {
class Service;
}  // namespace grpc

namespace tradeplane::venue_sim {

// The port plan's ports and the defaults for what `config` leaves out.
void ApplyDefaults(config::v1::VenueSimConfig* config);

class VenueSimService {
 public:
  static absl::StatusOr<std::unique_ptr<VenueSimService>> Create(
      const config::v1::VenueSimConfig& config, service::ServiceRuntime& runtime);
  ~VenueSimService();

  std::vector<grpc::Service*> AdminServices() { return {}; }
  // Any thread.
  void FillStatus(admin::v1::ServiceStatus* status);

 private:
  VenueSimService(const config::v1::VenueSimConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  absl::Status StartRest();
  absl::Status Restart();
  void BadReplayInput(std::string_view where, std::string_view why);
  void RefreshGauges();

  config::v1::VenueSimConfig config_;
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  Faults faults_;
  std::unique_ptr<StreamHub> hub_;
  std::unique_ptr<Exchange> exchange_;
  std::unique_ptr<Simulation> sim_;
  std::unique_ptr<RestApi> rest_;
  std::unique_ptr<ControlApi> control_;
  std::mutex servers_mu_;  // the REST server across restarts
  std::unique_ptr<net::HttpServer> rest_server_;
  std::unique_ptr<net::HttpServer> control_server_;

  telemetry::Counter* bad_replay_input_ = nullptr;
  telemetry::Gauge* replay_events_ = nullptr;
  telemetry::Gauge* sim_time_ = nullptr;
  telemetry::Gauge* orders_accepted_ = nullptr;
  telemetry::Gauge* orders_rejected_ = nullptr;
  telemetry::Gauge* fills_ = nullptr;
  telemetry::Gauge* listen_keys_ = nullptr;
  telemetry::Counter* restarts_ = nullptr;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_VENUE_SIM_SERVICE_H_
