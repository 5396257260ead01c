// tradeplane-execution: the order journal, the order state machine and the
// venue adapters between risk and the venue.
#include "tradeplane/service/service_main.h"

#include "execution_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::execution_service::ExecutionService>(
      argc, argv, tradeplane::ServiceId::kExecution,
      "Places risk-approved orders at the venue exactly once: journals each order before it is "
      "sent and each fill before it is published, recovers open orders from the journal and the "
      "venue on every start, and serves cancels and the kill switch.",
      &tradeplane::execution_service::ApplyDefaults);
}
