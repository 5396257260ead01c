#include "tradeplane/bench/latency_samples.h"

#include <algorithm>
#include <cstdio>

namespace tradeplane::bench {

int64_t LatencySamples::Percentile(double p) {
  if (samples_ns_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    sorted_ = true;
  }
  p = std::clamp(p, 0.0, 1.0);
  size_t rank = static_cast<size_t>(p * static_cast<double>(samples_ns_.size() - 1) + 0.5);
  return samples_ns_[rank];
}

double LatencySamples::PerSecond() const {
  if (total_ns_ <= 0) return 0;
  return static_cast<double>(samples_ns_.size()) * 1e9 / static_cast<double>(total_ns_);
}

std::string LatencySamples::Summary() {
  char line[200];
  std::snprintf(line, sizeof(line),
                "p50 %lld ns, p99 %lld ns, p99.9 %lld ns, max %lld ns (%zu samples)",
                static_cast<long long>(Percentile(0.50)), static_cast<long long>(Percentile(0.99)),
                static_cast<long long>(Percentile(0.999)), static_cast<long long>(Percentile(1.0)),
                samples_ns_.size());
  return line;
}

std::string RatioText(LatencySamples& measured, LatencySamples& baseline, double p) {
  int64_t base = baseline.Percentile(p);
  if (baseline.size() == 0 || base <= 0) return "n/a";
  char text[32];
  std::snprintf(text, sizeof(text), "%.1fx",
                static_cast<double>(measured.Percentile(p)) / static_cast<double>(base));
  return text;
}

}  // namespace tradeplane::bench
