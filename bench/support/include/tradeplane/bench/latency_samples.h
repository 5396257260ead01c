#ifndef TRADEPLANE_BENCH_LATENCY_SAMPLES_H_
#define TRADEPLANE_BENCH_LATENCY_SAMPLES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tradeplane::bench {

// Per-operation latencies of one benchmark run, in nanoseconds. Storage is
// reserved up front so that recording a sample never allocates inside the
// timed loop.
class LatencySamples {
 public:
  explicit LatencySamples(size_t capacity) { samples_ns_.reserve(capacity); }

  void Record(int64_t ns) {
    samples_ns_.push_back(ns);
    total_ns_ += ns;
    sorted_ = false;
  }
  size_t size() const { return samples_ns_.size(); }
  // The sum of every sample: for operations made one at a time, the time the
  // series took, so size() / total is its rate.
  int64_t total_ns() const { return total_ns_; }
  // Operations per second when they are made one after the other, or 0.
  double PerSecond() const;

  // Nearest-rank percentile, p in [0, 1]. Sorts on first use after a Record.
  int64_t Percentile(double p);

  // "p50 1234 ns, p99 5678 ns, p99.9 ..., max ... (N samples)".
  std::string Summary();

 private:
  std::vector<int64_t> samples_ns_;
  int64_t total_ns_ = 0;
  bool sorted_ = false;
};

// The ratio `measured / baseline` of two p50s as text ("3.2x"), or "n/a" when the
// baseline is empty or zero.
std::string RatioText(LatencySamples& measured, LatencySamples& baseline, double p = 0.5);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_LATENCY_SAMPLES_H_
