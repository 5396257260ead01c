// One --indicator argument of tradeplane-indicators: the indicator it names,
// its output columns, and how each bar feeds it.
#ifndef TRADEPLANE_TOOLS_INDICATORS_INDICATOR_COLUMNS_H_
#define TRADEPLANE_TOOLS_INDICATORS_INDICATOR_COLUMNS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/strategy/ohlcv.h"

#include "absl/status/statusor.h"

namespace tradeplane::indicators_tool {

struct InputBar {
  Timestamp time;
  strategy::Ohlcv values;
};

class IndicatorColumns {
 public:
  virtual ~IndicatorColumns() = default;

  // Column names, in output order ("macd_12_26_9", "macd_signal_12_26_9", ...).
  const std::vector<std::string>& names() const { return names_; }
  virtual void Update(const InputBar& bar) = 0;
  // Appends ",cell" per column: the value in its shortest round-trip form,
  // or nothing during the warm-up.
  virtual void AppendCells(std::string* out) const = 0;

 protected:
  explicit IndicatorColumns(std::vector<std::string> names) : names_(std::move(names)) {}

 private:
  std::vector<std::string> names_;
};

// "sma:20", "macd:12:26:9", "bbands:20:2", "obv" ... (docs/reference/indicators.md).
absl::StatusOr<std::unique_ptr<IndicatorColumns>> ParseIndicator(std::string_view spec);

// The names ParseIndicator knows, with their parameters, one per line.
std::string IndicatorCatalog();

// Appends the shortest text that reads back as exactly `value`.
void AppendNumber(double value, std::string* out);

}  // namespace tradeplane::indicators_tool

#endif  // TRADEPLANE_TOOLS_INDICATORS_INDICATOR_COLUMNS_H_
