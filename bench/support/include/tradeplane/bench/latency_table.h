// A table of latency series measured in one run, printed with each series'
// ratio to a baseline series of the same run: on shared, noisy machines the
// ratio is the figure that means something.
#ifndef TRADEPLANE_BENCH_LATENCY_TABLE_H_
#define TRADEPLANE_BENCH_LATENCY_TABLE_H_

#include <string>
#include <vector>

#include "tradeplane/bench/latency_samples.h"

namespace tradeplane::bench {

class LatencyTable {
 public:
  // `samples` must outlive the table.
  void Add(std::string name, LatencySamples* samples) {
    rows_.push_back({std::move(name), samples});
  }

  // One line per series: p50, p90, p99, p99.9 and max in microseconds, and
  // the rate when the operations are made one at a time.
  std::string Render();
  // "name: p50 3.1x, p99 2.4x, p99.9 1.9x of <baseline>" for every other series.
  std::string Ratios(LatencySamples& baseline, const std::string& baseline_name);

 private:
  struct Row {
    std::string name;
    LatencySamples* samples;
  };
  std::vector<Row> rows_;
};

// Microseconds with one decimal: "123.4".
std::string Micros(int64_t ns);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_LATENCY_TABLE_H_
