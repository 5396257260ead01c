// Prometheus metrics: a registry per process and its /metrics endpoint.
//
// Names follow Prometheus conventions: tradeplane_<service>_<what>_<unit>,
// `_total` for counters, base units (seconds, bytes), histograms for
// latencies. Shared subsystems use their own name in place of the service
// (tradeplane_bus_..., tradeplane_store_...). The returned references stay
// valid for the registry's lifetime; updating one is a lock-free atomic.
#ifndef TRADEPLANE_TELEMETRY_METRICS_H_
#define TRADEPLANE_TELEMETRY_METRICS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace tradeplane::telemetry {

using Counter = prometheus::Counter;
using Gauge = prometheus::Gauge;
using Histogram = prometheus::Histogram;
using Labels = std::map<std::string, std::string>;

// Buckets in seconds from 1 µs to 10 s, roughly x2.5 apart: wide enough for a
// bus hop (~100 µs) and a venue round trip (~ms).
const std::vector<double>& LatencyBucketsSeconds();

class MetricsRegistry {
 public:
  MetricsRegistry();

  // Families are created on first use; asking again with the same name and
  // labels returns the same metric. Thread-safe.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          const std::vector<double>& buckets, const Labels& labels = {});

  // The text exposition format, as /metrics serves it.
  std::string Serialize() const;
  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
};

// Serves a registry at http://<bind>:<port>/metrics.
class MetricsServer {
 public:
  // port 0 picks a free one (see port()).
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(MetricsRegistry& registry,
                                                              std::string_view bind_address,
                                                              int port);
  ~MetricsServer();
  int port() const { return port_; }

 private:
  MetricsServer(std::unique_ptr<prometheus::Exposer> exposer, int port);
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_METRICS_H_
