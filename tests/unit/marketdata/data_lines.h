// The lines of a file of the project's real market data (data/...).
#ifndef TRADEPLANE_TESTS_UNIT_MARKETDATA_DATA_LINES_H_
#define TRADEPLANE_TESTS_UNIT_MARKETDATA_DATA_LINES_H_

#include <string>
#include <vector>

#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::marketdata::testing {

inline std::string DataPath(const std::string& relative) {
  return std::string(TRADEPLANE_SOURCE_DIR) + "/data/" + relative;
}

// Every line without its "\n"; a last line without a newline is kept, the
// empty string after a final newline is not.
inline std::vector<std::string> DataLines(const std::string& relative) {
  std::string text = tradeplane::testing::ReadFile(DataPath(relative));
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace tradeplane::marketdata::testing

#endif  // TRADEPLANE_TESTS_UNIT_MARKETDATA_DATA_LINES_H_
