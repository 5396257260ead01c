#include "tradeplane/surveillance/detector.h"

#include <cmath>
#include <string>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::surveillance {

void Detector::Finish(Timestamp /*end*/, const MarketState& /*market*/, AlertSink& /*sink*/) {}

absl::Status ReadParams(std::string_view detector, std::span<const ParamSpec> specs,
                        const std::map<std::string, double>& params, std::span<double> values) {
  for (size_t i = 0; i < specs.size() && i < values.size(); ++i) {
    values[i] = specs[i].default_value;
  }
  for (const auto& [key, value] : params) {
    size_t i = 0;
    while (i < specs.size() && specs[i].name != key) ++i;
    if (i == specs.size()) {
      std::string known;
      for (const ParamSpec& spec : specs) {
        if (!known.empty()) known += ", ";
        StrAppend(&known, spec.name);
      }
      return absl::InvalidArgumentError(
          StrCat("detector '", detector, "': unknown parameter '", key, "' (known: ", known, ")"));
    }
    const ParamSpec& spec = specs[i];
    if (std::isnan(value) || value < spec.min_value || value > spec.max_value) {
      return absl::InvalidArgumentError(StrCat("detector '", detector, "': parameter '", key,
                                               "' = ", value, " is outside [", spec.min_value, ", ",
                                               spec.max_value, "] (", spec.meaning, ")"));
    }
    values[i] = value;
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::surveillance
