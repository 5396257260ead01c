// The faults the control port can inject into the REST face
// (docs/how-to/venue-sim-faults.md). Guarded by the simulation's mutex.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_FAULTS_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_FAULTS_H_

#include <chrono>
#include <cstdint>

namespace tradeplane::venue_sim {

struct Faults {
  // Responses of order-changing requests (new, cancel, cancel-replace,
  // cancel-all) wait this long before they are written; 0: none.
  std::chrono::milliseconds ack_delay{0};
  // The next N new orders are placed but their connection is closed without
  // a response.
  int64_t drop_acks = 0;
  // The next N REST requests are answered with `error_status` (5xx) and
  // -1001, without being carried out.
  int64_t error_responses = 0;
  int error_status = 503;
  // The next N REST requests are answered 429 / -1003 with Retry-After.
  int64_t rate_limited_responses = 0;
  int retry_after_s = 10;

  // What was injected, for the state endpoint and the metrics.
  uint64_t acks_delayed = 0;
  uint64_t acks_dropped = 0;
  uint64_t errors_sent = 0;
  uint64_t rate_limits_sent = 0;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_FAULTS_H_
