#include "histogram_scrape.h"

#include <cstdlib>
#include <optional>
#include <string_view>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/metrics_scrape.h"

namespace tradeplane::bench {
namespace {

double ParseNumber(std::string_view text) {
  if (text == "+Inf") return 1e300;
  return std::strtod(std::string(text).c_str(), nullptr);
}

}  // namespace

HistogramScrape HistogramScrape::Since(const HistogramScrape& earlier) const {
  HistogramScrape d = *this;
  if (earlier.cumulative_counts.size() != cumulative_counts.size()) return d;
  for (size_t i = 0; i < cumulative_counts.size(); ++i) {
    d.cumulative_counts[i] -= earlier.cumulative_counts[i];
  }
  d.sum_seconds -= earlier.sum_seconds;
  d.count -= earlier.count;
  return d;
}

double HistogramScrape::QuantileUpperBoundSeconds(double p) const {
  if (count <= 0) return 0;
  double rank = p * count;
  for (size_t i = 0; i < cumulative_counts.size(); ++i) {
    if (cumulative_counts[i] >= rank) return upper_bounds_seconds[i];
  }
  return upper_bounds_seconds.empty() ? 0 : upper_bounds_seconds.back();
}

absl::StatusOr<HistogramScrape> ScrapeHistogram(int port, const std::string& name) {
  const std::string body = testing::ScrapeMetrics(port);
  if (body.empty()) {
    return absl::UnavailableError(StrCat("metrics scrape: nothing answered on port ", port));
  }
  HistogramScrape h;
  // The bucket lines: <name>_bucket{le="<bound>"} <cumulative count>.
  const std::string bucket = name + "_bucket{";
  std::string_view text = body;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with(bucket)) continue;
    size_t space = line.rfind(' ');
    size_t le = line.find("le=\"");
    if (space == std::string_view::npos || le == std::string_view::npos) continue;
    size_t quote = line.find('"', le + 4);
    h.upper_bounds_seconds.push_back(ParseNumber(line.substr(le + 4, quote - le - 4)));
    h.cumulative_counts.push_back(ParseNumber(line.substr(space + 1)));
  }
  std::optional<double> sum = testing::MetricSample(body, name + "_sum");
  std::optional<double> count = testing::MetricSample(body, name + "_count");
  if (h.upper_bounds_seconds.empty() || !sum || !count) {
    return absl::NotFoundError(StrCat("metrics scrape: no histogram named ", name));
  }
  h.sum_seconds = *sum;
  h.count = *count;
  return h;
}

}  // namespace tradeplane::bench
