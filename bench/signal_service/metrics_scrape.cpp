#include "metrics_scrape.h"

#include <cstdlib>
#include <string_view>

#include "tradeplane/core/str_cat.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tradeplane::bench {
namespace {

absl::StatusOr<std::string> HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::UnavailableError("metrics scrape: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return absl::UnavailableError(StrCat("metrics scrape: cannot connect to port ", port));
  }
  std::string request =
      StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::UnavailableError("metrics scrape: write failed");
  }
  std::string response;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  size_t body = response.find("\r\n\r\n");
  if (!response.starts_with("HTTP/1.") || body == std::string::npos ||
      response.find(" 200 ") == std::string::npos) {
    return absl::UnavailableError(
        StrCat("metrics scrape: unexpected answer: ", response.substr(0, 80)));
  }
  return response.substr(body + 4);
}

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

absl::StatusOr<HistogramScrape> ScrapeHistogram(int port, const std::string& name_suffix) {
  absl::StatusOr<std::string> body = HttpGet(port, "/metrics");
  if (!body.ok()) return body.status();
  HistogramScrape h;
  std::string_view text = *body;
  const std::string bucket = name_suffix + "_bucket{";
  const std::string sum = name_suffix + "_sum";
  const std::string count = name_suffix + "_count";
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("#")) continue;
    size_t space = line.rfind(' ');
    if (space == std::string_view::npos) continue;
    std::string_view name = line.substr(0, space);
    double value = ParseNumber(line.substr(space + 1));
    if (name.find(bucket) != std::string_view::npos) {
      size_t le = name.find("le=\"");
      if (le == std::string_view::npos) continue;
      size_t quote = name.find('"', le + 4);
      h.upper_bounds_seconds.push_back(ParseNumber(name.substr(le + 4, quote - le - 4)));
      h.cumulative_counts.push_back(value);
    } else if (name.ends_with(sum)) {
      h.sum_seconds = value;
    } else if (name.ends_with(count)) {
      h.count = value;
    }
  }
  if (h.upper_bounds_seconds.empty()) {
    return absl::NotFoundError(StrCat("metrics scrape: no histogram named *", name_suffix));
  }
  return h;
}

}  // namespace tradeplane::bench
