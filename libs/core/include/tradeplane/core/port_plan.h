// The port plan (docs/ports.md): service S uses 7S00-7S89 for the bus, 7S90
// for its gRPC admin server and 7S91 for /metrics. A second instance on one
// host (an HA pair on a laptop) takes an instance offset: instance i uses bus
// ports 7S00+10i.., admin 7S90+2i and metrics 7S91+2i, for i in 0..4.
// Tests never use these ports.
#ifndef TRADEPLANE_CORE_PORT_PLAN_H_
#define TRADEPLANE_CORE_PORT_PLAN_H_

#include <optional>
#include <string_view>

namespace tradeplane {

enum class ServiceId {
  kMarketData = 1,
  kSignal = 2,
  kRisk = 3,
  kExecution = 4,
  kSigner = 5,
  kSentinel = 6,
  kReconciler = 7,
  kVenueSim = 8,
};

inline constexpr int kMaxInstance = 4;

// "market-data", "signal", ... "venue-sim".
std::string_view ServiceName(ServiceId id);
std::optional<ServiceId> ServiceByName(std::string_view name);

// Bus port `index` (0..9) of an instance.
int BusPort(ServiceId id, int index, int instance = 0);
int AdminPort(ServiceId id, int instance = 0);
int MetricsPort(ServiceId id, int instance = 0);

// The venue simulator's Binance-style endpoints.
inline constexpr int kVenueSimRestPort = 7800;
inline constexpr int kVenueSimWebSocketPort = 7801;
inline constexpr int kVenueSimControlPort = 7802;

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_PORT_PLAN_H_
