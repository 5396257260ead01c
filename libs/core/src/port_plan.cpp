#include "tradeplane/core/port_plan.h"

namespace tradeplane {
namespace {

constexpr std::pair<ServiceId, std::string_view> kNames[] = {
    {ServiceId::kMarketData, "market-data"},
    {ServiceId::kSignal, "signal"},
    {ServiceId::kRisk, "risk"},
    {ServiceId::kExecution, "execution"},
    {ServiceId::kSigner, "signer"},
    {ServiceId::kSentinel, "sentinel"},
    {ServiceId::kReconciler, "reconciler"},
    {ServiceId::kVenueSim, "venue-sim"},
};

int Base(ServiceId id) { return 7000 + static_cast<int>(id) * 100; }

}  // namespace

std::string_view ServiceName(ServiceId id) {
  for (const auto& [s, name] : kNames) {
    if (s == id) return name;
  }
  return "unknown";
}

std::optional<ServiceId> ServiceByName(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

int BusPort(ServiceId id, int index, int instance) { return Base(id) + 10 * instance + index; }
int AdminPort(ServiceId id, int instance) { return Base(id) + 90 + 2 * instance; }
int MetricsPort(ServiceId id, int instance) { return Base(id) + 91 + 2 * instance; }

}  // namespace tradeplane
