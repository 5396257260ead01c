// tradeplane-venue-sim: a local exchange speaking the Binance spot API subset
// the suite's adapters use, over replayed real markets.
#include "tradeplane/service/service_main.h"

#include "venue_sim_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::venue_sim::VenueSimService>(
      argc, argv, tradeplane::ServiceId::kVenueSim,
      "A local exchange: Binance spot REST (7800) and WebSocket streams (7801) over replayed "
      "real markets and the suite's matching engine, with a fault-injection and lock-step "
      "control port (7802).",
      &tradeplane::venue_sim::ApplyDefaults);
}
