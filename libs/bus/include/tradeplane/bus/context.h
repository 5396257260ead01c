// BusContext: one per process. Owns the ZeroMQ context (one I/O thread: on two
// cores more threads only compete), the CURVE authenticator and the bus
// metrics. Every Publisher, Subscriber, RequestClient and ReplyServer is made
// from it and must be destroyed before it.
#ifndef TRADEPLANE_BUS_CONTEXT_H_
#define TRADEPLANE_BUS_CONTEXT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/telemetry/metrics.h"

namespace tradeplane::bus {

struct BusIdentity {
  std::string service;  // "risk"
  uint32_t instance = 0;
  // Changes on every start so receivers can tell a restart from a gap;
  // 0 = pick one (random, non-zero).
  uint64_t incarnation = 0;
};

// Defaults for everything the bus config leaves at zero.
inline constexpr uint32_t kDefaultMaxMessageBytes = 4 << 20;
inline constexpr uint32_t kDefaultHwm = 100'000;
inline constexpr uint32_t kDefaultReplyCacheSize = 10'000;
inline constexpr uint32_t kDefaultRequestTimeoutMs = 1'000;
inline constexpr uint32_t kDefaultRequestRetries = 3;

class BusContext {
 public:
  // `metrics` may be null: the context then keeps its own registry.
  BusContext(BusIdentity identity, const config::v1::BusConfig& config,
             telemetry::MetricsRegistry* metrics, const Clock& clock = SystemClock::Instance());
  ~BusContext();
  BusContext(const BusContext&) = delete;
  BusContext& operator=(const BusContext&) = delete;

  const BusIdentity& identity() const { return identity_; }
  // The config with defaults filled in.
  const config::v1::BusConfig& config() const { return config_; }
  telemetry::MetricsRegistry& metrics() { return *metrics_; }
  const Clock& clock() const { return clock_; }
  // Clients refused by CURVE authentication (not on a server's allow-list).
  uint64_t curve_refusals() const;

  class Impl;
  Impl& impl() { return *impl_; }

 private:
  BusIdentity identity_;
  config::v1::BusConfig config_;
  std::unique_ptr<telemetry::MetricsRegistry> own_metrics_;
  telemetry::MetricsRegistry* metrics_;
  const Clock& clock_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_CONTEXT_H_
