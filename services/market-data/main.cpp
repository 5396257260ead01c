// tradeplane-market-data: feeds in, normalized and sequenced md.* out.
#include "tradeplane/service/service_main.h"

#include "market_data_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::market_data::MarketDataService>(
      argc, argv, tradeplane::ServiceId::kMarketData,
      "Reads market data (file replays, Binance WebSocket, synthetic), keeps order books and "
      "bars, and publishes md.quote/trade/book/bar/status on the bus.",
      &tradeplane::market_data::ApplyDefaults);
}
