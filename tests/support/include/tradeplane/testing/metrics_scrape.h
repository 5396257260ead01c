// Reading a service's Prometheus endpoint from a test.
#ifndef TRADEPLANE_TESTING_METRICS_SCRAPE_H_
#define TRADEPLANE_TESTING_METRICS_SCRAPE_H_

#include <optional>
#include <string>

namespace tradeplane::testing {

// The body of GET http://127.0.0.1:<port>/metrics, or "" when nothing answers
// (a test waiting for a metric keeps polling).
std::string ScrapeMetrics(int port);

// The value of one sample line of the exposition text: `sample` is the metric
// name with its labels exactly as the service writes them, e.g.
// `tradeplane_signer_requests_total{decision="allowed"}`. nullopt when absent.
std::optional<double> MetricSample(const std::string& text, const std::string& sample);

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_METRICS_SCRAPE_H_
