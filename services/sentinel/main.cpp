// tradeplane-sentinel: market-abuse surveillance, live on the bus or over a file.
#include <string_view>

#include "tradeplane/service/service_main.h"

#include "sentinel_service.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "review") {
    return tradeplane::sentinel::RunReview(argc, argv);
  }
  return tradeplane::service::ServiceMain<tradeplane::sentinel::SentinelService>(
      argc, argv, tradeplane::ServiceId::kSentinel,
      "Watches our own order flow and the market's for market abuse (wash trades, spoofing and "
      "layering, quote stuffing, momentum ignition, marking the close) and raises alerts a "
      "compliance officer can act on. `tradeplane-sentinel review --help` reviews a file offline.",
      &tradeplane::sentinel::ApplyDefaults);
}
