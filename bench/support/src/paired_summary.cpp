#include "tradeplane/bench/paired_summary.h"

#include <algorithm>
#include <cstdio>

namespace tradeplane::bench {

std::string PairedSummary(const std::string& what, int what_width, const std::string& service,
                          LatencySamples& service_samples, LatencySamples& raw_samples) {
  const std::string service_label = service + ":";
  const std::string raw_label = "raw relay:";
  const int label_width = static_cast<int>(std::max(service_label.size(), raw_label.size()));
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "%-*s %-*s %s\n", what_width, what.c_str(), label_width,
                service_label.c_str(), service_samples.Summary().c_str());
  out += line;
  std::snprintf(line, sizeof(line), "%-*s %-*s %s\n", what_width, what.c_str(), label_width,
                raw_label.c_str(), raw_samples.Summary().c_str());
  out += line;
  std::snprintf(
      line, sizeof(line),
      "%-*s ratio p50 %s, p99 %s; added by the service: p50 %+.1f us, p99 %+.1f us\n", what_width,
      what.c_str(), RatioText(service_samples, raw_samples, 0.5).c_str(),
      RatioText(service_samples, raw_samples, 0.99).c_str(),
      static_cast<double>(service_samples.Percentile(0.5) - raw_samples.Percentile(0.5)) / 1e3,
      static_cast<double>(service_samples.Percentile(0.99) - raw_samples.Percentile(0.99)) / 1e3);
  out += line;
  return out;
}

}  // namespace tradeplane::bench
