#include "tradeplane/telemetry/metrics.h"

#include <mutex>

#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::telemetry {
namespace {

// prometheus-cpp's builders are not safe to race on one registry name.
std::mutex& FamilyMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

const std::vector<double>& LatencyBucketsSeconds() {
  static const std::vector<double> buckets = {
      1e-6, 2.5e-6, 5e-6,   1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3,
      5e-3, 1e-2,   2.5e-2, 5e-2, 0.1,    0.25, 0.5,  1.0,    2.5,  5.0,  10.0};
  return buckets;
}

MetricsRegistry::MetricsRegistry() : registry_(std::make_shared<prometheus::Registry>()) {}

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help,
                                     const Labels& labels) {
  std::lock_guard<std::mutex> lock(FamilyMutex());
  return prometheus::BuildCounter()
      .Name(std::string(name))
      .Help(std::string(help))
      .Register(*registry_)
      .Add(labels);
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help,
                                 const Labels& labels) {
  std::lock_guard<std::mutex> lock(FamilyMutex());
  return prometheus::BuildGauge()
      .Name(std::string(name))
      .Help(std::string(help))
      .Register(*registry_)
      .Add(labels);
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help,
                                         const std::vector<double>& buckets, const Labels& labels) {
  std::lock_guard<std::mutex> lock(FamilyMutex());
  return prometheus::BuildHistogram()
      .Name(std::string(name))
      .Help(std::string(help))
      .Register(*registry_)
      .Add(labels, buckets);
}

std::string MetricsRegistry::Serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(MetricsRegistry& registry,
                                                                    std::string_view bind_address,
                                                                    int port) {
  std::string address = StrCat(bind_address.empty() ? "0.0.0.0" : bind_address, ":", port);
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(address, /*num_threads=*/1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(StrCat("cannot serve /metrics on ", address, ": ", e.what()));
  }
  exposer->RegisterCollectable(registry.registry());
  std::vector<int> ports = exposer->GetListeningPorts();
  int bound = ports.empty() ? port : ports.front();
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(exposer), bound));
}

MetricsServer::MetricsServer(std::unique_ptr<prometheus::Exposer> exposer, int port)
    : exposer_(std::move(exposer)), port_(port) {}

MetricsServer::~MetricsServer() = default;

}  // namespace tradeplane::telemetry
