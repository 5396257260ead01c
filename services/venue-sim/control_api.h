// ControlApi: the simulator's control port (7802), for tests and the demo.
// Lock-step replay (step, run, pause), fault injection, out-of-band orders
// and read-only state. Documented in docs/how-to/venue-sim-faults.md and
// docs/reference/venue-sim.md. Answers are JSON; errors are
// {"error":"..."} with 400 (bad parameter), 404 (unknown path) or 409.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_CONTROL_API_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_CONTROL_API_H_

#include <functional>
#include <string>

#include "tradeplane/net/http_message.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "exchange.h"
#include "faults.h"
#include "simulation.h"
#include "stream_hub.h"

namespace tradeplane::venue_sim {

class ControlApi {
 public:
  struct Hooks {
    // Drops every REST and WebSocket connection and every listen key (the
    // servers stop and start again on their ports); orders and balances stay.
    std::function<absl::Status()> restart;
    bool lockstep = false;
  };

  ControlApi(Simulation& sim, StreamHub& hub, Faults& faults, Hooks hooks);

  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  net::HttpResponse Step(const net::HttpRequest& request);
  net::HttpResponse State();
  net::HttpResponse SetFault(std::string_view fault, const net::HttpRequest& request);
  net::HttpResponse PlaceOrder(const net::HttpRequest& request);
  net::HttpResponse CancelOrder(const net::HttpRequest& request);
  net::HttpResponse Transfer(const net::HttpRequest& request);
  std::string PositionJson();

  Simulation& sim_;
  Exchange& exchange_;
  StreamHub& hub_;
  Faults& faults_;
  Hooks hooks_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_CONTROL_API_H_
