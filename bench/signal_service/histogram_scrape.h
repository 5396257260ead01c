// A histogram of a service's Prometheus exposition (testing::ScrapeMetrics),
// so the bench can print the service's own measurement beside its own.
#ifndef TRADEPLANE_BENCH_SIGNAL_SERVICE_HISTOGRAM_SCRAPE_H_
#define TRADEPLANE_BENCH_SIGNAL_SERVICE_HISTOGRAM_SCRAPE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tradeplane::bench {

struct HistogramScrape {
  std::vector<double> upper_bounds_seconds;  // ascending, the last is +Inf
  std::vector<double> cumulative_counts;     // one per bound
  double sum_seconds = 0;
  double count = 0;

  // What was observed between `earlier` and this scrape (same buckets).
  HistogramScrape Since(const HistogramScrape& earlier) const;
  // The upper bound of the bucket holding the p-quantile (a bound, not an
  // exact value: the buckets are what the service exports).
  double QuantileUpperBoundSeconds(double p) const;
};

// The histogram `name` (without labels, e.g.
// "tradeplane_signal_event_to_intent_seconds") from the /metrics endpoint on
// 127.0.0.1:<port>.
absl::StatusOr<HistogramScrape> ScrapeHistogram(int port, const std::string& name);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SIGNAL_SERVICE_HISTOGRAM_SCRAPE_H_
