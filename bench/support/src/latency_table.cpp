#include "tradeplane/bench/latency_table.h"

#include <algorithm>
#include <cstdio>

namespace tradeplane::bench {

std::string Micros(int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", static_cast<double>(ns) / 1000.0);
  return text;
}

std::string LatencyTable::Render() {
  size_t width = 6;
  for (const Row& row : rows_) width = std::max(width, row.name.size());
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "%-*s %9s %9s %9s %9s %9s %9s %7s\n", static_cast<int>(width),
                "series", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "ops/s", "n");
  out += line;
  for (const Row& row : rows_) {
    LatencySamples& s = *row.samples;
    std::snprintf(line, sizeof(line), "%-*s %9s %9s %9s %9s %9s %9.0f %7zu\n",
                  static_cast<int>(width), row.name.c_str(), Micros(s.Percentile(0.50)).c_str(),
                  Micros(s.Percentile(0.90)).c_str(), Micros(s.Percentile(0.99)).c_str(),
                  Micros(s.Percentile(0.999)).c_str(), Micros(s.Percentile(1.0)).c_str(),
                  s.PerSecond(), s.size());
    out += line;
  }
  return out;
}

std::string LatencyTable::Ratios(LatencySamples& baseline, const std::string& baseline_name) {
  std::string out;
  for (const Row& row : rows_) {
    if (row.samples == &baseline) continue;
    out += row.name + ": p50 " + RatioText(*row.samples, baseline, 0.50) + ", p99 " +
           RatioText(*row.samples, baseline, 0.99) + ", p99.9 " +
           RatioText(*row.samples, baseline, 0.999) + " of " + baseline_name + "\n";
  }
  return out;
}

}  // namespace tradeplane::bench
