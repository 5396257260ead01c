// tradeplane-risk: the gate between strategies and the venue, and the kill switch.
#include "tradeplane/service/service_main.h"

#include "risk_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::risk_service::RiskService>(
      argc, argv, tradeplane::ServiceId::kRisk,
      "Checks every order intent against the limits before it reaches execution, keeps "
      "positions and PnL from fills, and holds the trading mode (the kill switch).",
      &tradeplane::risk_service::ApplyDefaults);
}
