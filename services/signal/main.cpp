// tradeplane-signal: strategies turning market data into order intents.
#include "tradeplane/service/service_main.h"

#include "signal_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::signal_service::SignalService>(
      argc, argv, tradeplane::ServiceId::kSignal,
      "Runs the configured strategy instances on market data and sends their order intents to "
      "risk, each with a reason a person can read afterwards.",
      &tradeplane::signal_service::ApplyDefaults);
}
